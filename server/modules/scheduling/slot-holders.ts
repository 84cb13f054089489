// Reads for the statistics' utilization and live view (issue 12), by `_id` only so their cost
// follows the window asked about, not the history: which bookings ever held an instrument's slots
// (every claim generation, live or released: completed bookings have released theirs), the
// bookings made on a day (their numbers `YY-<day>-<n>` are probed in order) and bookings by id.
import { chunks, findByIds } from "../../db/by-ids";
import { claimId, generationId, MAX_GENERATIONS } from "./claims";
import type { SchedulingCore } from "./core";
import { formatBookingNumber } from "./booking-number";
import type { BookingDoc } from "./model";

/** Numbers probed per query past the highest known one; a gap this long ends the day's numbers. */
export const NUMBER_PROBE = 100;

export interface SlotsOf {
  instrumentId: string;
  starts: readonly number[];
  capacity: number;
}

/**
 * For each instrument, the ids of every booking that held (or holds) a unit of it at one of its slot
 * starts: every generation of every slot × unit, read by `_id` for all instruments together
 * (`$in` batches), generation after generation.
 */
export async function slotHolders(core: SchedulingCore, wanted: readonly SlotsOf[]): Promise<Map<string, Set<string>>> {
  const holders = new Map<string, Set<string>>(wanted.map((w) => [w.instrumentId, new Set<string>()]));
  type Pending = { instrumentId: string; slot: string; generation: number };
  let pending = new Map<string, Pending>();
  for (const { instrumentId, starts, capacity } of wanted) {
    for (const start of new Set(starts)) {
      for (let unit = 0; unit < capacity; unit++) {
        const slot = claimId(instrumentId, start, unit);
        pending.set(slot, { instrumentId, slot, generation: 0 });
      }
    }
  }
  for (let round = 0; pending.size > 0 && round < MAX_GENERATIONS; round++) {
    type Held = { _id: string; bookingId?: string; releasedBookingId?: string; released?: boolean };
    const found = await findByIds<Held>(core.m.claims, [...pending.keys()], { _id: 1, bookingId: 1, releasedBookingId: 1, released: 1 });
    const next = new Map<string, Pending>();
    for (const doc of found) {
      const p = pending.get(doc._id)!;
      const holder = doc.bookingId ?? doc.releasedBookingId;
      if (holder) holders.get(p.instrumentId)!.add(holder);
      if (doc.released) next.set(generationId(p.slot, p.generation + 1), { ...p, generation: p.generation + 1 });
    }
    pending = next;
  }
  return holders;
}

/** Booking projections by id (those that exist), in no order. */
export function bookingsByIds(core: SchedulingCore, ids: readonly string[]): Promise<BookingDoc[]> {
  return ids.length === 0 ? Promise.resolve([]) : findByIds<BookingDoc>(core.m.bookings, ids);
}

/**
 * The numbers of a day (`yyyyLLdd` in the platform zone) above `after`, with their bookings, in
 * order: probes of NUMBER_PROBE ids until one finds nothing (numbers are given from 1 upwards;
 * a failed booking leaves a rare gap).
 */
export async function numbersOfDay(core: SchedulingCore, day: string, after: number): Promise<{ n: number; bookingId: string }[]> {
  const out: { n: number; bookingId: string }[] = [];
  for (let first = after + 1; ; first += NUMBER_PROBE) {
    const ids = Array.from({ length: NUMBER_PROBE }, (_, k) => formatBookingNumber(day, first + k));
    const found = (await Promise.all(chunks(ids).map((c) => core.m.numbers.find({ _id: { $in: c } }, { bookingId: 1 }).lean<{ _id: string; bookingId: string }[]>()))).flat();
    if (found.length === 0) break;
    for (const d of found) out.push({ n: Number(d._id.slice(d._id.lastIndexOf("-") + 1)), bookingId: d.bookingId });
  }
  return out.sort((a, b) => a.n - b.n);
}
