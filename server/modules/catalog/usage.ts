// What the catalog needs to know about bookings before it changes an instrument's calendar, status
// or maintenance windows. Scheduling answers (scheduling/instrument-usage.ts); the catalog cannot
// import scheduling (modules point down: scheduling → catalog → accounts), so server/app.ts injects it.
import type { InstrumentStatus } from "../../../shared/enums";
import type { OpenRange } from "../../../shared/schemas/catalog";
import type { AffectedBooking } from "../../../shared/schemas/common";

/** The fields that decide which instrument time exists and can be booked. */
export interface CalendarSpec {
  timezone: string;
  openHours: OpenRange[];
  slotMinutes: number;
  capacity: number;
  status: InstrumentStatus;
}

export interface InstrumentUsage {
  /**
   * Future bookings of the instrument, recorded or still being made, that `after` would break: any
   * of them when the slot length or zone changes or the instrument leaves service; those off the new
   * grid or outside the new hours; those on a unit the new capacity drops.
   */
  brokenBy(instrumentId: string, before: CalendarSpec, after: CalendarSpec): Promise<AffectedBooking[]>;
  /** Future bookings, recorded or still being made, with time on the instrument inside [start, end). */
  inside(instrumentId: string, start: Date, end: Date): Promise<AffectedBooking[]>;
}

export function calendarSpec(doc: CalendarSpec): CalendarSpec {
  const { timezone, openHours, slotMinutes, capacity, status } = doc;
  return { timezone, openHours: openHours.map(({ weekday, start, end }) => ({ weekday, start, end })), slotMinutes, capacity, status };
}

/** Whether going from `before` to `after` can break a booking (widening hours or capacity cannot, mostly). */
export function calendarNarrows(before: CalendarSpec, after: CalendarSpec): boolean {
  return (
    before.timezone !== after.timezone ||
    before.slotMinutes !== after.slotMinutes ||
    after.capacity < before.capacity ||
    (before.status === "active" && after.status !== "active") ||
    JSON.stringify(before.openHours) !== JSON.stringify(after.openHours)
  );
}
