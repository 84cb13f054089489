// The dashboard's tables and charts, built from the statistics answers: each card's table is the
// data; its chart draws the same numbers (money as yuan on the axes, fen everywhere else).
import { COUNTIES } from "@shared/enums";
import type { Locale } from "@shared/enums";
import type { StatsByCounty, StatsByIndustry, StatsGrowth, StatsMonthly, StatsTop } from "@shared/schemas/stats";
import { countyLabel, industryLabel } from "../i18n/labels";
import type { StatsChartOption } from "../components/stats/StatsChart.vue";
import type { StatsTable } from "./table";

type T = (key: string, values?: Record<string, unknown>) => string;
const yuan = (fen: number) => fen / 100; // for drawing only

export const MONTHLY_METRICS = ["bookingsCount", "bookingsAmount", "issuedAmount", "redeemedAmount"] as const;
export type MonthlyMetric = (typeof MONTHLY_METRICS)[number];

type MonthItem = StatsMonthly["items"][number];
const metricOf: Record<MonthlyMetric, (m: MonthItem) => number> = {
  bookingsCount: (m) => m.bookings.count,
  bookingsAmount: (m) => yuan(m.bookings.amountFen),
  issuedAmount: (m) => yuan(m.vouchersIssued.amountFen),
  redeemedAmount: (m) => yuan(m.vouchersRedeemed.amountFen),
};

export function monthlyTable(data: StatsMonthly | null, t: T): StatsTable {
  return {
    columns: [
      { key: "month", label: t("stats.monthly.month"), kind: "text" },
      { key: "bookingsCount", label: t("stats.monthly.bookingsCount"), kind: "int" },
      { key: "bookingsAmount", label: t("stats.monthly.bookingsAmount"), kind: "fen" },
      { key: "issuedCount", label: t("stats.monthly.issuedCount"), kind: "int" },
      { key: "issuedAmount", label: t("stats.monthly.issuedAmount"), kind: "fen" },
      { key: "redeemedCount", label: t("stats.monthly.redeemedCount"), kind: "int" },
      { key: "redeemedAmount", label: t("stats.monthly.redeemedAmount"), kind: "fen" },
      { key: "enterprisesUsing", label: t("stats.monthly.enterprisesUsing"), kind: "int" },
      { key: "yoyBookings", label: t("stats.monthly.yoyBookings"), kind: "ratio" },
      { key: "yoyIssued", label: t("stats.monthly.yoyIssued"), kind: "ratio" },
      { key: "yoyRedeemed", label: t("stats.monthly.yoyRedeemed"), kind: "ratio" },
    ],
    rows: (data?.items ?? []).map((m) => ({
      month: m.month,
      bookingsCount: m.bookings.count,
      bookingsAmount: m.bookings.amountFen,
      issuedCount: m.vouchersIssued.count,
      issuedAmount: m.vouchersIssued.amountFen,
      redeemedCount: m.vouchersRedeemed.count,
      redeemedAmount: m.vouchersRedeemed.amountFen,
      enterprisesUsing: m.enterprisesUsingVouchers,
      yoyBookings: m.yoy.bookingsCount,
      yoyIssued: m.yoy.vouchersIssuedAmount,
      yoyRedeemed: m.yoy.vouchersRedeemedAmount,
    })),
  };
}

/** This period's months as bars, the same months a year before as a line. */
export function monthlyOption(data: StatsMonthly | null, previous: StatsMonthly | null, metric: MonthlyMetric, t: T): StatsChartOption {
  const items = data?.items ?? [];
  const before = previous?.items ?? [];
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: items.map((m) => m.month) },
    yAxis: { type: "value" },
    series: [
      { name: t("stats.monthly.thisPeriod"), type: "bar", data: items.map(metricOf[metric]), itemStyle: { color: "#409eff" } },
      { name: t("stats.monthly.lastYear"), type: "line", data: items.map((_, k) => (before[k] ? metricOf[metric](before[k]!) : null)), itemStyle: { color: "#e6a23c" } },
    ],
  };
}

/** All 11 counties, those without a subsidized enterprise with 0 (coverage is the point). */
export function countyTable(data: StatsByCounty | null, t: T, locale: Locale): StatsTable {
  const found = new Map((data?.items ?? []).map((i) => [i.code, i]));
  const rows = data
    ? [...(data.items.map((i) => i.code) as string[]), ...COUNTIES.map((c) => c.code).filter((c) => !found.has(c))].map((code) => {
        const i = found.get(code as never);
        return { code, county: countyLabel(code, locale), enterprises: i?.count ?? 0, amount: i?.amountFen ?? 0, share: i?.share ?? 0 };
      })
    : [];
  // Nothing at all in the range: an empty state rather than eleven zeros.
  return {
    columns: [
      { key: "county", label: t("stats.county.name"), kind: "text" },
      { key: "enterprises", label: t("stats.county.enterprises"), kind: "int" },
      { key: "amount", label: t("stats.county.amount"), kind: "fen" },
      { key: "share", label: t("stats.county.share"), kind: "percent" },
    ],
    rows: data && data.items.length > 0 ? rows : [],
  };
}

