// One-line builders of catalog data through the real API, for scheduling tests.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { DateTime } from "luxon";
import type { ApiClient } from "../support/http";
import type { TestUser } from "./accounts";

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

/** A valid instrument: open 08:00–18:00 every day in Shanghai, 30-minute slots, 300 yuan an hour. */
export function instrumentBody(overrides: Record<string, unknown> = {}) {
  return {
    name: `扫描电子显微镜 ${randomBytes(3).toString("hex")}`,
    category: "analytical",
    priceFen: 30000,
    priceUnit: "hour",
    openHours: EVERY_DAY.map((weekday) => ({ weekday, start: "08:00", end: "18:00" })),
    originalValueFen: 2_000_000_00,
    ...overrides,
  };
}

export async function publishInstrument(api: ApiClient, owner: TestUser, overrides: Record<string, unknown> = {}) {
  const res = await api.post("/api/instruments", instrumentBody(overrides), { token: owner.token });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as { id: string; name: string; providerId: string; capacity: number; slotMinutes: number; priceFen: number };
}

export async function publishPackage(api: ApiClient, owner: TestUser, items: { instrumentId: string; minutes?: number; samples?: number }[], overrides: Record<string, unknown> = {}) {
  const res = await api.post("/api/packages", { name: `标准制定服务包 ${randomBytes(3).toString("hex")}`, purpose: "standard_drafting", items, priceFen: 2_000_000, ...overrides }, { token: owner.token });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as { id: string; priceFen: number };
}

/** The partner providers whose instruments a package uses accept it (without that it is not bookable). */
export async function acceptAsPartners(api: ApiClient, packageId: string, partners: TestUser[]) {
  for (const partner of partners) {
    const res = await api.post(`/api/packages/${packageId}/partners/${partner.orgId}/accept`, {}, { token: partner.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  }
}

/** A local time in Shanghai `days` days from today at HH:MM, as ISO with offset. */
export function shanghai(days: number, hhmm: string): string {
  const [hour, minute] = hhmm.split(":").map(Number);
  return DateTime.now().setZone("Asia/Shanghai").startOf("day").plus({ days }).set({ hour, minute }).toISO()!;
}
