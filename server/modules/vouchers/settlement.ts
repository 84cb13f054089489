// Monthly settlement (兑付, "本月申请，次月兑付"): once a month is over, the bureau settles every claim
// approved in it. Exactly once: the lines are computed first, then the whole settlement is the insert
// of `_id = <period>`; a second or parallel trigger meets the inserted one and answers it unchanged.
// After the insert the money moves on the ledger, each movement under its idempotency key:
// `redeem:<claimId>` on the quota account (held −face value, redeemed +claimed amount: the rest goes
// back to the quota), `provider_subsidy:<claimId>` and `award_match:<awardId>` on the payout chain
// `settlement-<period>`; each voucher gets its "redeemed" event. A crash after the insert leaves the
// settlement without `completedAt`, and the repair pass finishes it. Payees: docs/settlement.md.
import { DateTime } from "luxon";
import { isInCity } from "../../../shared/enums";
import type { Award } from "../../../shared/schemas/evidence";
import type { SettlementLine, SettlementTotals } from "../../../shared/schemas/settlements";
import { CITY_ZONE, percentOfFen } from "../../../shared/voucher-split";
import { appendEvent, eventId, type EventModel } from "../../db/event-store";
import { announceAppend } from "../../db/append-observers";
import { isDuplicateKeyError } from "../../db/errors";
import { NotFoundError, RuleError } from "../../errors";
import type { Actor } from "../accounts/actor";
import { dayLogOf } from "../stats/day-log";
import type { ProviderDoc } from "../accounts/model";
import type { OrgStream } from "../accounts/org-stream";
import type { ClaimDoc, ClaimModels, SettlementDoc } from "./claim-model";
import type { ClaimStream } from "./claim-stream";
import type { QuotaLedger } from "./ledger";
import type { PolicyDoc, VoucherDoc } from "./model";
import type { PolicyService } from "./policy";
import { applyVoucherEvent, type VoucherStream } from "./stream";

/** What settlement reads of awards (the awards service). */
export interface AwardsReader {
  awardsRecordedBetween(start: Date, end: Date): Promise<Award[]>;
}

export interface SettlementDeps {
  m: ClaimModels;
  claims: ClaimStream;
  vouchers: VoucherStream;
  ledger: QuotaLedger;
  policies: PolicyService;
  orgs: OrgStream;
  awards: AwardsReader;
  events: EventModel;
  now: () => number;
  announce: (v: VoucherDoc) => void;
}

/**
 * A period can be settled this long after it ends: an approval decided at 23:59:59 of its last day
 * is written a moment later, and must land in the settlement of its month.
 */
export const SETTLEMENT_GRACE_MS = 10 * 60_000;

export const payoutAccountOf = (period: string) => `settlement-${period}`;
const monthOf = (period: string) => DateTime.fromFormat(period, "yyyy-MM", { zone: CITY_ZONE });

export class Settlements {
  constructor(private readonly d: SettlementDeps) {}

  /** Settles a period once: `created` is false when an earlier or concurrent trigger already did. */
  async settle(actor: Actor, period: string): Promise<{ settlement: SettlementDoc; created: boolean }> {
    const opensAt = monthOf(period).plus({ months: 1 }).toMillis() + SETTLEMENT_GRACE_MS;
    if (this.d.now() < opensAt) {
      throw new RuleError("PERIOD_OPEN", { period, opensAt: DateTime.fromMillis(opensAt, { zone: CITY_ZONE }).toFormat("yyyy-MM-dd HH:mm") });
    }
    const existing = await this.d.m.settlements.findById(period).lean<SettlementDoc>();
    if (existing) return { settlement: existing, created: false };
    const { lines, totals } = await this.compute(period);
    const doc: SettlementDoc = { _id: period, period, lines, totals, createdBy: actor.userId, createdAt: new Date(this.d.now()) };
    await dayLogOf(this.d.m.settlements.db).append("settlement", period, doc.createdAt); // the statistics' day index (docs/stats.md)
    try {
      await this.d.m.settlements.create(doc);
      announceAppend(this.d.m.settlements.db, "settlements", doc);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return { settlement: (await this.d.m.settlements.findById(period).lean<SettlementDoc>())!, created: false };
    }
    await this.complete(doc);
    return { settlement: doc, created: true };
  }

  async get(id: string): Promise<SettlementDoc> {
    const doc = await this.d.m.settlements.findById(id).lean<SettlementDoc>();
    if (!doc) throw new NotFoundError();
    return doc;
  }

  list(): Promise<SettlementDoc[]> {
    return this.d.m.settlements.find({}).sort({ _id: -1 }).lean<SettlementDoc[]>();
  }

  /** The claims approved in a period (pending ones are healed first: an approval whose projection a crash left behind counts). */
  async approvedIn(period: string): Promise<ClaimDoc[]> {
    const docs = await this.d.m.claims.find({ $or: [{ approvedPeriod: period }, { status: "submitted" }] }).lean<ClaimDoc[]>();
    const healed = await this.d.claims.healMany(docs);
    return healed.filter((c) => c.status === "approved" && c.approvedPeriod === period).sort((a, b) => a._id.localeCompare(b._id));
  }

