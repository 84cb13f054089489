// Typed calls for the bureau's audit log (issue 13): a filtered page, and the export URL for the same filters.
import type { AuditPage, AuditQuery } from "@shared/schemas/audit";
import { http } from "./http";

export type AuditFilters = Omit<AuditQuery, "page" | "pageSize">;

function clean(filters: AuditFilters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== null && v !== "")) as Record<string, string>;
}

export const auditApi = {
  list: (filters: AuditFilters, page: number, pageSize: number) => http.get<AuditPage>("/api/audit", { ...clean(filters), page, pageSize }),
  exportUrl: (filters: AuditFilters, format: "csv" | "json") => `/api/audit/export?${new URLSearchParams({ ...clean(filters), format }).toString()}`,
};
