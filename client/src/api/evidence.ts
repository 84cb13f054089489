// Typed calls for issue 10's evidence side: a booking's contract amount (record, acknowledge,
// dispute) and provider admission notices (公示) with their objections.
import type { Booking, ContractAmountBody } from "@shared/schemas/scheduling";
import type { AdmissionNotice, Objection } from "@shared/schemas/evidence";
import { http } from "./http";

const enc = encodeURIComponent;

export const contractApi = {
  record: (bookingId: string, body: ContractAmountBody) => http.post<Booking>(`/api/bookings/${enc(bookingId)}/contract-amount`, body),
  acknowledge: (bookingId: string) => http.post<Booking>(`/api/bookings/${enc(bookingId)}/contract-amount/acknowledge`, {}),
  dispute: (bookingId: string, reason: string) => http.post<Booking>(`/api/bookings/${enc(bookingId)}/contract-amount/dispute`, { reason }),
};

export const admissionsApi = {
  notices: () => http.get<{ items: AdmissionNotice[] }>("/api/admissions/notices"),
  open: (providerId: string) => http.post<AdmissionNotice>("/api/admissions", { providerId }),
  object: (noticeId: string, reason: string) => http.post<Objection>(`/api/admissions/${enc(noticeId)}/objections`, { reason }),
  objections: (noticeId: string) => http.get<{ items: Objection[] }>(`/api/admissions/${enc(noticeId)}/objections`),
  decide: (noticeId: string, objectionId: string, decision: "uphold" | "dismiss") =>
    http.post<Objection>(`/api/admissions/${enc(noticeId)}/objections/${enc(objectionId)}/decision`, { decision }),
};
