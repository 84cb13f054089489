// One-line builders of the voucher money path through the real API: a completed voucher booking
// with its contract amount acknowledged, the evidence pack, a filed claim. Clocks are stopped with
// atTime where the rules read them (check-in and completion, claim window, approval month).
import { DateTime } from "luxon";
import { expect } from "chai";
import { atTime } from "./clock";
import { expectStatus, type ApiClient } from "./http";
import type { TestServer } from "./server";
import type { TestUser } from "../factories/accounts";
import { shanghai } from "../factories/catalog";

export const as = (u: { token: string }) => ({ token: u.token });

/** A month's instant (city time): `at("2031-03", 15)` is 2031-03-15 12:00 in Shanghai. */
export const at = (period: string, day = 15, hour = 12) => DateTime.fromISO(`${period}-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00`, { zone: "Asia/Shanghai" }).toMillis();
/** Just after the month is over and its grace has passed: when its settlement may run. */
export const afterMonth = (period: string) => DateTime.fromISO(`${period}-01`, { zone: "Asia/Shanghai" }).plus({ months: 1, minutes: 11 }).toMillis();

let slot = 0;

export interface CompletedVoucher {
  bookingId: string;
  voucherId: string;
  completedAt: number;
}

/** A voucher booking of `ent` on `instrumentId` (1 hour), confirmed, checked in and completed at `contractAmountFen`, acknowledged. */
export async function completedVoucher(t: TestServer, api: ApiClient, ent: TestUser, provider: TestUser, instrumentId: string, contractAmountFen: number, acknowledge = true): Promise<CompletedVoucher> {
  const n = slot++;
  const day = 2 + Math.floor(n / 9) % 50;
  const hhmm = `${String(8 + (n % 9)).padStart(2, "0")}:00`;
  const start = shanghai(day, hhmm);
  const end = DateTime.fromISO(start).plus({ hours: 1 }).toISO()!;
  const res = await api.post("/api/bookings", { instrumentId, start, end, useVoucher: true }, as(ent));
  expectStatus(res, 201);
  const id = res.body.id as string;
  expectStatus(await api.post(`/api/bookings/${id}/confirm`, {}, as(provider)), 200);
  await t.server.services.vouchers.idle();
  const startMs = Date.parse(start);
  const scheduling = t.server.services.scheduling;
  expectStatus(await atTime(scheduling, startMs, () => api.post(`/api/bookings/${id}/check-in`, {}, as(provider))), 200);
  const done = await atTime(scheduling, startMs + 50 * 60_000, () => api.post(`/api/bookings/${id}/complete`, { contractAmountFen, reportNumber: `LC-${n}` }, as(provider)));
  expectStatus(done, 200);
  // Completion is stamped by the booking's event (the server's time of the call).
  const completedAt = Date.parse(done.body.items[0].completedAt);
  if (acknowledge) expectStatus(await api.post(`/api/bookings/${id}/contract-amount/acknowledge`, {}, as(ent)), 200);
  await t.server.services.vouchers.idle();
  return { bookingId: id, voucherId: `v-${id}`, completedAt };
}

/** Uploads one small PDF as `who` and returns its id. */
export async function upload(baseUrl: string, who: TestUser, name = "合同.pdf"): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob([Buffer.from(`%PDF-1.7\n${name}\n%%EOF\n`)]), name);
  const res = await fetch(`${baseUrl}/api/uploads`, { method: "POST", body: form, headers: { authorization: `Bearer ${who.token}` } });
  const body = (await res.json()) as { id: string };
  expect(res.status, JSON.stringify(body)).to.equal(201);
  return body.id as string;
}

/** The evidence pack the rules ask for, uploaded by `who`. */
export async function evidence(baseUrl: string, who: TestUser) {
  const [contract, invoice, proof] = await Promise.all([upload(baseUrl, who, "合同.pdf"), upload(baseUrl, who, "发票.pdf"), upload(baseUrl, who, "付款凭证.pdf")]);
  return [
    { kind: "contract", uploadId: contract },
    { kind: "invoice", uploadId: invoice },
    { kind: "payment_proof", uploadId: proof },
  ];
}

export const claimBody = (voucherId: string, attachments: { kind: string; uploadId: string }[]) => ({ voucherId, invoiceNo: "37001234", contractNo: "HT-2026-001", attachments });
