// Health and the API description.
import type { Connection } from "mongoose";
import { Type } from "../../shared/schemas/common";
import { Health } from "../../shared/schemas/system";
import { pingDatabase } from "../db/connection";
import { route, type RouteSpec } from "./route";

/**
 * Whether start-up (bureau admin, demo data, search index warm-up) is done. main.ts creates it
 * not ready and marks it when done; an app built without one (tests) is ready at once.
 */
export class Readiness {
  constructor(private ready = true) {}
  markReady(): void {
    this.ready = true;
  }
  isReady(): boolean {
    return this.ready;
  }
}

export function systemRoutes(conn: Connection, openApi: () => unknown, readiness = new Readiness()): RouteSpec[] {
  return [
    route({
      method: "get", path: "/api/health", tag: "system", access: "public",
      summary: "Readiness and database reachability (503 while starting or when the database does not answer)",
      response: Health, alsoStatus: [503],
      handler: async ({ res }) => {
        const dbUp = await pingDatabase(conn);
        const db = dbUp ? "ok" : "down";
        if (!readiness.isReady()) {
          res.status(503);
          return { status: "starting", db };
        }
        if (!dbUp) res.status(503);
        return { status: dbUp ? "ok" : "degraded", db };
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
