// HTTP adapter for the provincial data exchange (bureau users; the connector logs in as one).
import * as X from "../../../shared/schemas/exchange";
import { route, type RouteSpec } from "../../http/route";
import type { ExchangeExport } from "./export";
import type { Outbox } from "./outbox";

const BUREAU = ["bureau_admin", "bureau_reviewer"] as const;

export function exchangeRoutes(d: { exchangeExport: ExchangeExport; outbox: Outbox }): RouteSpec[] {
  return [
    route({
      method: "get", path: "/api/exchange/export", tag: "exchange", access: BUREAU,
      summary: "Registrations, vouchers, claims and settlements of a month in the exchange format (JSON, or CSV of one kind)",
      query: X.ExchangeExportQuery, response: X.ExchangeExportFile, errors: ["EXCHANGE_KIND_REQUIRED", "EXCHANGE_PERIOD_FUTURE"],
      handler: async ({ query, res }) => {
        const file = await d.exchangeExport.export(query);
        res.set({ "Content-Type": file.type, "Content-Disposition": `attachment; filename="${file.filename}"`, "Cache-Control": "private, no-store" });
        res.send(file.body);
      },
    }),
    route({
      method: "get", path: "/api/exchange/outbox", tag: "exchange", access: BUREAU,
      summary: "Change records after a cursor, in order, each once, with stable ids: pass `next` as `after` for the next page",
      query: X.OutboxQuery, response: X.OutboxPage,
      handler: async ({ query, res }) => {
        res.set("Cache-Control", "private, no-store");
        return d.outbox.pull(query.after ?? 0, query.limit ?? 100);
      },
    }),
  ];
}
