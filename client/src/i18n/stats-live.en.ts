// English messages of the live utilization page (issue 12). Spread into en.ts; same keys as stats-live.zh-CN.ts.
import type { statsLiveZh } from "./stats-live.zh-CN";

export const statsLiveEn: typeof statsLiveZh = {
  statsLive: {
    nav: "Live utilization",
    title: "Live utilization",
    titleProvider: "Live utilization of our instruments",
    connected: "Live",
    disconnected: "Connection lost, reconnecting…",
    updatedAt: "Updated {time}",
    loadFailed: "The figures could not be loaded. Please try again later.",
    tiles: {
      inUse: "In use",
      bookedToday: "Booked today",
      idle: "Idle",
      inMaintenance: "In maintenance",
      bookingsToday: "Bookings today",
      vouchersToday: "Vouchers issued today",
      ofInstruments: "of {n} instrument | of {n} instruments",
    },
    ticker: { title: "Latest bookings", empty: "No bookings yet today" },
    utilization: {
      title: "Utilization",
      range: "Date range",
      start: "Start day",
      end: "End day",
      groupBy: "Group by",
      groups: { instrument: "Instrument", provider: "Provider", category: "Category", county: "County" },
      booked: "Booked",
      open: "Open",
      hours: "{booked} / {open} h",
      rate: "Utilization",
      noRate: "Never open",
      total: "Total",
      empty: "No instruments in this range",
      instruments: "{n} instrument | {n} instruments",
    },
  },
};
