// Days of the platform zone (Asia/Shanghai) as YYYY-MM-DD strings, for the statistics' ranges.
export const PLATFORM_ZONE = "Asia/Shanghai";
const DAY = new Intl.DateTimeFormat("en-CA", { timeZone: PLATFORM_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

export function todayInCity(now = new Date()): string {
  return DAY.format(now);
}

/** The same day a year before (29 February → 28 February), as the API's year-over-year does. */
export function dayYearBefore(day: string): string {
  const md = day.slice(5);
  return `${Number(day.slice(0, 4)) - 1}-${md === "02-29" ? "02-28" : md}`;
}

/** The defaults: this year up to today. */
export function thisYear(today = todayInCity()): { from: string; to: string } {
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

export function lastYear(today = todayInCity()): { from: string; to: string } {
  const y = Number(today.slice(0, 4)) - 1;
  return { from: `${y}-01-01`, to: `${y}-12-31` };
}

/** The twelve months up to today: from the 1st of the month eleven months back. */
export function last12Months(today = todayInCity()): { from: string; to: string } {
  let y = Number(today.slice(0, 4));
  let m = Number(today.slice(5, 7)) - 11;
  if (m < 1) {
    m += 12;
    y -= 1;
  }
  return { from: `${y}-${String(m).padStart(2, "0")}-01`, to: today };
}

/** The last day of a month "YYYY-MM". */
export function monthEnd(month: string): string {
  const [y, m] = month.split("-").map(Number);
  const days = new Date(Date.UTC(y!, m!, 0)).getUTCDate();
  return `${month}-${String(days).padStart(2, "0")}`;
}
