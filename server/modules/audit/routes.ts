// HTTP adapter for the audit log (bureau only).
import * as A from "../../../shared/schemas/audit";
import { route, type RouteSpec } from "../../http/route";
import type { AuditService } from "./service";

const BUREAU = ["bureau_admin", "bureau_reviewer"] as const;

export function auditRoutes(d: { audit: AuditService }): RouteSpec[] {
  return [
    route({
      method: "get", path: "/api/audit", tag: "audit", access: BUREAU,
      summary: "The audit log: every review decision and money movement with who, when and the figures before and after, newest first",
      query: A.AuditQuery, response: A.AuditPage, errors: ["AUDIT_RANGE_REVERSED"],
      handler: async ({ query }) => d.audit.list(query),
    }),
    route({
      method: "get", path: "/api/audit/export", tag: "audit", access: BUREAU,
      summary: "The filtered audit log as a file: CSV (UTF-8 with BOM, default) or JSON",
      query: A.AuditExportQuery, response: A.AuditExportFile, errors: ["AUDIT_RANGE_REVERSED", "AUDIT_EXPORT_TOO_LARGE"],
      handler: async ({ query, res }) => {
        const file = await d.audit.export(query);
        res.set({ "Content-Type": file.type, "Content-Disposition": `attachment; filename="audit.${query.format ?? "csv"}"`, "Cache-Control": "private, no-store" });
        res.send(file.body);
      },
    }),
  ];
}