/** Horizontal bars: eleven long county names read on a phone too. */
export function countyOption(table: StatsTable, t: T): StatsChartOption {
  const rows = [...table.rows].reverse(); // the largest on top
  return {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: rows.map((r) => String(r.county)), axisLabel: { width: 110, overflow: "truncate" } },
    series: [{ name: t("stats.county.enterprises"), type: "bar", data: rows.map((r) => Number(r.enterprises)), itemStyle: { color: "#67c23a" } }],
  };
}

export function industryTable(data: StatsByIndustry | null, t: T, locale: Locale): StatsTable {
  return {
    columns: [
      { key: "industry", label: t("stats.industry.name"), kind: "text" },
      { key: "enterprises", label: t("stats.county.enterprises"), kind: "int" },
      { key: "amount", label: t("stats.county.amount"), kind: "fen" },
      { key: "share", label: t("stats.county.share"), kind: "percent" },
    ],
    rows: (data?.items ?? []).map((i) => ({ industry: industryLabel(i.code, locale), enterprises: i.count, amount: i.amountFen, share: i.share })),
  };
}

export function industryOption(table: StatsTable, narrow: boolean): StatsChartOption {
  return {
    tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
    // A phone has no room beside the ring: the legend goes below it and the labels keep to percents.
    legend: narrow ? { type: "scroll", orient: "horizontal", bottom: 0 } : { type: "scroll", orient: "vertical", right: 0, top: "middle" },
    series: [{
      type: "pie",
      radius: narrow ? ["30%", "70%"] : ["30%", "58%"],
      center: narrow ? ["50%", "45%"] : ["40%", "50%"],
      // Slices too thin for a label get none (they would overlap); the tooltip and the table show them.
      minShowLabelAngle: narrow ? 20 : 10,
      label: narrow ? { position: "inside", formatter: "{d}%", fontSize: 10, color: "#fff" } : { formatter: "{b}\n{d}%", fontSize: 11 },
      data: table.rows.map((r) => ({ name: String(r.industry), value: Number(r.enterprises) })),
    }],
  };
}

const GROWTH_FIGURES = ["enterprises", "instruments", "registryEnterprises"] as const;

export function growthTable(data: StatsGrowth | null, t: T): StatsTable {
  return {
    columns: [
      { key: "figure", label: t("stats.growth.figure"), kind: "text" },
      { key: "baseline", label: `${t("stats.growth.atBaseline")} ${data?.baseline ?? ""}`.trim(), kind: "int" },
      { key: "now", label: `${t("stats.growth.now")} ${data?.today ?? ""}`.trim(), kind: "int" },
      { key: "percent", label: t("stats.growth.percent"), kind: "percent" },
    ],
    rows: data ? GROWTH_FIGURES.map((k) => ({ figure: t(`stats.growth.${k}`), baseline: data[k].baseline, now: data[k].now, percent: data[k].growthPercent })) : [],
  };
}

export function growthOption(table: StatsTable, t: T): StatsChartOption {
  return {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: table.rows.map((r) => String(r.figure)), axisLabel: { interval: 0, width: 90, overflow: "break" } },
    yAxis: { type: "value" },
    series: [
      { name: t("stats.growth.atBaseline"), type: "bar", data: table.rows.map((r) => Number(r.baseline)), itemStyle: { color: "#909399" } },
      {
        name: t("stats.growth.now"), type: "bar", data: table.rows.map((r) => Number(r.now)), itemStyle: { color: "#409eff" },
        label: { show: true, position: "top", formatter: (p) => { const v = table.rows[p.dataIndex]?.percent; return v === null || v === undefined ? "" : `+${Number(v).toFixed(0)}%`; } },
      },
    ],
  };
}

export function topTable(data: StatsTop | null, t: T): StatsTable {
  return {
    columns: [
      { key: "rank", label: t("stats.top.rank"), kind: "int" },
      { key: "name", label: t("stats.top.name"), kind: "text" },
      { key: "bookings", label: t("stats.top.bookings"), kind: "int" },
      { key: "amount", label: t("stats.top.amount"), kind: "fen" },
    ],
    rows: (data?.items ?? []).map((i, k) => ({ rank: k + 1, name: i.name, bookings: i.count, amount: i.amountFen })),
  };
}

export function topOption(table: StatsTable, t: T): StatsChartOption {
  const rows = [...table.rows].reverse();
  return {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: rows.map((r) => String(r.name)), axisLabel: { width: 120, overflow: "truncate" } },
    series: [{ name: t("stats.top.bookings"), type: "bar", data: rows.map((r) => Number(r.bookings)), itemStyle: { color: "#409eff" } }],
  };
}
