// The day log: an append-only, `_id`-keyed index of the voucher and settlement facts of each day,
// `stats_day_log._id = "<YYYY-MM-DD>:<n>"` (platform zone), so the statistics read a day's vouchers
// and settlements by `_id` (day-index.ts) instead of scanning those collections (FerretDB scans every
// other filter). Written where the fact is decided, *before* its event or insert, with the instant
// the fact will carry: an entry only says "look at voucher X / settlement P for this day"; the
// reader counts what the voucher or settlement document itself says happened that day, so an entry
// whose write then lost a race (or crashed) counts nothing, and a fact is never without its entry.
// Numbers are decided like booking numbers: an in-process counter per day, a duplicate key moves on.
import { Schema, type Connection, type Model } from "mongoose";
import { isDuplicateKeyError } from "../../db/errors";
import { todayOf } from "./calendar";
import { probeDays } from "./day-probe";

export type DayLogKind = "voucher" | "settlement";

export interface DayLogDoc {
  _id: string;
  kind: DayLogKind;
  /** The voucher id, or the settlement's period. */
  ref: string;
  at: Date;
}
const dayLogSchema = new Schema<DayLogDoc>(
  { _id: String, kind: { type: String, required: true }, ref: { type: String, required: true }, at: { type: Date, required: true } },
  { versionKey: false },
);

export function dayLogModel(conn: Connection): Model<DayLogDoc> {
  return (conn.models.StatsDayLog as Model<DayLogDoc> | undefined) ?? conn.model<DayLogDoc>("StatsDayLog", dayLogSchema, "stats_day_log");
}

export const dayLogId = (day: string, n: number) => `${day}:${n}`;

/**
 * Entries for history written in bulk (demo seed, benches), as `append` numbers them on days
 * nothing else logged: per day of `at` from 1, in the order asked (ask in time order).
 */
export function dayLogNumbering(): (kind: DayLogKind, ref: string, at: Date) => DayLogDoc {
  const perDay = new Map<string, number>();
  return (kind, ref, at) => {
    const day = todayOf(at.getTime());
    const n = (perDay.get(day) ?? 0) + 1;
    perDay.set(day, n);
    return { _id: dayLogId(day, n), kind, ref, at };
  };
}

const MAX_ATTEMPTS = 1000;

export class DayLog {
  private readonly next = new Map<string, number>();
  private readonly probing = new Map<string, Promise<number>>();
  readonly model: Model<DayLogDoc>;

  constructor(private readonly conn: Connection) {
    this.model = dayLogModel(conn);
  }

  /** Appends an entry on the day of `at` (platform zone). */
  async append(kind: DayLogKind, ref: string, at: Date): Promise<void> {
    const day = todayOf(at.getTime());
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const n = await this.take(day);
      try {
        await this.model.collection.insertOne({ _id: dayLogId(day, n) as never, kind, ref, at });
        return;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    }
    throw new Error(`no free day-log number for ${day} after ${MAX_ATTEMPTS} attempts`);
  }

  /** Each day's entries (n order). */
  read(days: readonly string[], hints?: ReadonlyMap<string, number>): Promise<Map<string, DayLogDoc[]>> {
    return probeDays<DayLogDoc>(this.conn, "stats_day_log", days, dayLogId, undefined, hints);
  }

  private async take(day: string): Promise<number> {
    if (!this.next.has(day)) {
      let probe = this.probing.get(day);
      if (!probe) {
        probe = this.read([day]).then((m) => {
          const entries = m.get(day)!;
          return entries.length === 0 ? 1 : Number(entries.at(-1)!._id.split(":")[1]) + 1;
        }).finally(() => this.probing.delete(day));
        this.probing.set(day, probe);
      }
      const first = await probe;
      if (!this.next.has(day)) {
        this.next.set(day, first);
        for (const old of this.next.keys()) if (old < day) this.next.delete(old);
      }
    }
    const n = this.next.get(day)!;
    this.next.set(day, n + 1);
    return n;
  }
}

const logs = new WeakMap<Connection, DayLog>();

/** The day log of a connection (one per process and database, so its counters are shared). */
export function dayLogOf(conn: Connection): DayLog {
  let log = logs.get(conn);
  if (!log) logs.set(conn, (log = new DayLog(conn)));
  return log;
}
