// Calendar and status changes that cannot break a booking (issue 8, "grid edits").
//
// Claims are keyed by slot start, so a new slot length, zone, open hours or a lower capacity would
// let a new booking overlap an old one. A change that can break bookings therefore runs in three
// revisions (each an event insert, revisions.ts):
//   1. lock: `calendarEdit` set. Booking re-reads the instrument after it has claimed its slots and
//      gives them back while a lock holds (scheduling/instrument-usage.ts), so from here on no
//      booking can get in on the old calendar;
//   2. check: every booking that claimed before the lock is visible now (claims are inserted before
//      the re-read, the lock before this read): any the change would break → unlock, 409 with them;
//   3. apply the change and unlock in one revision.
// A crash between 1 and 3 leaves a lock that goes stale after CALENDAR_EDIT_TTL_MS (the old calendar
// stays in force). Checking once before locking as well answers the common refusal without a lock.
import { newId } from "../../db/ids";
import { BookingsInTheWayError, ConflictError, NotFoundError } from "../../errors";
import type { InstrumentDoc } from "./model";
import type { RevisionStore } from "./revisions";
import { calendarNarrows, calendarSpec, type CalendarSpec, type InstrumentUsage } from "./usage";

/** How long a lock keeps bookings out; a change takes milliseconds, a crash must not freeze the instrument. */
export const CALENDAR_EDIT_TTL_MS = 30_000;
/**
 * After a new slot length or zone, bookings stay out a little longer: one planned on the old grid
 * whose claims land after the change could still look valid on the new grid (a 60-minute booking
 * holding only its 08:00 claim under 30-minute slots); the fence cannot tell, the pause catches it.
 */
export const GRID_SETTLE_MS = 2_000;

export function calendarLocked(doc: Pick<InstrumentDoc, "calendarEdit">, now: number = Date.now()): boolean {
  const edit = doc.calendarEdit;
  if (!edit) return false;
  const until = edit.until ? new Date(edit.until).getTime() : new Date(edit.at).getTime() + CALENDAR_EDIT_TTL_MS;
  return now < until;
}

type Edit = (current: InstrumentDoc) => Promise<Partial<InstrumentDoc>>;

export class CalendarGuard {
  constructor(
    private readonly revisions: RevisionStore<InstrumentDoc>,
    private readonly usage: () => InstrumentUsage | null,
  ) {}

  /** `revisions.revise`, through the lock protocol above when the edit can break bookings. */
  async revise(id: string, actorId: string, edit: Edit): Promise<InstrumentDoc> {
    const usage = this.usage();
    const current = await this.revisions.load(id);
    if (!current) throw new NotFoundError();
    const before = calendarSpec(current);
    const after = calendarSpec({ ...current, ...(await edit(current)) });
    if (!usage || !calendarNarrows(before, after)) return this.revisions.revise(id, actorId, edit);
    await refuseIfBroken(usage, id, before, after);

    const token = newId();
    const locked = await this.revisions.revise(id, actorId, async (cur) => {
      if (calendarLocked(cur)) throw new ConflictError(); // another change is being checked
      return { calendarEdit: { token, at: new Date() } };
    });
    try {
      await refuseIfBroken(usage, id, calendarSpec(locked), calendarSpec({ ...locked, ...(await edit(locked)) }));
      return await this.revisions.revise(id, actorId, async (cur) => {
        if (cur.calendarEdit?.token !== token || !calendarLocked(cur)) throw new ConflictError(); // our lock lapsed
        const changes = await edit(cur);
        const next = calendarSpec({ ...cur, ...changes });
        const regrid = next.slotMinutes !== cur.slotMinutes || next.timezone !== cur.timezone;
        const now = Date.now();
        return { ...changes, calendarEdit: regrid ? { token: "settle", at: new Date(now), until: new Date(now + GRID_SETTLE_MS) } : null };
      });
    } catch (err) {
      await this.unlock(id, actorId, token);
      throw err;
    }
  }

  private async unlock(id: string, actorId: string, token: string): Promise<void> {
    await this.revisions.revise(id, actorId, async (cur) => (cur.calendarEdit?.token === token ? { calendarEdit: null } : {}));
  }
}

async function refuseIfBroken(usage: InstrumentUsage, id: string, before: CalendarSpec, after: CalendarSpec): Promise<void> {
  const broken = await usage.brokenBy(id, before, after);
  if (broken.length === 0) return;
  const gridChanged =
    before.timezone !== after.timezone ||
    before.slotMinutes !== after.slotMinutes ||
    before.capacity !== after.capacity ||
    JSON.stringify(before.openHours) !== JSON.stringify(after.openHours);
  throw new BookingsInTheWayError(gridChanged ? "CALENDAR_IN_USE" : "BOOKINGS_AFFECTED", broken);
}
