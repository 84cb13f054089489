// Typed calls for the catalog module: instruments, their blackouts, packaged services, search.
import type {
  Blackout,
  BlackoutCreateBody,
  Instrument,
  InstrumentCreateBody,
  InstrumentPatchBody,
  InstrumentSearchQuery,
  InstrumentSearchResult,
  Package,
  PackageCreateBody,
  PackagePatchBody,
  PackageSearchQuery,
  PackageSearchResult,
  PartnerAnswerBody,
  PartnerRequestList,
} from "@shared/schemas/catalog";
import type { InstrumentPhotoList } from "@shared/schemas/photos";
import { http, postFile } from "./http";

const one = (kind: "instruments" | "packages", id: string) => `/api/${kind}/${encodeURIComponent(id)}`;

export const instrumentApi = {
  search: (query: InstrumentSearchQuery) => http.get<InstrumentSearchResult>("/api/instruments", query),
  get: (id: string) => http.get<Instrument>(one("instruments", id)),
  create: (body: InstrumentCreateBody) => http.post<Instrument>("/api/instruments", body),
  update: (id: string, body: InstrumentPatchBody) => http.patch<Instrument>(one("instruments", id), body),
};

export const blackoutApi = {
  list: (instrumentId: string) => http.get<{ items: Blackout[] }>(`${one("instruments", instrumentId)}/blackouts`),
  create: (instrumentId: string, body: BlackoutCreateBody) =>
    http.post<Blackout>(`${one("instruments", instrumentId)}/blackouts`, body),
  remove: (instrumentId: string, blackoutId: string) =>
    http.delete(`${one("instruments", instrumentId)}/blackouts/${encodeURIComponent(blackoutId)}`),
};

export const packageApi = {
  search: (query: PackageSearchQuery) => http.get<PackageSearchResult>("/api/packages", query),
  get: (id: string) => http.get<Package>(one("packages", id)),
  create: (body: PackageCreateBody) => http.post<Package>("/api/packages", body),
  update: (id: string, body: PackagePatchBody) => http.patch<Package>(one("packages", id), body),
  /** Other providers' packages using the caller's provider's instruments (packages across providers). */
  partnerRequests: () => http.get<PartnerRequestList>("/api/partner-requests"),
  answer: (id: string, providerId: string, action: "accept" | "decline", body: PartnerAnswerBody = {}) =>
    http.post<Package>(`${one("packages", id)}/partners/${encodeURIComponent(providerId)}/${action}`, body),
};

/** An instrument's photos (its provider's members change them; the first is the cover). */
export const photoApi = {
  upload: (instrumentId: string, file: File, onProgress?: (percent: number) => void) =>
    postFile<InstrumentPhotoList>(`${one("instruments", instrumentId)}/photos`, file, onProgress),
  reorder: (instrumentId: string, photoIds: string[]) => http.put<InstrumentPhotoList>(`${one("instruments", instrumentId)}/photos/order`, { photoIds }),
  remove: (instrumentId: string, photoId: string) =>
    http.delete<InstrumentPhotoList>(`${one("instruments", instrumentId)}/photos/${encodeURIComponent(photoId)}`),
};
