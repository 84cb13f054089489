// Health and the API description.
import type { Connection } from "mongoose";
import { Type } from "../../shared/schemas/common";
import { Health } from "../../shared/schemas/system";
import { pingDatabase } from "../db/connection";
import { route, type RouteSpec } from "./route";

export function systemRoutes(conn: Connection, openApi: () => unknown): RouteSpec[] {
  return [
    route({
      method: "get", path: "/api/health", tag: "system", access: "public",
      summary: "Liveness and database reachability (503 when the database does not answer)",
      response: Health,
      handler: async ({ res }) => {
        const dbUp = await pingDatabase(conn);
        if (!dbUp) res.status(503);
        return { status: dbUp ? "ok" : "degraded", db: dbUp ? "ok" : "down" };
      },
    }),
    route({
      method: "get", path: "/api/openapi.json", tag: "system", access: "public",
      summary: "This document (OpenAPI 3.1), generated from the shared schemas",
      response: Type.Unknown({ description: "OpenAPI 3.1 document" }),
      handler: async () => openApi(),
    }),
  ];
}
