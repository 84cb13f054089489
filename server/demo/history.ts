// Two years of the demo city's history, so the bureau's dashboard is alive on the first start
// (issue 12): bookings of the city's enterprises on its providers' instruments, and for those paid
// with innovation vouchers (创新券) the whole money path: the voucher issued at confirmation, the
// claim filed after completion and approved, the monthly settlement (兑付, "本月申请，次月兑付") the
// month after, each with its event stream, projection and quota-ledger entries in the shapes the
// product writes (the projections folded with the product's own apply functions), and the day
// index the statistics read them through (history-index.ts). No database
// here; seed.ts inserts the result in bulk.
//
// The months are the `months` whole months before `anchor` (the month of the first seed, kept in
// the database so a later run builds the same documents): nothing is dated in the anchor month or
// later, every booking is over (completed, cancelled, rejected, expired, no-show), so no slot is
// held and no invariant depends on time. The last month's approved claims are left unsettled: the
// bureau can run that settlement. Deterministic: one generator per month, seeded by its name.
// The named demo log-ins' organizations are left out, so their pages start as they always did.
import { DateTime } from "luxon";
import { isInCity } from "../../shared/enums";
import { CITY_ZONE, DEFAULT_POLICY_FROM, DEFAULT_POLICY_TERMS, percentOfFen, splitSubsidy } from "../../shared/voucher-split";
import type { SettlementLine } from "../../shared/schemas/settlements";
import type { StoredEvent } from "../db/event-store";
import type { EnterpriseDoc, MembershipDoc, ProviderDoc } from "../modules/accounts/model";
import type { InstrumentDoc } from "../modules/catalog/model";
import type { BookingCreated, BookingDoc } from "../modules/scheduling/model";
import { applyEvent } from "../modules/scheduling/projection";
import type { BookingNumberDoc } from "../modules/scheduling/booking-number";
import type { DayLogDoc } from "../modules/stats/day-log";
import { claimIdOf, type ClaimDoc, type SettlementDoc } from "../modules/vouchers/claim-model";
import { applyClaimEvent, type ClaimSubmitted } from "../modules/vouchers/claim-stream";
import { entryId, type Movement } from "../modules/vouchers/ledger";
import type { AccountHeadDoc, EntryKind, LedgerEntryDoc, VoucherDoc } from "../modules/vouchers/model";
import { payoutAccountOf, totalsOf } from "../modules/vouchers/settlement";
import { applyVoucherEvent, voucherIdOf, type IssuedData } from "../modules/vouchers/stream";
import { indexDays } from "./history-index";
import { Random } from "./random";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The organizations behind the named demo log-ins (city.ts): their views start empty, as before. */
const LEFT_OUT = new Set(["demo-ent-0001", "demo-prov-01"]);
const POLICY = DEFAULT_POLICY_TERMS;
const BUREAU_USER = "demo-user-bureau-reviewer";

export interface HistorySpec {
  /** "YYYY-MM": the month of the first seed; the history ends the month before. */
  anchor: string;
  /** Whole months of history before the anchor. */
  months: number;
  /** Bookings in the first and in the last month (growing in between, as the article's push did). */
  bookingsFirstMonth: number;
  bookingsLastMonth: number;
}

export const DEFAULT_HISTORY: Omit<HistorySpec, "anchor"> = { months: 24, bookingsFirstMonth: 30, bookingsLastMonth: 150 };

export interface DemoHistory {
  bookings: BookingDoc[];
  events: StoredEvent[];
  vouchers: VoucherDoc[];
  ledger: LedgerEntryDoc[];
  heads: AccountHeadDoc[];
  claims: ClaimDoc[];
  settlements: SettlementDoc[];
  /** The statistics' day index of these facts, as the product writes it (docs/stats.md). */
  numbers: BookingNumberDoc[];
  dayLog: DayLogDoc[];
}

interface CityParts {
  enterprises: EnterpriseDoc[];
  providers: ProviderDoc[];
  instruments: InstrumentDoc[];
  memberships: MembershipDoc[];
}

/** A ledger movement waiting for its place in its account's chain (entries are numbered by time). */
interface PendingEntry extends Movement {
  accountId: string;
  year: number;
  key: string;
  kind: EntryKind;
  at: number;
}

