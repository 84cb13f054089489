// The collusion signals' rules, pure: given a period's bookings, their vouchers, the enterprises and
// the policy versions, which subjects cross a threshold, with the evidence. A signal is a reason to
// look, never a verdict: nothing here blocks or changes anything. Thresholds: docs/oversight.md.
import { createHash } from "node:crypto";
import { nameKey } from "../../../shared/normalize";
import type { SignalEvidence, SignalKind } from "../../../shared/schemas/oversight";
import { BP } from "../../../shared/voucher-split";
import type { PolicyDoc } from "../vouchers/model";
import type { BookingRow, EnterpriseRow, VoucherRow } from "./sources";

export const THRESHOLDS = {
  /** repeat_pair: this many vouchers of one enterprise with one provider in the period… */
  pairMinVouchers: 5,
  /** …or this share (percent) of the enterprise's voucher face value with one provider… */
  pairSharePercent: 80,
  /** …when the enterprise used at least this many vouchers (one voucher is always 100%). */
  pairShareMinVouchers: 3,
  /** price_above_list: contract amount ≥ this × the list price the booking was made at. */
  priceRatio: 1.5,
  /** near_cap: contract amounts in [95%, 100%) of the amount whose subsidy reaches the per-service cap… */
  nearCapPercent: 95,
  /** …at least this many times for one enterprise–provider pair in the period. */
  nearCapMinServices: 2,
} as const;

/** Vouchers whose money was kept (or spent): voided, declined and expired ones are left out. */
const LIVE: readonly string[] = ["issued", "claimed", "redeemed"];

export interface DetectedSignal {
  id: string;
  kind: SignalKind;
  /** What orders signals of one kind (the larger first). */
  weight: number;
  evidence: SignalEvidence;
}

export interface SignalInput {
  bookings: readonly BookingRow[];
  vouchers: readonly VoucherRow[];
  enterprises: readonly EnterpriseRow[];
  policies: readonly PolicyDoc[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const contractOf = (b: BookingRow) => b.contract?.amountFen ?? b.contractAmountFen;
const party = (id: string) => ({ id, name: id });
export const controllerKey = (name: string) => createHash("sha256").update(nameKey(name)).digest("hex").slice(0, 20);

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    out.set(k, [...(out.get(k) ?? []), r]);
  }
  return out;
}

export function detectSignals(input: SignalInput): DetectedSignal[] {
  const live = input.vouchers.filter((v) => LIVE.includes(v.status) && v.faceValueFen > 0);
  return [...repeatPairs(live), ...pricesAboveList(input.bookings), ...sharedControllers(live, input.enterprises), ...nearCaps(input, live)];
}

/** The same enterprise–provider pair again and again. */
function repeatPairs(live: readonly VoucherRow[]): DetectedSignal[] {
  const out: DetectedSignal[] = [];
  for (const [enterpriseId, mine] of groupBy(live, (v) => v.enterpriseId)) {
    const totalFen = mine.reduce((n, v) => n + v.faceValueFen, 0);
    for (const [providerId, pair] of groupBy(mine, (v) => v.providerId)) {
      const amountFen = pair.reduce((n, v) => n + v.faceValueFen, 0);
      const sharePercent = round2((amountFen / totalFen) * 100);
      const byCount = pair.length >= THRESHOLDS.pairMinVouchers;
      const byShare = mine.length >= THRESHOLDS.pairShareMinVouchers && sharePercent >= THRESHOLDS.pairSharePercent;
      if (!byCount && !byShare) continue;
      out.push({
        id: `repeat_pair:${enterpriseId}:${providerId}`, kind: "repeat_pair", weight: amountFen,
        evidence: {
          enterprises: [party(enterpriseId)], providers: [party(providerId)],
          bookingIds: pair.map((v) => v.bookingId).sort(), voucherIds: pair.map((v) => v._id).sort(),
          figures: { vouchers: pair.length, amountFen, enterpriseVouchers: mine.length, enterpriseAmountFen: totalFen, sharePercent },
        },
      });
    }
  }
  return out;
}

