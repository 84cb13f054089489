// Claims, expiry and monthly settlement (兑付): the voucher money after issuing. Stands on the voucher
// core (its stream, ledger, policies, assessor) and reads uploads and awards through small
// interfaces; app.ts wires it after the vouchers, uploads and awards services. docs/settlement.md.
import type { Connection } from "mongoose";
import type { ClaimCreateBody, ClaimListQuery, ClaimResubmitBody, ClaimReviewBody } from "../../../shared/schemas/claims";
import type { Payout, PayoutList, Settlement, SettlementSummary } from "../../../shared/schemas/settlements";
import type { LedgerVerification } from "../../../shared/schemas/vouchers";
import type { EventModel } from "../../db/event-store";
import type { DomainEventBus } from "../../events";
import { ForbiddenError } from "../../errors";
import type { Actor } from "../accounts/actor";
import type { OrgStream } from "../accounts/org-stream";
import { claimModels, type SettlementDoc } from "./claim-model";
import { ClaimReads } from "./claim-reads";
import { ClaimRepair } from "./claim-repair";
import { ClaimStream } from "./claim-stream";
import { ClaimFilings, type EvidenceReader } from "./claims";
import type { BookingReader } from "./issuing";
import type { LedgerEntryDoc, VoucherDoc } from "./model";
import type { VoucherService } from "./service";
import { Settlements, type AwardsReader } from "./settlement";
import { settlementCsv, settlementXlsx } from "./settlement-export";
import { verifySettlements } from "./settlement-verify";
import { SubsidyAssessor } from "./assess";

export interface ClaimsDeps {
  bus: DomainEventBus;
  orgStream: OrgStream;
  bookings: BookingReader;
  uploads: EvidenceReader;
  awards: AwardsReader;
}

const presentSummary = (s: SettlementDoc): SettlementSummary => ({ id: s._id, period: s.period, totals: s.totals, createdAt: new Date(s.createdAt).toISOString() });
export const presentSettlement = (s: SettlementDoc): Settlement => ({ ...presentSummary(s), lines: s.lines, createdBy: s.createdBy });

export class VoucherClaimsService {
  /** The claim window, approvals' months and expiry read this clock (tests stop it with atTime). */
  now: () => number = () => Date.now();
  readonly m;
  readonly stream;
  readonly filings;
  readonly reads;
  readonly settlements;
  readonly repairer;

  constructor(
    conn: Connection,
    events: EventModel,
    private readonly vouchers: VoucherService,
    d: ClaimsDeps,
  ) {
    this.m = claimModels(conn);
    this.stream = new ClaimStream(this.m, events);
    const now = () => this.now();
    const announce = (v: VoucherDoc) => d.bus.emit("voucher.changed", { voucherId: v._id, enterpriseId: v.enterpriseId, bookingId: v.bookingId, status: v.status });
    const assessor = new SubsidyAssessor(vouchers.policies, d.orgStream);
    this.filings = new ClaimFilings({
      vouchers: vouchers.stream, claims: this.stream, issuer: vouchers.issuer, assessor, policies: vouchers.policies,
      bookings: d.bookings, uploads: d.uploads, events, now, announce,
    });
    this.reads = new ClaimReads(this.m, this.stream, d.orgStream, d.uploads);
    this.settlements = new Settlements({
      m: this.m, claims: this.stream, vouchers: vouchers.stream, ledger: vouchers.ledger, policies: vouchers.policies,
      orgs: d.orgStream, awards: d.awards, events, now, announce,
    });
    this.repairer = new ClaimRepair({
      vm: vouchers.m, m: this.m, vouchers: vouchers.stream, claims: this.stream, filings: this.filings, settlements: this.settlements,
      issuer: vouchers.issuer, bookings: d.bookings, events, ledger: vouchers.ledger, now, announce,
    });
  }

  async file(actor: Actor, body: ClaimCreateBody) {
    return this.reads.get(actor, (await this.filings.file(actor, body))._id);
  }
  async resubmit(actor: Actor, id: string, body: ClaimResubmitBody) {
    return this.reads.get(actor, (await this.filings.resubmit(actor, id, body))._id);
  }
  async review(actor: Actor, id: string, body: ClaimReviewBody) {
    return this.reads.get(actor, (await this.filings.review(actor, id, body))._id);
  }
  get(actor: Actor, id: string) {
    return this.reads.get(actor, id);
  }
  list(actor: Actor, q: ClaimListQuery) {
    return this.reads.list(actor, q);
  }

  async settle(actor: Actor, period: string): Promise<{ settlement: Settlement; created: boolean }> {
    const { settlement, created } = await this.settlements.settle(actor, period);
    return { settlement: presentSettlement(settlement), created };
  }
  async getSettlement(id: string): Promise<Settlement> {
    return presentSettlement(await this.settlements.get(id));
  }
  async listSettlements(): Promise<{ items: SettlementSummary[] }> {
    return { items: (await this.settlements.list()).map(presentSummary) };
  }
  /** The lines paid to the caller's organization (a scan of the settlements: a dozen a year), newest first. */
  async payouts(actor: Actor, year?: number): Promise<PayoutList> {
    const orgId = actor.membership?.orgId;
    if (!orgId || actor.membership?.orgType === "bureau") throw new ForbiddenError();
    const items: Payout[] = [];
    for (const s of await this.settlements.list()) {
      if (year && !s.period.startsWith(`${year}-`)) continue;
      const paidAt = new Date(s.createdAt).toISOString();
      for (const l of s.lines) if (l.payeeId === orgId) items.push({ ...l, settlementId: s._id, period: s.period, paidAt });
    }
    return { items, totalFen: items.reduce((n, l) => n + l.amountFen, 0) };
  }
  async exportSettlement(id: string, format: "xlsx" | "csv"): Promise<Buffer> {
    const s = await this.settlements.get(id);
    return format === "csv" ? settlementCsv(s) : settlementXlsx(s);
  }

  /** The voucher core's ledger check plus settlements, redemptions and expiries (docs/settlement.md). */
  async verify(): Promise<LedgerVerification> {
    const base = await this.vouchers.verify();
    const entries = await this.vouchers.m.ledger.find({}).lean<LedgerEntryDoc[]>();
    const vouchers = await this.vouchers.stream.healMany(await this.vouchers.m.vouchers.find({}).lean<VoucherDoc[]>());
    const settlements = await this.m.settlements.find({}).lean<SettlementDoc[]>();
    const differences = [...base.differences, ...verifySettlements(entries, vouchers, settlements)];
    return { ...base, ok: differences.length === 0, differences };
  }

  /** Expiry and crash repair; run after the voucher repair by the sweeper timer (main.ts). */
  repair() {
    return this.repairer.run();
  }
}
