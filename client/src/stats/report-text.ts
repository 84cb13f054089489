// The monthly report's numbers as the article writes them: amounts in 万元 (zh) or yuan (en),
// ratios "32 倍", growth in percent; integer arithmetic for money.
import type { Locale } from "@shared/enums";
import { formatFen } from "../money";

/** 6_340_000_00 fen → "634.00" (万元, two decimals, rounded half up). */
export function fenAsWan(fen: number): string {
  const hundredths = Math.floor((fen + 5_000) / 10_000); // 1 hundredth of 万元 = 10,000 fen
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, "0")}`;
}

export function amountText(fen: number, locale: Locale): string {
  return locale === "en" ? formatFen(fen) : fenAsWan(fen);
}

/** A ratio to at most two decimals, trailing zeros dropped: 32, 1.5, 0.83. */
export function ratioText(ratio: number): string {
  return String(Number(ratio.toFixed(2)));
}

export function percentText(percent: number | null, na: string): string {
  return percent === null ? na : `${String(Number(percent.toFixed(2)))}%`;
}

/** (now − base) / base in percent, two decimals; null for a base of 0 (as the API's growth). */
export function growthPercent(now: number, base: number): number | null {
  return base === 0 ? null : Math.round(((now - base) * 10_000) / base) / 100;
}

export function monthName(month: string, locale: Locale): string {
  const [y, m] = month.split("-").map(Number);
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "zh-CN", { month: "long", timeZone: "UTC" }).format(new Date(Date.UTC(y!, m! - 1, 1)));
}
