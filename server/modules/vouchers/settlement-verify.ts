// The settlement half of GET /api/ledger/verify: every settlement's totals recomputed from its lines
// and from the ledger (the claims' `redeem:` entries, the payout chain's entries), every redeemed or
// expired voucher against its entry, and no redemption outside a settlement.
import type { LedgerVerification } from "../../../shared/schemas/vouchers";
import type { SettlementDoc } from "./claim-model";
import { claimIdOf } from "./claim-model";
import type { LedgerEntryDoc, VoucherDoc } from "./model";
import { payoutAccountOf, totalsOf } from "./settlement";

type Difference = LedgerVerification["differences"][number];

export function verifySettlements(entries: LedgerEntryDoc[], vouchers: VoucherDoc[], settlements: SettlementDoc[]): Difference[] {
  const out: Difference[] = [];
  const diff = (accountId: string, what: string, expected: Difference["expected"], actual: Difference["actual"]) => out.push({ accountId, what, expected, actual });
  const byKey = new Map(entries.map((e) => [e.key, e]));
  const redeemsInSettlements = new Set<string>();

  for (const s of settlements) {
    const at = `settlement ${s._id}`;
    const fromLines = totalsOf(s.lines, s.totals.claims, s.totals.awards);
    for (const k of ["provinceFen", "cityFen", "totalFen", "voucherSubsidyFen", "providerSubsidyFen", "awardMatchFen"] as const) {
      if (fromLines[k] !== s.totals[k]) diff(at, `${k} vs its lines`, fromLines[k], s.totals[k]);
    }
    // From the ledger: the claims' redemptions and the payout chain.
    const perClaim = new Map<string, number>();
    for (const l of s.lines) if (l.kind === "voucher_subsidy") perClaim.set(l.claimId!, (perClaim.get(l.claimId!) ?? 0) + l.amountFen);
    let redeemed = 0;
    for (const [claimId, amount] of perClaim) {
      const e = byKey.get(`redeem:${claimId}`);
      redeemsInSettlements.add(`redeem:${claimId}`);
      if (!e || e.redeemedDeltaFen !== amount) diff(at, `redeem entry of ${claimId}`, amount, e?.redeemedDeltaFen ?? null);
      redeemed += e?.redeemedDeltaFen ?? 0;
    }
    if (redeemed !== s.totals.voucherSubsidyFen) diff(at, "voucher subsidy from the ledger", s.totals.voucherSubsidyFen, redeemed);
    const payouts = entries.filter((e) => e.accountId === payoutAccountOf(s._id));
    const paid = payouts.reduce((n, e) => n + e.redeemedDeltaFen, 0);
    if (paid !== s.totals.providerSubsidyFen + s.totals.awardMatchFen) diff(at, "provider subsidy and award match from the ledger", s.totals.providerSubsidyFen + s.totals.awardMatchFen, paid);
    for (const l of s.lines) {
      if (l.kind === "voucher_subsidy") continue;
      const key = l.kind === "provider_subsidy" ? `provider_subsidy:${l.claimId}` : `award_match:${l.awardId}`;
      const e = byKey.get(key);
      if (!e || e.redeemedDeltaFen !== l.amountFen || e.accountId !== payoutAccountOf(s._id)) diff(at, `${key} entry`, l.amountFen, e?.redeemedDeltaFen ?? null);
    }
  }
  for (const e of entries) {
    if (e.kind === "redeem" && !redeemsInSettlements.has(e.key)) diff(e.accountId, `redemption ${e.key} outside any settlement`, null, e.redeemedDeltaFen);
  }
  for (const v of vouchers) {
    const redeem = byKey.get(`redeem:${claimIdOf(v._id)}`);
    const expire = byKey.get(`expire:${v._id}`);
    if (v.status === "redeemed" && (!redeem || redeem.heldDeltaFen !== -v.faceValueFen)) diff(v.accountId, `voucher ${v._id} redeem entry`, -v.faceValueFen, redeem?.heldDeltaFen ?? null);
    if (v.status !== "redeemed" && redeem) diff(v.accountId, `voucher ${v._id} is ${v.status} but has a redeem entry`, null, redeem.heldDeltaFen);
    if (v.status === "expired" && (!expire || expire.heldDeltaFen !== -v.faceValueFen)) diff(v.accountId, `voucher ${v._id} expire entry`, -v.faceValueFen, expire?.heldDeltaFen ?? null);
    if (v.status !== "expired" && expire) diff(v.accountId, `voucher ${v._id} is ${v.status} but has an expire entry`, null, expire.heldDeltaFen);
  }
  return out;
}