/** A contract amount far above the list price the booking was made at (extras declared after the fact). */
function pricesAboveList(bookings: readonly BookingRow[]): DetectedSignal[] {
  const out: DetectedSignal[] = [];
  for (const b of bookings) {
    const amount = contractOf(b);
    if (b.status !== "completed" || amount === undefined || b.priceFen <= 0) continue;
    const ratio = amount / b.priceFen;
    if (ratio < THRESHOLDS.priceRatio) continue;
    out.push({
      id: `price_above_list:${b._id}`, kind: "price_above_list", weight: ratio,
      evidence: {
        enterprises: [{ id: b.enterpriseId, name: b.enterpriseName }], providers: [party(b.actingProviderId)],
        bookingIds: [b._id], voucherIds: b.useVoucher ? [`v-${b._id}`] : [],
        figures: { contractAmountFen: amount, listPriceFen: b.priceFen, extrasFen: b.contract?.extrasFen ?? 0, ratio: round2(ratio) },
      },
    });
  }
  return out;
}

/** Two or more enterprises under one actual controller that used vouchers in the period. */
function sharedControllers(live: readonly VoucherRow[], enterprises: readonly EnterpriseRow[]): DetectedSignal[] {
  const byEnterprise = groupBy(live, (v) => v.enterpriseId);
  const out: DetectedSignal[] = [];
  const controlled = enterprises.filter((e) => e.actualController?.trim());
  for (const [key, group] of groupBy(controlled, (e) => controllerKey(e.actualController!))) {
    const users = group.filter((e) => byEnterprise.has(e._id)).sort((a, b) => a._id.localeCompare(b._id));
    if (users.length < 2) continue;
    const vouchers = users.flatMap((e) => byEnterprise.get(e._id)!);
    const amountFen = vouchers.reduce((n, v) => n + v.faceValueFen, 0);
    out.push({
      id: `shared_controller:${key}`, kind: "shared_controller", weight: amountFen,
      evidence: {
        enterprises: users.map((e) => ({ id: e._id, name: e.name })), providers: [...new Set(vouchers.map((v) => v.providerId))].sort().map(party),
        bookingIds: vouchers.map((v) => v.bookingId).sort(), voucherIds: vouchers.map((v) => v._id).sort(),
        figures: { enterprises: users.length, vouchers: vouchers.length, amountFen },
        controller: group[0]!.actualController!.trim(),
      },
    });
  }
  return out;
}

/**
 * Contract amounts just under the per-service cap, repeatedly: the cap is on the subsidy, so the
 * amount where it bites is cap ÷ (province + city rate, in-city); a service priced in the 5% below
 * that amount gets nearly the most a service can get. Without a per-service cap in force, nothing.
 */
function nearCaps(input: SignalInput, live: readonly VoucherRow[]): DetectedSignal[] {
  const policies = new Map(input.policies.map((p) => [p._id, p]));
  const bookings = new Map(input.bookings.map((b) => [b._id, b]));
  const hits: { v: VoucherRow; amount: number; capFen: number; capAmountFen: number }[] = [];
  for (const v of live) {
    const p = policies.get(v.policyId);
    const b = bookings.get(v.bookingId);
    const amount = b && b.status === "completed" ? contractOf(b) : undefined;
    if (!p?.perServiceCapFen || amount === undefined) continue;
    const capAmountFen = Math.ceil((p.perServiceCapFen * BP) / (p.provinceBpInCity + p.cityBp));
    if (amount < Math.ceil((capAmountFen * THRESHOLDS.nearCapPercent) / 100) || amount >= capAmountFen) continue;
    hits.push({ v, amount, capFen: p.perServiceCapFen, capAmountFen });
  }
  const out: DetectedSignal[] = [];
  for (const [pair, list] of groupBy(hits, (h) => `${h.v.enterpriseId}:${h.v.providerId}`)) {
    if (list.length < THRESHOLDS.nearCapMinServices) continue;
    const amounts = list.map((h) => h.amount);
    out.push({
      id: `near_cap:${pair}`, kind: "near_cap", weight: list.length,
      evidence: {
        enterprises: [party(list[0]!.v.enterpriseId)], providers: [party(list[0]!.v.providerId)],
        bookingIds: list.map((h) => h.v.bookingId).sort(), voucherIds: list.map((h) => h.v._id).sort(),
        figures: { services: list.length, capFen: list[0]!.capFen, capAmountFen: list[0]!.capAmountFen, lowestAmountFen: Math.min(...amounts), highestAmountFen: Math.max(...amounts) },
      },
    });
  }
  return out;
}