  /** The lines of a period: each approved claim's province and city parts, its provider subsidy, and the award matches. */
  async compute(period: string): Promise<{ lines: SettlementLine[]; totals: SettlementTotals }> {
    const versions = await this.d.policies.versions();
    const policyOf = (id: string, day: string): PolicyDoc => versions.find((p) => p._id === id) ?? versions.filter((p) => p._id <= day).at(-1) ?? versions[0]!;
    const names = new Map<string, { name: string; local: boolean }>();
    const org = async (type: "enterprise" | "provider", id: string) => {
      if (!names.has(id)) {
        const o = await this.d.orgs.load(type, id);
        names.set(id, { name: o?.name ?? id, local: type === "provider" && !!o && isInCity((o as ProviderDoc).county) });
      }
      return names.get(id)!;
    };
    const lines: SettlementLine[] = [];
    const claims = await this.approvedIn(period);
    for (const c of claims) {
      const ent = await org("enterprise", c.enterpriseId);
      const payee = { payeeKind: "enterprise" as const, payeeId: c.enterpriseId, payeeName: ent.name, claimId: c._id, voucherId: c.voucherId };
      if (c.provinceFen > 0) lines.push({ kind: "voucher_subsidy", ...payee, amountFen: c.provinceFen, source: "province" });
      if (c.cityFen > 0) lines.push({ kind: "voucher_subsidy", ...payee, amountFen: c.cityFen, source: "city" });
      const provider = await org("provider", c.providerId);
      const subsidy = provider.local ? percentOfFen(c.contractAmountFen, policyOf(c.policyId, period).providerSubsidyBp) : 0;
      if (subsidy > 0) {
        lines.push({ kind: "provider_subsidy", payeeKind: "provider", payeeId: c.providerId, payeeName: provider.name, amountFen: subsidy, source: "city", claimId: c._id, voucherId: c.voucherId });
      }
    }
    const start = monthOf(period);
    const awards = await this.d.awards.awardsRecordedBetween(start.toJSDate(), start.plus({ months: 1 }).toJSDate());
    let awardCount = 0;
    for (const a of awards.sort((x, y) => x.id.localeCompare(y.id))) {
      const provider = await org("provider", a.providerId);
      const day = DateTime.fromISO(a.recordedAt, { zone: CITY_ZONE }).toISODate()!;
      const match = provider.local ? percentOfFen(a.provincialAwardFen, policyOf("", day).awardMatchBp) : 0;
      if (match <= 0) continue;
      awardCount++;
      lines.push({ kind: "award_match", payeeKind: "provider", payeeId: a.providerId, payeeName: provider.name, amountFen: match, source: "city", awardId: a.id });
    }
    return { lines, totals: totalsOf(lines, claims.length, awardCount) };
  }

  /** Moves the money of an inserted settlement (idempotent: every step has its key or its event number). */
  async complete(s: SettlementDoc): Promise<void> {
    const account = payoutAccountOf(s.period);
    const year = monthOf(s.period).year;
    const claimIds = [...new Set(s.lines.filter((l) => l.claimId).map((l) => l.claimId!))];
    for (const claimId of claimIds) {
      const claim = await this.d.claims.load(claimId);
      if (claim) await this.redeem(claim, s._id);
    }
    for (const l of s.lines) {
      if (l.kind === "voucher_subsidy") continue;
      const key = l.kind === "provider_subsidy" ? `provider_subsidy:${l.claimId}` : `award_match:${l.awardId}`;
      await this.d.ledger.append(account, year, key, l.kind, () => ({ heldDeltaFen: 0, redeemedDeltaFen: l.amountFen, capFen: 0, ...(l.voucherId ? { voucherId: l.voucherId } : {}) }));
    }
    await this.d.m.settlements.updateOne({ _id: s._id }, { $set: { completedAt: new Date(this.d.now()) } });
  }

  /** A paid claim: its voucher's ledger entry `redeem:<claimId>`, then voucher event "redeemed". */
  private async redeem(claim: ClaimDoc, settlementId: string): Promise<void> {
    const v = await this.d.vouchers.load(claim.voucherId);
    if (!v) return;
    await this.d.ledger.append(v.accountId, v.year, `redeem:${claim._id}`, "redeem", () => ({
      heldDeltaFen: -v.faceValueFen, redeemedDeltaFen: claim.amountFen, capFen: 0, voucherId: v._id, enterpriseId: v.enterpriseId,
    }));
    for (let cur = v, attempt = 0; cur.status === "claimed" && attempt < 5; attempt++) {
      const seq = cur.version + 1;
      const e = { aggregateId: cur._id, seq, type: "redeemed", data: { claimId: claim._id, settlementId, amountFen: claim.amountFen }, actorId: null, at: new Date(this.d.now()) };
      if (await appendEvent(this.d.events, e)) {
        const redeemed = applyVoucherEvent(cur, { ...e, _id: eventId(cur._id, seq) })!;
        await this.d.vouchers.save(redeemed);
        this.d.announce(redeemed);
        return;
      }
      cur = (await this.d.vouchers.load(cur._id))!;
    }
  }

  /** Settlements a crash left unfinished (the repair pass). */
  async completePending(): Promise<number> {
    const pending = await this.d.m.settlements.find({ completedAt: { $exists: false } }).lean<SettlementDoc[]>();
    for (const s of pending) await this.complete(s);
    return pending.length;
  }
}

export function totalsOf(lines: SettlementLine[], claims: number, awards: number): SettlementTotals {
  const sum = (f: (l: SettlementLine) => boolean) => lines.filter(f).reduce((n, l) => n + l.amountFen, 0);
  const provinceFen = sum((l) => l.source === "province");
  const cityFen = sum((l) => l.source === "city");
  return {
    provinceFen, cityFen, totalFen: provinceFen + cityFen,
    voucherSubsidyFen: sum((l) => l.kind === "voucher_subsidy"),
    providerSubsidyFen: sum((l) => l.kind === "provider_subsidy"),
    awardMatchFen: sum((l) => l.kind === "award_match"),
    claims, awards,
  };
}
