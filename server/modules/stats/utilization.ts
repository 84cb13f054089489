// Utilization per instrument, provider, category or county over a day range (issue 12): open hours
// from each instrument's weekly calendar minus its maintenance windows, booked hours of the active
// and completed bookings inside them, each instrument over the range's days in its own zone.
// Definitions: docs/stats.md "Live utilization". No HTTP here.
import { DateTime } from "luxon";
import type { Instrument } from "../../../shared/schemas/catalog";
import type { Utilization, UtilizationDay, UtilizationGroup, UtilizationItem, UtilizationQuery } from "../../../shared/schemas/stats-live";
import { DomainError, ForbiddenError } from "../../errors";
import type { Actor } from "../accounts/actor";
import { isBureau } from "../accounts/actor";
import { dayStart, todayOf } from "./calendar";
import { resolveRange } from "./range";
import type { UsageReads } from "./usage-reads";
import { bookedMs, hours, openIntervals, rate, slotStarts, totalMs } from "./usage";

/** Longest range: the cost is the range's slots × units of every instrument, read by `_id`. */
export const UTILIZATION_MAX_DAYS = 92;
/** Claim ids read per batch of instruments (a few `$in` queries of 1,000). */
const BATCH_IDS = 5_000;

interface InstrumentUsage {
  inst: Instrument;
  openMs: number;
  bookedMs: number;
  /** Per day of the range (the instrument's local days): open and booked ms. */
  daysMs: { openMs: number; bookedMs: number }[];
}

/** Which providers' instruments an actor sees: all (bureau, optionally narrowed to one) or its own. */
export function providerScope(actor: Actor, providerId: string | undefined): string | null {
  if (isBureau(actor)) return providerId ?? null;
  if (actor.membership?.orgType === "provider") {
    if (providerId !== undefined && providerId !== actor.membership.orgId) throw new ForbiddenError();
    return actor.membership.orgId;
  }
  throw new ForbiddenError();
}

export class UtilizationService {
  now: () => number = () => Date.now();

  constructor(private readonly reads: UsageReads) {}

  async utilization(actor: Actor, query: UtilizationQuery): Promise<Utilization> {
    const scope = providerScope(actor, query.providerId);
    const r = this.range(query);
    const groupBy: UtilizationGroup = query.groupBy ?? "instrument";
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    const instruments = (await this.reads.instruments()).filter((i) => i.status !== "retired" && (scope === null || i.providerId === scope));
    const usages = await this.usageOf(instruments, r.from, r.to);
    const days = query.perDay ? rangeDays(r.from, r.to) : null;

    const groups = new Map<string, { name?: string; usages: InstrumentUsage[] }>();
    for (const u of usages) {
      const [key, name] = groupKey(u.inst, groupBy);
      const g = groups.get(key) ?? { name, usages: [] };
      g.usages.push(u);
      groups.set(key, g);
    }
    const items = [...groups].map(([key, g]) => ({
      key,
      ...(g.name !== undefined ? { name: g.name } : {}),
      ...figures(g.usages),
      ...(days ? { days: dayFigures(g.usages, days) } : {}),
    }));
    items.sort(byRate);
    return { ...r, groupBy, total: items.length, offset, limit, items: items.slice(offset, offset + limit), totals: figures(usages) };
  }

  /**
   * The figures of each instrument over the days `from`..`to` of its own zone. Instruments are read
   * in batches of at most BATCH_IDS slot × unit ids: one batched claim read by `_id`, then one read
   * of the bookings they name, batch after batch.
   */
  private async usageOf(instruments: Instrument[], from: string, to: string): Promise<InstrumentUsage[]> {
    // Maintenance windows: one query for all, over the widest reach of the range in any zone (±1 day).
    const wide = { start: dayStart(from).minus({ days: 1 }).toJSDate(), end: dayStart(to).plus({ days: 2 }).toJSDate() };
    const blackouts = await this.reads.blackouts(instruments.map((i) => i.id), wide.start, wide.end);
    const plans = instruments.map((inst) => {
      // An instrument is open only since it was published.
      const start = Math.max(DateTime.fromISO(from, { zone: inst.timezone }).toMillis(), Date.parse(inst.createdAt));
      const end = DateTime.fromISO(to, { zone: inst.timezone }).plus({ days: 1 }).toMillis();
      const cut = (blackouts.get(inst.id) ?? []).map((b) => ({ start: b.start.getTime(), end: b.end.getTime() }));
      // Every booking that held one of the range's slots (buffers too: only their items count below).
      const starts = slotStarts(inst, start - inst.slotMinutes * 60_000, end);
      return { inst, open: openIntervals(inst, start, end, cut), starts };
    });
    const out: InstrumentUsage[] = [];
    for (const batch of batches(plans, (p) => p.starts.length * p.inst.capacity, BATCH_IDS)) {
      const holders = await this.reads.slotHolders(batch.map((p) => ({ instrumentId: p.inst.id, starts: p.starts, capacity: p.inst.capacity })));
      const ids = new Set([...holders.values()].flatMap((set) => [...set]));
      const bookings = new Map((await this.reads.bookings([...ids])).map((b) => [b._id, b]));
      for (const { inst, open } of batch) {
        const held = [...(holders.get(inst.id) ?? [])].flatMap((id) => (bookings.has(id) ? [bookings.get(id)!] : []));
        // The same open stretches cut at the instrument's local midnights: the days add up to the whole.
        const daysMs = rangeDays(from, to).map((day) => {
          const start = DateTime.fromISO(day, { zone: inst.timezone });
          const dayOpen = clip(open, start.toMillis(), start.plus({ days: 1 }).toMillis());
          return { openMs: totalMs(dayOpen) * inst.capacity, bookedMs: bookedMs(inst.id, dayOpen, held) };
        });
        out.push({ inst, openMs: totalMs(open) * inst.capacity, bookedMs: bookedMs(inst.id, open, held), daysMs });
      }
    }
    return out;
  }

