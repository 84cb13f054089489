// Small facts about a booking for display: when it runs (first item's start to last item's end, and
// each item's parts), and what its actors may still do with it.
import { bookerMayCancel, cancelDeadlinePassed } from "@shared/booking-actions";
import { ACTIVE_BOOKING_STATUSES, type Locale } from "@shared/enums";
import type { Booking, BookingItem, ItemPart } from "@shared/schemas/scheduling";
import { formatDateTime } from "./i18n/labels";

export function bookingSpan(booking: Pick<Booking, "items">): { start: string; end: string } | null {
  if (booking.items.length === 0) return null;
  const starts = booking.items.map((i) => i.start).sort();
  const ends = booking.items.map((i) => i.end).sort();
  return { start: starts[0]!, end: ends[ends.length - 1]! };
}

/** "2025-03-08 09:00 – 11:30" (Beijing time), the end's date only when it differs. */
export function spanText(booking: Pick<Booking, "items">): string {
  const span = bookingSpan(booking);
  if (!span) return "—";
  const start = formatDateTime(span.start);
  const end = formatDateTime(span.end);
  return `${start} – ${end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : end}`;
}

export const isActive = (booking: Pick<Booking, "status">) => ACTIVE_BOOKING_STATUSES.includes(booking.status);

/** The booker may withdraw a request any time while it is pending, and cancel a confirmed booking until the deadline. */
export const enterpriseCanCancel = (booking: Booking, now = Date.now()) => bookerMayCancel(booking, now);

export const deadlinePassed = (booking: Booking, now = Date.now()) => cancelDeadlinePassed(booking, now);

type Parted = Pick<BookingItem, "start" | "end"> & { parts?: readonly ItemPart[] };
const partsOfItem = (item: Parted): readonly ItemPart[] => (item.parts?.length ? item.parts : [{ start: item.start, end: item.end }]);

/** Instrument time an item takes: the sum of its parts (a long measurement pauses over nights). */
export function itemMinutes(item: Parted): number {
  return partsOfItem(item).reduce((sum, p) => sum + (Date.parse(p.end) - Date.parse(p.start)) / 60_000, 0);
}

const DAY_LABEL: Record<Locale, Intl.DateTimeFormat> = {
  "zh-CN": new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", month: "long", day: "numeric", weekday: "short" }),
  en: new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Shanghai", weekday: "short", day: "numeric", month: "short" }),
};
const CLOCK = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const DAY_KEY = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" });

/**
 * An item's parts, one entry per day (Beijing time): [{day: "Mon 7 Dec", times: "08:00–12:00,
 * 13:30–17:30"}, …] or, in Chinese, [{day: "12月7日周一", times: "08:00–12:00、13:30–17:30"}]. A
 * part over midnight (round-the-clock instruments) shows under its first day with the end's day.
 */
export function itemPartsByDay(item: Parted, locale: Locale): { day: string; times: string }[] {
  const days: { key: string; day: string; ranges: string[] }[] = [];
  for (const part of partsOfItem(item)) {
    const start = new Date(part.start);
    const end = new Date(part.end);
    const key = DAY_KEY.format(start);
    const endKey = DAY_KEY.format(new Date(end.getTime() - 1));
    const endText = endKey === key ? CLOCK.format(end) : `${DAY_LABEL[locale].format(end)} ${CLOCK.format(end)}`;
    const range = `${CLOCK.format(start)}–${endText}`;
    const last = days[days.length - 1];
    if (last?.key === key) last.ranges.push(range);
    else days.push({ key, day: DAY_LABEL[locale].format(start), ranges: [range] });
  }
  return days.map((d) => ({ day: d.day, times: d.ranges.join(locale === "en" ? ", " : "、") }));
}