const monthStart = (month: string) => DateTime.fromFormat(month, "yyyy-MM", { zone: CITY_ZONE });
const periodOf = (ms: number) => DateTime.fromMillis(ms, { zone: CITY_ZONE }).toFormat("yyyy-MM");
const yearOf = (ms: number) => DateTime.fromMillis(ms, { zone: CITY_ZONE }).year;

/** The history's month names, oldest first. */
export function historyMonths(anchor: string, months: number): string[] {
  return Array.from({ length: months }, (_, k) => monthStart(anchor).minus({ months: months - k }).toFormat("yyyy-MM"));
}

export function buildDemoHistory(city: CityParts, spec: HistorySpec): DemoHistory {
  const out: DemoHistory = { bookings: [], events: [], vouchers: [], ledger: [], heads: [], claims: [], settlements: [], numbers: [], dayLog: [] };
  const cutoff = monthStart(spec.anchor).toMillis(); // nothing at or after the anchor month
  const userOf = new Map<string, string>();
  for (const m of [...city.memberships].sort((a, b) => a._id.localeCompare(b._id))) if (!userOf.has(m.orgId)) userOf.set(m.orgId, m._id);
  const providers = new Map(city.providers.map((p) => [p._id, p]));
  const instruments = city.instruments.filter((i) => i.status === "active" && !LEFT_OUT.has(i.providerId) && providers.get(i.providerId)?.status === "approved");
  const enterprises = city.enterprises.filter((e) => e.status === "approved" && !LEFT_OUT.has(e._id) && userOf.has(e._id));
  const pending: PendingEntry[] = [];
  /** Claims approved per period, for that period's settlement. */
  const approved = new Map<string, { claim: ClaimDoc; voucher: VoucherDoc; providerLocal: boolean; providerName: string; enterpriseName: string }[]>();
  const months = historyMonths(spec.anchor, spec.months);

  months.forEach((month, k) => {
    const rng = new Random(0x5eed).fork(`history ${month}`);
    const growth = months.length > 1 ? k / (months.length - 1) : 1;
    const count = Math.round(spec.bookingsFirstMonth + (spec.bookingsLastMonth - spec.bookingsFirstMonth) * growth * growth);
    // Vouchers caught on: a tenth of the bookings in the first month, over half in the last.
    const voucherShare = 0.1 + 0.45 * growth;
    const first = monthStart(month);
    for (let n = 0; n < count; n++) {
      const enterprise = rng.pick(enterprises);
      const instrument = rng.pick(instruments);
      const provider = providers.get(instrument.providerId)!;
      // Created on day 1–20 in working hours, used 1–7 days later at 08:00–15:00: over before the month ends.
      const created = first.plus({ days: rng.int(0, 19), minutes: rng.int(8 * 60 + 30, 17 * 60 + 30) }).toMillis();
      const startDay = DateTime.fromMillis(created, { zone: CITY_ZONE }).startOf("day").plus({ days: rng.int(1, 7) });
      const hours = rng.int(1, 3);
      const start = startDay.plus({ hours: rng.int(8, 15) }).toMillis();
      const end = start + hours * HOUR;
      if (end >= cutoff || created < enterprise.createdAt.getTime()) continue;
      const priceFen = instrument.priceFen * (instrument.priceUnit === "hour" ? hours : rng.int(1, 3));
      const eligible = enterprise.reviewedAt !== undefined && enterprise.reviewedAt.getTime() < created && (POLICY.eligibleEnterpriseSizes as string[]).includes(enterprise.size);
      const useVoucher = eligible && rng.chance(voucherShare);
      const outcome = rng.weighted<Outcome>([["completed", 80], ["cancelled", 9], ["rejected", 4], ["expired", 3], ["no_show", 4]]);
      const bookingId = `demo-hist-${month}-${String(n + 1).padStart(4, "0")}`;
      const enterpriseUser = userOf.get(enterprise._id)!;
      const providerUser = userOf.get(provider._id) ?? `provider-user-${provider._id}`;
      const booking: BookingCreated = {
        kind: "instrument", status: "pending", enterpriseId: enterprise._id, enterpriseName: enterprise.name,
        providerIds: [provider._id], actingProviderId: provider._id, confirmationsRequired: [provider._id],
        instrumentIds: [instrument._id], instrumentId: instrument._id, title: instrument.name,
        items: [{ instrumentId: instrument._id, instrumentName: instrument.name, providerId: provider._id, start: new Date(start), end: new Date(end), parts: [{ start: new Date(start), end: new Date(end) }], unit: 0, requiresConfirmation: true }],
        claimIds: [], priceFen, useVoucher,
        holdExpiresAt: new Date(Math.min(created + 48 * HOUR, start)), cancelDeadline: new Date(start - DAY), cancelDeadlineHours: 24,
        firstStart: new Date(start), lastEnd: new Date(end), createdBy: enterpriseUser, createdAt: new Date(created),
      };
      const confirmedAt = created + 2 * HOUR;
      const steps = lifecycle(outcome, { created, confirmedAt, start, end, priceFen, providerId: provider._id, bookingId, rng });
      let doc: BookingDoc | null = null;
      [{ type: "created", data: { ...booking }, at: created, byProvider: false }, ...steps].forEach((step, i) => {
        const e: StoredEvent = { _id: `${bookingId}:${i + 1}`, aggregateId: bookingId, seq: i + 1, type: step.type, data: step.data, actorId: step.byProvider ? providerUser : enterpriseUser, at: new Date(step.at) };
        out.events.push(e);
        doc = applyEvent(doc, e);
      });
      out.bookings.push(doc!);

      // A voucher is issued when the provider confirms (issue 10): bookings rejected or expired never had one.
      if (!useVoucher || outcome === "rejected" || outcome === "expired") continue;
      const providerLocal = isInCity(provider.county);
      const rates = { provinceBp: POLICY.provinceBpInCity, cityBp: providerLocal ? POLICY.cityBp : 0 };
      const split = splitSubsidy(priceFen, rates);
      const year = yearOf(start);
      const accountId = `quota-ent-${enterprise._id}-${year}`;
      const voucherId = voucherIdOf(bookingId);
      const issued: IssuedData = {
        enterpriseId: enterprise._id, bookingId, providerId: provider._id, county: enterprise.county, accountId,
        faceValueFen: split.provinceFen + split.cityFen, provinceFen: split.provinceFen, cityFen: split.cityFen, listPriceFen: priceFen,
        reasons: providerLocal ? [] : ["PROVIDER_NOT_LOCAL"], status: "issued", year, period: periodOf(confirmedAt), policyId: DEFAULT_POLICY_FROM,
        entryId: "", // the chain position is known once every entry of the account is placed
      };
      const voucherEvents: StoredEvent[] = [{ _id: `${voucherId}:1`, aggregateId: voucherId, seq: 1, type: "issued", data: { ...issued }, actorId: null, at: new Date(confirmedAt) }];
      const face = issued.faceValueFen;
      pending.push({ accountId, year, key: `issue:${voucherId}`, kind: "issue", at: confirmedAt, heldDeltaFen: face, redeemedDeltaFen: 0, capFen: POLICY.annualCapFen, voucherId, enterpriseId: enterprise._id, provinceFen: split.provinceFen, cityFen: split.cityFen, reasons: issued.reasons, policyId: DEFAULT_POLICY_FROM });
      const cancelled = steps.find((s) => s.type === "cancelled" || s.type === "no_show");
      if (cancelled) {
        // Given back (booking cancelled after confirmation, or a no-show): the quota returns.
        voucherEvents.push({ _id: `${voucherId}:2`, aggregateId: voucherId, seq: 2, type: "voided", data: { reason: cancelled.type === "no_show" ? "no_show" : "cancelled" }, actorId: null, at: new Date(cancelled.at + 1000) });
        pending.push({ accountId, year, key: `void:${voucherId}`, kind: "void", at: cancelled.at + 1000, heldDeltaFen: -face, redeemedDeltaFen: 0, capFen: 0, voucherId, enterpriseId: enterprise._id });
      } else {
        const acknowledgedAt = steps.at(-1)!.at;
        const submittedAt = acknowledgedAt + rng.int(1, 6) * DAY + rng.int(0, 6) * HOUR;
        if (submittedAt < cutoff) {
          const claimId = claimIdOf(voucherId);
          voucherEvents.push({ _id: `${voucherId}:2`, aggregateId: voucherId, seq: 2, type: "claimed", data: { claimId }, actorId: enterpriseUser, at: new Date(submittedAt) });
          const submitted: ClaimSubmitted = {
            voucherId, bookingId, enterpriseId: enterprise._id, providerId: provider._id, county: enterprise.county, accountId, year,
            faceValueFen: face, policyId: DEFAULT_POLICY_FROM, completedAt: new Date(end), deadline: DateTime.fromMillis(end, { zone: CITY_ZONE }).plus({ months: POLICY.claimWindowMonths }).toJSDate(),
            invoiceNo: `FP${month.replace("-", "")}${String(n + 1).padStart(5, "0")}`, contractNo: `HT-${bookingId.slice(10)}`, attachments: [],
            contractAmountFen: priceFen, amountFen: face, provinceFen: split.provinceFen, cityFen: split.cityFen,
          };
          const claimEvents: StoredEvent[] = [{ _id: `${claimId}:1`, aggregateId: claimId, seq: 1, type: "submitted", data: { ...submitted }, actorId: enterpriseUser, at: new Date(submittedAt) }];
          const approvedAt = submittedAt + rng.int(1, 4) * DAY;
          if (approvedAt < cutoff) claimEvents.push({ _id: `${claimId}:2`, aggregateId: claimId, seq: 2, type: "approved", data: { period: periodOf(approvedAt) }, actorId: BUREAU_USER, at: new Date(approvedAt) });
          let claim: ClaimDoc | null = null;
          for (const e of claimEvents) claim = applyClaimEvent(claim, e);
          out.events.push(...claimEvents);
          out.claims.push(claim!);
          if (claim!.status === "approved") {
            const list = approved.get(claim!.approvedPeriod!) ?? approved.set(claim!.approvedPeriod!, []).get(claim!.approvedPeriod!)!;
            list.push({ claim: claim!, voucher: fold(voucherEvents), providerLocal, providerName: provider.name, enterpriseName: enterprise.name });
          }
        }
      }
      // The voucher's remaining events (redeemed) are added with the settlement below.
      out.events.push(...voucherEvents);
      out.vouchers.push(fold(voucherEvents));
    }
  });

  settle(out, approved, pending, cutoff);
  placeEntries(out, pending);
  indexDays(out);
  return out;
}