  /** Defaults: this month to today; at most UTILIZATION_MAX_DAYS days; the stats' range rules otherwise. */
  private range(query: { from?: string; to?: string }): { from: string; to: string } {
    const to = query.to ?? todayOf(this.now());
    const r = resolveRange({ from: query.from ?? `${to.slice(0, 7)}-01`, to }, this.now());
    const days = dayStart(r.to).diff(dayStart(r.from), "days").days + 1;
    if (days > UTILIZATION_MAX_DAYS) {
      throw new DomainError("STATS_UTILIZATION_RANGE_TOO_LONG", { days: UTILIZATION_MAX_DAYS }, [
        { field: "/query/to", rule: "maxRange", message: `the range spans ${days} days`, params: { days: UTILIZATION_MAX_DAYS } },
      ]);
    }
    return r;
  }
}

function groupKey(inst: Instrument, groupBy: UtilizationGroup): [string, string | undefined] {
  switch (groupBy) {
    case "instrument":
      return [inst.id, inst.name];
    case "provider":
      return [inst.providerId, inst.providerName];
    case "category":
      return [inst.category, undefined];
    case "county":
      return [inst.county, undefined];
  }
}

function figures(usages: readonly InstrumentUsage[]): Pick<UtilizationItem, "instruments" | "openHours" | "bookedHours" | "rate"> {
  const open = usages.reduce((s, u) => s + u.openMs, 0);
  const booked = usages.reduce((s, u) => s + u.bookedMs, 0);
  return { instruments: usages.length, openHours: hours(open), bookedHours: hours(booked), rate: rate(booked, open) };
}

function dayFigures(usages: readonly InstrumentUsage[], days: readonly string[]): UtilizationDay[] {
  return days.map((day, k) => {
    const open = usages.reduce((s, u) => s + (u.daysMs[k]?.openMs ?? 0), 0);
    const booked = usages.reduce((s, u) => s + (u.daysMs[k]?.bookedMs ?? 0), 0);
    return { day, openHours: hours(open), bookedHours: hours(booked), rate: rate(booked, open) };
  });
}

/** The days `from`..`to`, both included (YYYY-MM-DD). */
function rangeDays(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = DateTime.fromISO(from, { zone: "UTC" }); d.toISODate()! <= to; d = d.plus({ days: 1 })) out.push(d.toISODate()!);
  return out;
}

/** The parts of `intervals` inside [start, end). */
function clip(intervals: readonly { start: number; end: number }[], start: number, end: number): { start: number; end: number }[] {
  return intervals.flatMap((iv) => {
    const s = Math.max(iv.start, start);
    const e = Math.min(iv.end, end);
    return e > s ? [{ start: s, end: e }] : [];
  });
}

/** Highest rate first, groups never open last, then booked hours, then the key (a stable page order). */
function byRate(a: UtilizationItem, b: UtilizationItem): number {
  const ra = a.rate ?? -1;
  const rb = b.rate ?? -1;
  return rb - ra || b.bookedHours - a.bookedHours || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** Consecutive groups of items whose weights add up to at most `max` (an item heavier alone is a group). */
function batches<T>(items: readonly T[], weight: (item: T) => number, max: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let sum = 0;
  for (const item of items) {
    const w = weight(item);
    if (current.length > 0 && sum + w > max) {
      out.push(current);
      current = [];
      sum = 0;
    }
    current.push(item);
    sum += w;
  }
  if (current.length > 0) out.push(current);
  return out;
}
