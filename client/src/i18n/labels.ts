// Labels for shared enums. Counties and industries carry their zh/en labels in shared/enums.ts;
// the smaller enums are translated in the message files.
import {
  CATEGORIES,
  COUNTIES,
  INDUSTRIES,
  type Category,
  type County,
  type Industry,
  type Locale,
} from "@shared/enums";

type Labelled = { readonly code: string; readonly zh: string; readonly en: string };

function label(list: readonly Labelled[], code: string, locale: Locale): string {
  const item = list.find((entry) => entry.code === code);
  if (!item) return code;
  return locale === "en" ? item.en : item.zh;
}

export const countyLabel = (code: County | string, locale: Locale) => label(COUNTIES, code, locale);
export const industryLabel = (code: Industry | string, locale: Locale) => label(INDUSTRIES, code, locale);
export const categoryLabel = (code: Category | string, locale: Locale) => label(CATEGORIES, code, locale);

export function countyOptions(locale: Locale) {
  return COUNTIES.map((c) => ({ value: c.code, label: locale === "en" ? c.en : c.zh }));
}
export function industryOptions(locale: Locale) {
  return INDUSTRIES.map((i) => ({ value: i.code, label: locale === "en" ? i.en : i.zh }));
}
export function categoryOptions(locale: Locale) {
  return CATEGORIES.map((c) => ({ value: c.code, label: locale === "en" ? c.en : c.zh }));
}

const DATE_TIME = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/**
 * "2025-03-08 14:05" in Beijing time, the platform's zone: the compact form Chinese public-sector
 * users expect, unambiguous in English too, and narrow enough for table columns.
 */
export function formatDateTime(iso: string | undefined): string {
  if (!iso) return "—";
  const parts = Object.fromEntries(DATE_TIME.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