type Outcome = "completed" | "cancelled" | "rejected" | "expired" | "no_show";
interface Step { type: string; data: Record<string, unknown>; at: number; byProvider: boolean }

/** The transitions after "created" that end a booking as `outcome`, as scheduling records them. */
function lifecycle(outcome: Outcome, b: { created: number; confirmedAt: number; start: number; end: number; priceFen: number; providerId: string; bookingId: string; rng: Random }): Step[] {
  const confirmed: Step = { type: "confirmed", data: { status: "confirmed", providerId: b.providerId }, at: b.confirmedAt, byProvider: true };
  switch (outcome) {
    case "completed":
      return [
        confirmed,
        { type: "checked_in", data: { status: "in_progress", item: 0 }, at: b.start, byProvider: true },
        { type: "completed", data: { status: "completed", item: 0, contractAmountFen: b.priceFen, reportNumber: `LS-${b.bookingId.slice(10)}` }, at: b.end, byProvider: true },
        { type: "contract_acknowledged", data: { status: "completed" }, at: b.end + b.rng.int(2, 30) * HOUR, byProvider: false },
      ];
    case "cancelled":
      return [confirmed, { type: "cancelled", data: { status: "cancelled", reason: "计划变更" }, at: b.confirmedAt + Math.min(DAY, b.start - b.confirmedAt - HOUR), byProvider: false }];
    case "no_show":
      return [confirmed, { type: "no_show", data: { status: "no_show", reason: "未到场" }, at: b.start + HOUR, byProvider: true }];
    case "rejected":
      return [{ type: "rejected", data: { status: "rejected", reason: "仪器维护" }, at: b.created + 3 * HOUR, byProvider: true }];
    case "expired":
      return [{ type: "expired", data: { status: "expired" }, at: Math.min(b.created + 48 * HOUR, b.start), byProvider: false }];
  }
}

