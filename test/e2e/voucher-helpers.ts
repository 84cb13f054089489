// Shared pieces of the voucher browser tests (vouchers.test.ts, voucher-claims.test.ts): logging in
// at a width and in a language, an instrument bookable at any hour, picking two free hours, and a
// booking brought to the point where its voucher can be claimed.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { atTime } from "../support/clock";
import type { ApiClient } from "../support/http";
import type { TestServer } from "../support/server";
import type { TestUser } from "../factories/accounts";
import { loginInUi } from "./browser";
import { freeHoursInARow } from "./calendar-helpers";

const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
const HOUR = 3600_000;

export async function asUser(page: Page, user: { email: string; password: string }, locale: "zh-CN" | "en", width?: number) {
  if (width) await page.setViewportSize({ width, height: 844 });
  await page.addInitScript(`localStorage.setItem("labshare.locale", ${JSON.stringify(locale)})`);
  await loginInUi(page, user.email, user.password);
  await page.waitForURL((url) => url.pathname === "/");
}

/** An instrument at 300 yuan an hour, bookable at any hour, confirmed by the provider. */
export async function hourlyInstrument(api: ApiClient, owner: { token: string }): Promise<string> {
  const res = await api.post(
    "/api/instruments",
    {
      name: `X射线衍射仪 ${randomBytes(2).toString("hex")}`, category: "analytical", priceUnit: "hour", priceFen: 30000,
      originalValueFen: 85_000_000, openHours: ALL_DAY, slotMinutes: 60, capacity: 1,
      rules: { minNoticeMinutes: 0, requiresConfirmation: true, cancelDeadlineHours: 0 },
    },
    { token: owner.token },
  );
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.id;
}

/** A whole hour `n` hours from now (on the 60-minute grid). */
export function hourAhead(n: number): { start: string; end: string } {
  const start = Math.ceil(Date.now() / HOUR) * HOUR + n * HOUR;
  return { start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString() };
}

export const PDF = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
export const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

export const fen = async (page: Page, testId: string) => Number(await page.getByTestId(testId).first().getAttribute("data-fen"));

/** Picks two adjacent free hours on the open calendar (next week's if this week has none left). */
export async function pickTwoHours(page: Page): Promise<void> {
  for (const start of await freeHoursInARow(page, 2)) await page.locator(`[data-testid="slot"][data-start="${start}"]`).click();
}

export interface VoucherWorld {
  api: ApiClient;
  server: TestServer;
  provider: TestUser;
  instrumentId: string;
}

/**
 * A voucher booking of `ent` one hour long (300 yuan), confirmed, checked in at its start, completed
 * with a contract amount and that amount acknowledged: its voucher can be claimed.
 */
export async function claimableBooking(w: VoucherWorld, ent: TestUser, hoursAhead: number, contractAmountFen = 30_000): Promise<string> {
  const { api, provider } = w;
  const when = hourAhead(hoursAhead);
  const res = await api.post("/api/bookings", { instrumentId: w.instrumentId, ...when, useVoucher: true }, { token: ent.token });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  const id = res.body.id as string;
  expect((await api.post(`/api/bookings/${id}/confirm`, {}, { token: provider.token })).status).to.equal(200);
  const checkIn = await atTime(w.server.server.services.scheduling, Date.parse(when.start), () => api.post(`/api/bookings/${id}/check-in`, {}, { token: provider.token }));
  expect(checkIn.status, JSON.stringify(checkIn.body)).to.equal(200);
  const done = await api.post(`/api/bookings/${id}/complete`, { contractAmountFen, reportNumber: "LC-2026-101" }, { token: provider.token });
  expect(done.status, JSON.stringify(done.body)).to.equal(200);
  expect((await api.post(`/api/bookings/${id}/contract-amount/acknowledge`, {}, { token: ent.token })).status).to.equal(200);
  await w.server.server.services.vouchers.idle();
  return id;
}

/** Files the claim of the voucher of `bookingId` through the API, with three fresh uploads of `ent`. */
export async function fileClaim(w: VoucherWorld, ent: TestUser, bookingId: string): Promise<{ id: string; voucherId: string }> {
  const upload = async (name: string) => {
    const form = new FormData();
    form.append("file", new Blob([PDF]), name);
    const res = await fetch(`${w.server.baseUrl}/api/uploads`, { method: "POST", body: form, headers: { authorization: `Bearer ${ent.token}` } });
    expect(res.status).to.equal(201);
    return ((await res.json()) as { id: string }).id;
  };
  const vouchers = await w.api.get("/api/vouchers?pageSize=100", { token: ent.token });
  const voucherId = vouchers.body.items.find((v: { bookingId: string }) => v.bookingId === bookingId).id as string;
  const attachments = await Promise.all((["contract", "invoice", "payment_proof"] as const).map(async (kind) => ({ kind, uploadId: await upload(`${kind}.pdf`) })));
  const res = await w.api.post("/api/claims", { voucherId, invoiceNo: "37009999", contractNo: "HT-2026-7", attachments }, { token: ent.token });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return { id: res.body.id, voucherId };
}
