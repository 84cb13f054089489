// The statistics' day index of the demo history (history.ts), as the product writes it while the
// facts happen (docs/stats.md): without it the dashboard would not see the history.
import { bookingNumbering } from "../modules/scheduling/booking-number";
import { dayLogNumbering, type DayLogDoc } from "../modules/stats/day-log";
import type { DemoHistory } from "./history";

/**
 * The day index the statistics read (docs/stats.md): each booking's number, taken per creation day
 * in creation order as booking-number.ts does (and carried by the booking and its "created" event),
 * and a day-log entry for each voucher issue and void and each settlement, at the instant the
 * document carries.
 */
export function indexDays(out: DemoHistory): void {
  const numberOf = bookingNumbering();
  const created = new Map(out.events.filter((e) => e.seq === 1 && e.type === "created").map((e) => [e.aggregateId, e]));
  for (const b of [...out.bookings].sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime() || x._id.localeCompare(y._id))) {
    const doc = numberOf(b._id, b.createdAt);
    out.numbers.push(doc);
    b.number = doc._id;
    created.get(b._id)!.data.number = doc._id;
  }
  const facts: { kind: DayLogDoc["kind"]; ref: string; at: Date }[] = [];
  for (const v of out.vouchers) {
    facts.push({ kind: "voucher", ref: v._id, at: v.issuedAt });
    if (v.voidedAt) facts.push({ kind: "voucher", ref: v._id, at: v.voidedAt });
  }
  for (const s of out.settlements) facts.push({ kind: "settlement", ref: s._id, at: s.createdAt });
  const entryOf = dayLogNumbering();
  facts.sort((a, b) => a.at.getTime() - b.at.getTime() || a.ref.localeCompare(b.ref));
  for (const f of facts) out.dayLog.push(entryOf(f.kind, f.ref, f.at));
}