function fold(events: StoredEvent[]): VoucherDoc {
  let doc: VoucherDoc | null = null;
  for (const e of events) doc = applyVoucherEvent(doc, e);
  // A void gave the quota back (the repair pass skips it).
  return doc!.status === "void" ? { ...doc!, quotaReturned: true } : doc!;
}

/**
 * The settlement of every period whose month after has begun before the cut-off, made on the 3rd
 * of that month at 10:00: its lines as settlement.ts computes them, each claim's redemption (ledger
 * entry and voucher event "redeemed") and the provider subsidies on the period's payout chain.
 */
function settle(out: DemoHistory, approved: Map<string, { claim: ClaimDoc; voucher: VoucherDoc; providerLocal: boolean; providerName: string; enterpriseName: string }[]>, pending: PendingEntry[], cutoff: number): void {
  const voucherIndex = new Map(out.vouchers.map((v, k) => [v._id, k]));
  for (const [period, list] of [...approved].sort(([a], [b]) => a.localeCompare(b))) {
    const at = monthStart(period).plus({ months: 1, days: 2, hours: 10 }).toMillis();
    if (at >= cutoff) continue; // left for the bureau to run
    const claims = [...list].sort((a, b) => a.claim._id.localeCompare(b.claim._id));
    const lines: SettlementLine[] = [];
    for (const { claim: c, providerLocal, providerName, enterpriseName } of claims) {
      const payee = { payeeKind: "enterprise" as const, payeeId: c.enterpriseId, payeeName: enterpriseName, claimId: c._id, voucherId: c.voucherId };
      if (c.provinceFen > 0) lines.push({ kind: "voucher_subsidy", ...payee, amountFen: c.provinceFen, source: "province" });
      if (c.cityFen > 0) lines.push({ kind: "voucher_subsidy", ...payee, amountFen: c.cityFen, source: "city" });
      const subsidy = providerLocal ? percentOfFen(c.contractAmountFen, POLICY.providerSubsidyBp) : 0;
      if (subsidy > 0) lines.push({ kind: "provider_subsidy", payeeKind: "provider", payeeId: c.providerId, payeeName: providerName, amountFen: subsidy, source: "city", claimId: c._id, voucherId: c.voucherId });
    }
    out.settlements.push({ _id: period, period, lines, totals: totalsOf(lines, claims.length, 0), createdBy: BUREAU_USER, createdAt: new Date(at), completedAt: new Date(at + 1000) });
    const year = monthStart(period).year;
    for (const { claim: c, voucher: v } of claims) {
      pending.push({ accountId: v.accountId, year: v.year, key: `redeem:${c._id}`, kind: "redeem", at, heldDeltaFen: -v.faceValueFen, redeemedDeltaFen: c.amountFen, capFen: 0, voucherId: v._id, enterpriseId: v.enterpriseId });
      const e: StoredEvent = { _id: `${v._id}:3`, aggregateId: v._id, seq: 3, type: "redeemed", data: { claimId: c._id, settlementId: period, amountFen: c.amountFen }, actorId: null, at: new Date(at + 500) };
      out.events.push(e);
      const k = voucherIndex.get(v._id)!;
      out.vouchers[k] = applyVoucherEvent(out.vouchers[k]!, e)!;
    }
    for (const l of lines) {
      if (l.kind !== "provider_subsidy") continue;
      pending.push({ accountId: payoutAccountOf(period), year, key: `provider_subsidy:${l.claimId}`, kind: "provider_subsidy", at: at + 1, heldDeltaFen: 0, redeemedDeltaFen: l.amountFen, capFen: 0, voucherId: l.voucherId! });
    }
  }
}

