// Top instruments and providers (issue 12, the dashboard's ranking): bookings created in a day range
// per instrument or per provider, with their amount. Same dating as the overview's `bookings`
// (docs/stats.md): every booking created in the range, whatever its state now, at its price when
// made. A package booking counts once for each instrument (provider) it uses, its price split evenly
// over its items (the remainder fen to the earlier items), so the amounts add up to the bookings'.
// The source is a scan of `bookings` (FerretDB filters in Go), so an answer is shared per range
// through the same short-lived cache as the open month (fresh-cache.ts): at most a minute old.
import type { Connection } from "mongoose";
import type { StatsTop, StatsTopBy, StatsTopItem } from "../../../shared/schemas/stats";
import { dayStart } from "./calendar";
import { FreshCache } from "./fresh-cache";
import { resolveRange, type DayRange } from "./range";

interface TopBookingRow {
  priceFen?: number;
  items?: { instrumentId: string; instrumentName?: string; providerId: string }[];
}

interface Tally {
  count: number;
  amountFen: number;
  /** The name the booking carried, used when the instrument or provider is gone. */
  bookedName: string;
}

type Tallies = Record<StatsTopBy, Map<string, Tally>>;

const CACHE = { freshMs: 60_000, maxAgeMs: 600_000, pauseFactor: 9 };

export class StatsTopRanking {
  private readonly cached = new Map<string, FreshCache<Tallies>>();

  /** `clock`: the platform's clock (the statistics service's, so tests stop both at once). */
  constructor(private readonly conn: Connection, private readonly clock: () => number) {}

  async top(query: { from?: string; to?: string; by: StatsTopBy; limit?: number }): Promise<StatsTop> {
    const r = resolveRange(query, this.clock());
    const tallies = await this.talliesOf(r);
    const ranked = [...tallies[query.by]]
      .sort(([ia, a], [ib, b]) => b.count - a.count || b.amountFen - a.amountFen || ia.localeCompare(ib))
      .slice(0, query.limit ?? 10);
    const names = await this.namesOf(query.by, ranked.map(([id]) => id));
    const items = ranked.map(([id, t]): StatsTopItem => ({ id, name: names.get(id) ?? t.bookedName, count: t.count, amountFen: t.amountFen }));
    return { ...r, by: query.by, items };
  }

  private talliesOf(r: DayRange): Promise<Tallies> {
    const key = `${r.from}|${r.to}`;
    let cache = this.cached.get(key);
    if (!cache) {
      if (this.cached.size > 16) this.cached.clear(); // a dashboard asks for a handful of ranges
      cache = new FreshCache(() => this.compute(r), { ...CACHE, clock: this.clock });
      this.cached.set(key, cache);
    }
    return cache.get();
  }

  private async compute(r: DayRange): Promise<Tallies> {
    const window = { $gte: dayStart(r.from).toJSDate(), $lt: dayStart(r.to).plus({ days: 1 }).toJSDate() };
    const rows = (await this.conn
      .collection("bookings")
      .find({ createdAt: window }, { projection: { _id: 0, priceFen: 1, "items.instrumentId": 1, "items.instrumentName": 1, "items.providerId": 1 } })
      .toArray()) as unknown as TopBookingRow[];
    const tallies: Tallies = { instrument: new Map(), provider: new Map() };
    for (const b of rows) {
      const items = b.items ?? [];
      if (items.length === 0) continue;
      const price = b.priceFen ?? 0;
      const base = Math.floor(price / items.length);
      const shares = items.map((_, k) => base + (k < price - base * items.length ? 1 : 0));
      const tally = (by: StatsTopBy, id: string, name: string) => tallies[by].get(id) ?? tallies[by].set(id, { count: 0, amountFen: 0, bookedName: name }).get(id)!;
      const seen = { instrument: new Set<string>(), provider: new Set<string>() };
      items.forEach((item, k) => {
        for (const [by, id, name] of [["instrument", item.instrumentId, item.instrumentName ?? item.instrumentId], ["provider", item.providerId, item.providerId]] as const) {
          const t = tally(by, id, name);
          t.amountFen += shares[k]!;
          if (!seen[by].has(id)) {
            seen[by].add(id);
            t.count += 1;
          }
        }
      });
    }
    return tallies;
  }

  /** Current names, read by `_id` (the only read FerretDB serves from an index). */
  private async namesOf(by: StatsTopBy, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const collection = by === "instrument" ? "instruments" : "providers";
    const docs = (await this.conn.collection(collection).find({ _id: { $in: ids as never[] } }, { projection: { name: 1 } }).toArray()) as unknown as { _id: string; name: string }[];
    return new Map(docs.map((d) => [d._id, d.name]));
  }
}
