// Reads the database and checks the invariants of DESIGN.md that data can show (`npm run
// check-invariants`, the chaos runs, the tests after crashes):
//   1. no two active bookings overlap on one instrument unit;
//   2. an active booking (a package's too) holds every claim it lists for time still ahead, and no
//      claim is live for a booking that is missing, inactive or does not list it (an orphan);
//   3, 4. quotas equal their ledger, every voucher has its entries, each period is settled once with
//      totals equal to its lines and to the ledger (vouchers/verify.ts, settlement-verify.ts).
// Reads whole collections: an audit to run now and then, not a hot path. Claims younger than the
// sweeper's grace may belong to a request still in flight and are not judged.
import { ACTIVE_BOOKING_STATUSES } from "../../../shared/enums";
import type { LedgerVerification } from "../../../shared/schemas/vouchers";
import type { BookingDoc, ClaimDoc, SchedulingModels } from "../scheduling/model";
import { claimStart } from "../scheduling/claims";
import { SWEEP_GRACE_MS } from "../scheduling/sweeper";

export interface Violation {
  invariant: "no-overlap" | "claims-held" | "orphan-claim" | "ledger-and-settlements";
  subject: string;
  detail: string;
}

export interface InvariantReport {
  ok: boolean;
  checked: { activeBookings: number; liveClaims: number; ledgerAccounts: number; ledgerEntries: number };
  violations: Violation[];
}

/** What the checker reads through: scheduling's models and the ledger and settlement verification. */
export interface CheckerDeps {
  scheduling: { m: SchedulingModels };
  claims: { verify(): Promise<LedgerVerification> };
}

export async function checkInvariants(d: CheckerDeps, now = Date.now()): Promise<InvariantReport> {
  const [active, live] = await Promise.all([
    d.scheduling.m.bookings.find({ status: { $in: ACTIVE_BOOKING_STATUSES } }).lean<BookingDoc[]>(),
    d.scheduling.m.claims.find({ bookingId: { $exists: true }, released: { $ne: true } }).lean<ClaimDoc[]>(),
  ]);
  const violations = [...overlaps(active), ...claimsHeld(active, live, now), ...orphans(active, live, now)];
  const ledger = await d.claims.verify();
  for (const diff of ledger.differences) {
    violations.push({ invariant: "ledger-and-settlements", subject: diff.accountId, detail: `${diff.what}: expected ${String(diff.expected)}, found ${String(diff.actual)}` });
  }
  return {
    ok: violations.length === 0,
    checked: { activeBookings: active.length, liveClaims: live.length, ledgerAccounts: ledger.accounts, ledgerEntries: ledger.entries },
    violations,
  };
}

/** Invariant 1: booked time of active bookings, per instrument unit, never overlaps. */
function overlaps(active: BookingDoc[]): Violation[] {
  const spans = new Map<string, { start: number; end: number; bookingId: string }[]>();
  for (const b of active) {
    for (const item of b.items) {
      const key = `${item.instrumentId} unit ${item.unit}`;
      for (const part of item.parts ?? [item]) {
        const list = spans.get(key) ?? [];
        list.push({ start: part.start.getTime(), end: part.end.getTime(), bookingId: b._id });
        spans.set(key, list);
      }
    }
  }
  const out: Violation[] = [];
  for (const [key, list] of spans) {
    list.sort((a, b) => a.start - b.start);
    let last = list[0]!;
    for (const span of list.slice(1)) {
      if (span.start < last.end && span.bookingId !== last.bookingId) {
        out.push({ invariant: "no-overlap", subject: key, detail: `bookings ${last.bookingId} and ${span.bookingId} overlap at ${new Date(span.start).toISOString()}` });
      }
      if (span.end > last.end) last = span;
    }
  }
  return out;
}

/** Invariant 2, held: every claim an active booking lists for time ahead is live and its own. */
function claimsHeld(active: BookingDoc[], live: ClaimDoc[], now: number): Violation[] {
  const owner = new Map(live.map((c) => [c._id, c.bookingId]));
  const out: Violation[] = [];
  for (const b of active) {
    const missing = b.claimIds.filter((id) => claimStart(id) >= now && owner.get(id) !== b._id);
    if (missing.length > 0) {
      out.push({ invariant: "claims-held", subject: b._id, detail: `${b.kind} booking does not hold ${missing.length} of its claims, e.g. ${missing[0]} (held by ${owner.get(missing[0]!) ?? "nobody"})` });
    }
  }
  return out;
}

/** Invariant 2, none: a live claim past the grace belongs to an active booking that lists it. */
function orphans(active: BookingDoc[], live: ClaimDoc[], now: number): Violation[] {
  const listed = new Map<string, Set<string>>(active.map((b) => [b._id, new Set(b.claimIds)]));
  return live
    .filter((c) => c.createdAt.getTime() <= now - SWEEP_GRACE_MS && !listed.get(c.bookingId!)?.has(c._id))
    .map((c) => ({
      invariant: "orphan-claim" as const,
      subject: c._id,
      detail: listed.has(c.bookingId!) ? `not listed by its booking ${c.bookingId}` : `its booking ${c.bookingId} is missing or no longer active`,
    }));
}
