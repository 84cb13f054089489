// What the audit journal records of an inserted document, by the collection it went into. Returns
// null for what is not audited (a booking's events, a catalog revision, …). Pure apart from the
// reads it is handed, so the recorder and the repair pass write the same entry.
import type { StoredEvent } from "../../db/event-store";
import type { AuditKind } from "../../../shared/schemas/audit";
import type { LedgerEntryDoc } from "../vouchers/model";
import type { SettlementDoc } from "../vouchers/claim-model";
import type { AwardDoc } from "../awards/model";
import type { NoticeDoc, ObjectionDecisionDoc } from "../admissions/model";
import { describeStreamEvent, type StreamReader } from "./describe-streams";
import type { JournalFacts } from "./model";

/** The collections the journal follows (the repair pass reads them too). */
export const AUDITED_COLLECTIONS = ["events", "ledger_entries", "settlements", "awards", "admission_notices", "admission_objection_decisions"] as const;
export type AuditedCollection = (typeof AUDITED_COLLECTIONS)[number];

export interface DescribeReads {
  stream: StreamReader;
  /** The provider of a voucher (for a provider-subsidy entry, which names only the voucher). */
  providerOfVoucher: (voucherId: string) => Promise<string | null>;
}

export const journalKey = (collection: string, id: unknown) => `${collection}/${String(id)}`;

export async function describe(collection: string, doc: Record<string, unknown>, reads: DescribeReads): Promise<JournalFacts | null> {
  switch (collection as AuditedCollection) {
    case "events":
      return describeStreamEvent(doc as unknown as StoredEvent, reads.stream);
    case "ledger_entries":
      return describeLedgerEntry(doc as unknown as LedgerEntryDoc, reads);
    case "settlements":
      return describeSettlement(doc as unknown as SettlementDoc);
    case "awards": {
      const a = doc as unknown as AwardDoc;
      return {
        kind: "award.recorded", at: new Date(a.recordedAt), actorId: a.recordedBy, subjectType: "award", subjectId: a._id, orgIds: [a.providerId],
        amountFen: a.provincialAwardFen, before: {}, after: { year: a.year, provincialAwardFen: a.provincialAwardFen },
      };
    }
    case "admission_notices": {
      const n = doc as unknown as NoticeDoc;
      return {
        kind: "admission.notice_opened", at: new Date(n.opensAt), actorId: n.openedBy, subjectType: "admission", subjectId: n._id, orgIds: [n.providerId],
        before: {}, after: { round: n.round, endsAt: new Date(n.endsAt).toISOString() },
      };
    }
    case "admission_objection_decisions": {
      const d = doc as unknown as ObjectionDecisionDoc;
      return {
        kind: `admission.objection_${d.decision === "uphold" ? "upheld" : "dismissed"}`, at: new Date(d.decidedAt), actorId: d.decidedBy,
        subjectType: "admission", subjectId: d.noticeId, orgIds: [d.noticeId.split(":")[0]!],
        before: { objection: d._id, decision: null }, after: { objection: d._id, decision: d.decision }, ...(d.note ? { reason: d.note } : {}),
      };
    }
    default:
      return null;
  }
}

async function describeLedgerEntry(e: LedgerEntryDoc, reads: DescribeReads): Promise<JournalFacts> {
  const payout = e.accountId.startsWith("settlement-");
  let orgIds = e.enterpriseId ? [e.enterpriseId] : [];
  if (e.kind === "award_match") orgIds = [e.key.slice("award_match:".length).split(":")[0]!];
  if (e.kind === "provider_subsidy" && e.voucherId) orgIds = [(await reads.providerOfVoucher(e.voucherId)) ?? ""].filter(Boolean);
  return {
    kind: `ledger.${e.kind}` as AuditKind, at: new Date(e.at), actorId: null,
    subjectType: payout ? "payout_account" : "quota_account", subjectId: e.accountId, orgIds,
    amountFen: e.redeemedDeltaFen !== 0 ? e.redeemedDeltaFen : e.heldDeltaFen,
    before: { heldFen: e.heldFen - e.heldDeltaFen, redeemedFen: e.redeemedFen - e.redeemedDeltaFen },
    after: { heldFen: e.heldFen, redeemedFen: e.redeemedFen, entry: e._id, key: e.key, ...(e.voucherId ? { voucherId: e.voucherId } : {}) },
  };
}

function describeSettlement(s: SettlementDoc): JournalFacts {
  const t = s.totals;
  return {
    kind: "settlement.created", at: new Date(s.createdAt), actorId: s.createdBy, subjectType: "settlement", subjectId: s._id,
    orgIds: [...new Set(s.lines.map((l) => l.payeeId))], amountFen: t.totalFen,
    before: {},
    after: { provinceFen: t.provinceFen, cityFen: t.cityFen, totalFen: t.totalFen, voucherSubsidyFen: t.voucherSubsidyFen, providerSubsidyFen: t.providerSubsidyFen, awardMatchFen: t.awardMatchFen, claims: t.claims, awards: t.awards },
    state: s as unknown as Record<string, unknown>,
  };
}
