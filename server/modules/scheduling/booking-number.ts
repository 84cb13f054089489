// Readable booking numbers (预约单号), e.g. `YY-20261203-0042`: the fixed prefix YY (预约, yùyuē),
// the booking's creation day in the platform zone, and a sequence per day. The number is decided
// by an insert (DESIGN.md: FerretDB updates are not atomic, a unique `_id` is): the document
// `{_id: "<prefix>-<day>-<n>"}` in `booking_numbers`; of two processes trying the same `n` one
// gets E11000 and tries the next. Each process hands out `n`s from an in-memory counter per day,
// so parallel bookings in one process never collide; after a restart (or with several processes)
// the counter starts at the first free number, found by `_id` probes. Numbers are unique and
// gap-tolerant: a booking that fails after its number was taken leaves a gap.
import { DateTime } from "luxon";
import { Schema, type Connection, type Model } from "mongoose";
import { isDuplicateKeyError } from "../../db/errors";

export const BOOKING_NUMBER_PREFIX = "YY";
/** The zone whose calendar day a number carries (the city's; instruments may have other zones). */
export const PLATFORM_ZONE = "Asia/Shanghai";
export const BOOKING_NUMBER_PATTERN = /^YY-\d{8}-\d{4,}$/;

export interface BookingNumberDoc {
  _id: string;
  bookingId: string;
  createdAt: Date;
}
const bookingNumberSchema = new Schema<BookingNumberDoc>(
  { _id: String, bookingId: { type: String, required: true }, createdAt: { type: Date, required: true } },
  { versionKey: false },
);

export function bookingNumberModel(conn: Connection): Model<BookingNumberDoc> {
  return conn.model<BookingNumberDoc>("BookingNumber", bookingNumberSchema, "booking_numbers");
}

export const formatBookingNumber = (day: string, n: number) => `${BOOKING_NUMBER_PREFIX}-${day}-${String(n).padStart(4, "0")}`;
/** The day (yyyyLLdd, platform zone) whose numbers a booking created at `at` takes. */
export const bookingNumberDay = (at: number) => DateTime.fromMillis(at, { zone: PLATFORM_ZONE }).toFormat("yyyyLLdd");

/**
 * Numbers for history written in bulk (demo seed, benches), as `assign` hands them out on days
 * nothing else numbered: per creation day from 1, in the order asked (ask in creation order).
 */
export function bookingNumbering(): (bookingId: string, createdAt: Date) => BookingNumberDoc {
  const perDay = new Map<string, number>();
  return (bookingId, createdAt) => {
    const day = bookingNumberDay(createdAt.getTime());
    const n = (perDay.get(day) ?? 0) + 1;
    perDay.set(day, n);
    return { _id: formatBookingNumber(day, n), bookingId, createdAt };
  };
}

/** Gives up after this many taken numbers in a row (another process racing far ahead). */
const MAX_ATTEMPTS = 1000;

export class BookingNumbers {
  /** Per day: the next `n` this process will try, once known. */
  private readonly next = new Map<string, number>();
  /** Per day: the probe for the first free `n`, shared by the requests that arrive meanwhile. */
  private readonly probing = new Map<string, Promise<number>>();

  constructor(private readonly model: Model<BookingNumberDoc>) {}

  /** Inserts the booking's number for the day of `at` and returns it (one insert on the common path). */
  async assign(bookingId: string, at: number): Promise<string> {
    const day = bookingNumberDay(at);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const n = await this.take(day);
      const number = formatBookingNumber(day, n);
      try {
        await this.model.create({ _id: number, bookingId, createdAt: new Date(at) });
        return number;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        // Taken by another process: this one's counter is behind; the next take moves past it.
      }
    }
    throw new Error(`no free booking number for ${day} after ${MAX_ATTEMPTS} attempts`);
  }

  /** The booking that holds a number, if any (one read by `_id`). */
  async bookingOf(number: string): Promise<string | null> {
    if (!BOOKING_NUMBER_PATTERN.test(number)) return null;
    const doc = await this.model.findById(number, { bookingId: 1 }).lean();
    return doc?.bookingId ?? null;
  }

  /** The next `n` for `day`, reserved synchronously once the counter is known. */
  private async take(day: string): Promise<number> {
    if (!this.next.has(day)) {
      let probe = this.probing.get(day);
      if (!probe) {
        probe = this.firstFree(day).finally(() => this.probing.delete(day));
        this.probing.set(day, probe);
      }
      const first = await probe;
      if (!this.next.has(day)) {
        this.next.set(day, first);
        for (const old of this.next.keys()) if (old < day) this.next.delete(old); // yesterday's counters are done
      }
    }
    const n = this.next.get(day)!;
    this.next.set(day, n + 1);
    return n;
  }

  /**
   * The first free `n` of a day, assuming numbers are taken from 1 upwards (gaps are rare): doubling
   * probes find a free one, a binary search the first. ~2·log2(count) reads by `_id`, once per day
   * and process.
   */
  private async firstFree(day: string): Promise<number> {
    const taken = async (n: number) => (await this.model.exists({ _id: formatBookingNumber(day, n) })) !== null;
    if (!(await taken(1))) return 1;
    let low = 1; // taken
    let high = 2;
    while (await taken(high)) {
      low = high;
      high *= 2;
    }
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (await taken(mid)) low = mid;
      else high = mid;
    }
    return high;
  }
}