/** Numbers each account's entries by time, with the balances after each, and its head hint. */
function placeEntries(out: DemoHistory, pending: PendingEntry[]): void {
  const byAccount = new Map<string, PendingEntry[]>();
  for (const p of pending) (byAccount.get(p.accountId) ?? byAccount.set(p.accountId, []).get(p.accountId)!).push(p);
  const issueEntry = new Map<string, string>();
  for (const [accountId, list] of [...byAccount].sort(([a], [b]) => a.localeCompare(b))) {
    list.sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
    let held = 0;
    let redeemed = 0;
    list.forEach((p, k) => {
      held += p.heldDeltaFen;
      redeemed += p.redeemedDeltaFen;
      const { at, ...move } = p;
      out.ledger.push({ ...move, _id: entryId(accountId, k + 1), seq: k + 1, heldFen: held, redeemedFen: redeemed, at: new Date(at) });
      if (p.kind === "issue") issueEntry.set(p.voucherId!, entryId(accountId, k + 1));
    });
    out.heads.push({ _id: accountId, seq: list.length });
  }
  // The issue event names its ledger entry (issuing.ts).
  for (const e of out.events) if (e.type === "issued" && e.seq === 1 && issueEntry.has(e.aggregateId)) e.data.entryId = issueEntry.get(e.aggregateId)!;
}
