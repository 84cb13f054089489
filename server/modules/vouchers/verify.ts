// Ledger verification (GET /api/ledger/verify): recomputes every quota account from its entries and
// compares with the balances the entries carry and with the vouchers. Reads whole collections: an
// audit, not a hot path. Later waves add settlement totals as more checks over the same entries.
import type { LedgerVerification } from "../../../shared/schemas/vouchers";
import type { LedgerEntryDoc, VoucherDoc, VoucherModels } from "./model";
import type { VoucherStream } from "./stream";

type Difference = LedgerVerification["differences"][number];

export async function verifyLedger(m: VoucherModels, stream: VoucherStream): Promise<LedgerVerification> {
  const entries = await m.ledger.find({}).lean<LedgerEntryDoc[]>();
  const vouchers = await stream.healMany(await m.vouchers.find({}).lean<VoucherDoc[]>());
  const differences: Difference[] = [];
  const diff = (accountId: string, what: string, expected: Difference["expected"], actual: Difference["actual"]) =>
    differences.push({ accountId, what, expected, actual });

  const byAccount = new Map<string, LedgerEntryDoc[]>();
  for (const e of entries) byAccount.set(e.accountId, [...(byAccount.get(e.accountId) ?? []), e]);
  const byKey = new Map(entries.map((e) => [e.key, e]));
  if (byKey.size !== entries.length) diff("*", "idempotency keys used twice", entries.length, byKey.size);

  // Each chain: entries 1..n without a gap, balances = running sums of the changes, never over the cap.
  const heldByAccount = new Map<string, number>();
  for (const [accountId, chain] of byAccount) {
    chain.sort((a, b) => a.seq - b.seq);
    let held = 0;
    let redeemed = 0;
    chain.forEach((e, k) => {
      if (e.seq !== k + 1) diff(accountId, `entry ${k + 1} missing`, k + 1, e.seq);
      held += e.heldDeltaFen;
      redeemed += e.redeemedDeltaFen;
      if (e.heldFen !== held) diff(accountId, `held balance after entry ${e.seq}`, held, e.heldFen);
      if (e.redeemedFen !== redeemed) diff(accountId, `redeemed balance after entry ${e.seq}`, redeemed, e.redeemedFen);
      if (held < 0) diff(accountId, `negative held balance after entry ${e.seq}`, 0, held);
      if (e.kind === "issue" && held + redeemed > e.capFen) diff(accountId, `cap exceeded by entry ${e.seq}`, e.capFen, held + redeemed);
    });
    heldByAccount.set(accountId, held);
  }

  // Vouchers against entries: each voucher's issue entry holds its face value; a void one has its
  // void entry; an account's held balance is the face value of its issued vouchers.
  const issuedByAccount = new Map<string, number>();
  for (const v of vouchers) {
    const issue = byKey.get(`issue:${v._id}`);
    if (!issue) diff(v.accountId, `voucher ${v._id} has no issue entry`, v.faceValueFen, null);
    else if (issue.heldDeltaFen !== v.faceValueFen) diff(v.accountId, `voucher ${v._id} face value`, issue.heldDeltaFen, v.faceValueFen);
    const voided = byKey.get(`void:${v._id}`);
    if (v.status === "void" && (!voided || voided.heldDeltaFen !== -v.faceValueFen)) diff(v.accountId, `voucher ${v._id} void entry`, -v.faceValueFen, voided?.heldDeltaFen ?? null);
    if (v.status !== "void" && voided) diff(v.accountId, `voucher ${v._id} is ${v.status} but has a void entry`, null, voided.heldDeltaFen);
    // Held until redeemed, voided or expired: issued and claimed vouchers (docs/settlement.md).
    if (v.status === "issued" || v.status === "claimed") issuedByAccount.set(v.accountId, (issuedByAccount.get(v.accountId) ?? 0) + v.faceValueFen);
  }
  const voucherIds = new Set(vouchers.map((v) => v._id));
  for (const e of entries) {
    if (e.kind === "issue" && e.voucherId && !voucherIds.has(e.voucherId)) diff(e.accountId, `issue entry ${e._id} has no voucher`, null, e.heldDeltaFen);
  }
  for (const [accountId, held] of heldByAccount) {
    const issued = issuedByAccount.get(accountId) ?? 0;
    if (issued !== held) diff(accountId, "held balance vs issued vouchers", issued, held);
  }
  return { ok: differences.length === 0, accounts: byAccount.size, entries: entries.length, differences };
}
