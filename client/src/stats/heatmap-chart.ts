// The utilization heat map (issue 12): the most booked instruments of the range (rows) × its days
// (columns, at most the last HEATMAP_MAX_DAYS), each cell the day's utilization rate. The table
// is the same grid: one row per instrument, its range totals, then one rate column per day.
import type { Utilization } from "@shared/schemas/stats-live";
import type { DayRange } from "../api/stats";
import type { StatsChartOption } from "../components/stats/StatsChart.vue";
import type { StatsTable } from "./table";

type T = (key: string, values?: Record<string, unknown>) => string;

/** Days drawn: the range's last month at most (the server's own limit is 92 days). */
export const HEATMAP_MAX_DAYS = 31;
/** Instruments drawn: the most booked hours in the range. */
export const HEATMAP_MAX_INSTRUMENTS = 15;

/** The last HEATMAP_MAX_DAYS days of a range (YYYY-MM-DD, computed in UTC: days, not instants). */
export function heatmapRange(r: DayRange): DayRange {
  const to = Date.parse(`${r.to}T00:00:00Z`);
  const earliest = new Date(to - (HEATMAP_MAX_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from: r.from > earliest ? r.from : earliest, to: r.to };
}

type Item = Utilization["items"][number];

/** The most booked instruments first (then the busier rate, then the name: a stable order). */
function topItems(data: Utilization | null): Item[] {
  return [...(data?.items ?? [])]
    .sort((a, b) => b.bookedHours - a.bookedHours || (b.rate ?? -1) - (a.rate ?? -1) || (a.name ?? a.key).localeCompare(b.name ?? b.key))
    .slice(0, HEATMAP_MAX_INSTRUMENTS);
}

const percent = (rate: number | null | undefined) => (rate === null || rate === undefined ? null : Math.round(rate * 10_000) / 100);

export function heatmapTable(data: Utilization | null, t: T): StatsTable {
  const items = topItems(data);
  const days = items[0]?.days?.map((d) => d.day) ?? [];
  return {
    columns: [
      { key: "name", label: t("stats.heatmap.instrument"), kind: "text" },
      { key: "bookedHours", label: t("stats.heatmap.bookedHours"), kind: "int" },
      { key: "openHours", label: t("stats.heatmap.openHours"), kind: "int" },
      { key: "rate", label: t("stats.heatmap.rate"), kind: "percent" },
      ...days.map((day) => ({ key: `d${day}`, label: day.slice(5), kind: "percent" as const })),
    ],
    rows: items.map((i) => ({
      name: i.name ?? i.key,
      bookedHours: i.bookedHours,
      openHours: i.openHours,
      rate: percent(i.rate),
      ...Object.fromEntries((i.days ?? []).map((d) => [`d${d.day}`, percent(d.rate)])),
    })),
  };
}

/** Rows top-down as in the table; a day closed all day has no cell (drawn blank, not as 0%). */
export function heatmapOption(table: StatsTable, t: T, narrow: boolean): StatsChartOption {
  const dayCols = table.columns.filter((c) => c.key.startsWith("d"));
  const names = table.rows.map((r) => String(r.name)).reverse();
  const data: [number, number, number][] = [];
  table.rows.forEach((row, k) => {
    const y = table.rows.length - 1 - k;
    dayCols.forEach((c, x) => {
      const v = row[c.key];
      if (typeof v === "number") data.push([x, y, v]);
    });
  });
  const max = Math.max(100, ...data.map((d) => d[2]));
  return {
    tooltip: {
      position: "top",
      formatter: (p: unknown) => {
        const [x, y, v] = (p as { value: [number, number, number] }).value;
        return `${names[y] ?? ""}<br/>${dayCols[x]?.label ?? ""}：${v.toFixed(2)}%`;
      },
    },
    grid: { left: 8, right: 8, top: 8, bottom: 76, containLabel: true },
    xAxis: { type: "category", data: dayCols.map((c) => c.label), splitArea: { show: true }, axisLabel: { interval: narrow ? 6 : 1, fontSize: 11 } },
    yAxis: { type: "category", data: names, splitArea: { show: true }, axisLabel: { width: narrow ? 84 : 150, overflow: "truncate", fontSize: 11 } },
    visualMap: {
      min: 0,
      max,
      calculable: true,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: narrow ? 120 : 200,
      text: [t("stats.heatmap.high"), t("stats.heatmap.low")],
      inRange: { color: ["#ecf5ff", "#79bbff", "#337ecc", "#1d3f72"] },
      formatter: (v: unknown) => `${Math.round(Number(v))}%`,
    },
    series: [{ name: t("stats.heatmap.rate"), type: "heatmap", data, emphasis: { itemStyle: { borderColor: "#333", borderWidth: 1 } } }],
  };
}
