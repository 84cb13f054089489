// The per-period export (docs/exchange.md): what was registered, issued, claimed and settled in a
// month (Asia/Shanghai), each record in its current state. Read-only: the projections (healed from
// their streams for registrations, which every read does) and the settlement of the period. Scans
// on the embedded FerretDB, once per export: fine for a monthly file at city scale.
import { DateTime } from "luxon";
import type { Connection } from "mongoose";
import { toCsv, type CsvCell } from "../../../shared/csv";
import { EXCHANGE_KINDS, type ExchangeExportQuery, type ExchangeKind } from "../../../shared/schemas/exchange";
import { DomainError } from "../../errors";
import type { OrgDoc, OrgStream } from "../accounts/org-stream";
import {
  CLAIM_FIELDS, REGISTRATION_FIELDS, SETTLEMENT_LINE_FIELDS, VOUCHER_FIELDS,
  claimRecord, iso, registrationRecord, settlementRecord, voucherRecord, type ExchangeRow,
} from "./records";

const ZONE = "Asia/Shanghai";
export const EXCHANGE_FORMAT_VERSION = "labshare-exchange/1";

const byTimeThenId = (field: string) => (a: ExchangeRow, b: ExchangeRow) =>
  String(a[field] ?? "").localeCompare(String(b[field] ?? "")) || String(a.id).localeCompare(String(b.id));

export class ExchangeExport {
  constructor(
    private readonly conn: Connection,
    private readonly orgStream: OrgStream,
  ) {}

  now: () => number = Date.now;

  async export(q: ExchangeExportQuery): Promise<{ type: string; body: string; filename: string }> {
    const format = q.format ?? "json";
    if (format === "csv" && !q.kind) throw new DomainError("EXCHANGE_KIND_REQUIRED", {}, [{ field: "/query/kind", rule: "required", message: "csv needs kind" }]);
    const start = DateTime.fromISO(`${q.period}-01`, { zone: ZONE });
    if (start.toMillis() > this.now()) throw new DomainError("EXCHANGE_PERIOD_FUTURE", { period: q.period });
    const window = { $gte: start.toJSDate(), $lt: start.plus({ months: 1 }).toJSDate() };
    const kinds: readonly ExchangeKind[] = q.kind ? [q.kind] : EXCHANGE_KINDS;
    const data: Partial<Record<ExchangeKind, ExchangeRow[]>> = {};
    for (const kind of kinds) data[kind] = await this.read(kind, q.period, window);
    const filename = `labshare-${q.period}${q.kind ? `-${q.kind}` : ""}.${format}`;
    if (format === "json") {
      const body = { format: EXCHANGE_FORMAT_VERSION, period: q.period, generatedAt: iso(new Date(this.now())), ...data };
      return { type: "application/json; charset=utf-8", body: JSON.stringify(body), filename };
    }
    return { type: "text/csv; charset=utf-8", body: csvOf(q.kind!, data[q.kind!]!), filename };
  }

  private async read(kind: ExchangeKind, period: string, window: { $gte: Date; $lt: Date }): Promise<ExchangeRow[]> {
    const db = this.conn;
    if (kind === "registrations") {
      const rows: ExchangeRow[] = [];
      for (const type of ["enterprise", "provider"] as const) {
        const docs = await db.collection(`${type}s`).find({ createdAt: window }).toArray();
        const healed = await this.orgStream.healMany(type, docs as unknown as OrgDoc[]);
        rows.push(...healed.map((d) => registrationRecord(d as unknown as Record<string, unknown>, type)));
      }
      return rows.sort(byTimeThenId("registeredAt"));
    }
    if (kind === "vouchers") return (await db.collection("vouchers").find({ period }).toArray()).map(voucherRecord).sort(byTimeThenId("issuedAt"));
    if (kind === "claims") return (await db.collection("voucher_claims").find({ submittedAt: window }).toArray()).map(claimRecord).sort(byTimeThenId("submittedAt"));
    const settlement = await db.collection("settlements").findOne({ _id: period as never });
    return settlement ? [settlementRecord(settlement)] : [];
  }
}

const COLUMNS: Record<ExchangeKind, readonly string[]> = {
  registrations: REGISTRATION_FIELDS, vouchers: VOUCHER_FIELDS, claims: CLAIM_FIELDS, settlements: SETTLEMENT_LINE_FIELDS,
};

/** CSV of one kind: one row per record (settlements: one row per line), the columns of docs/exchange.md. */
export function csvOf(kind: ExchangeKind, rows: ExchangeRow[]): string {
  const flat = kind === "settlements" ? rows.flatMap((s) => s.lines as ExchangeRow[]) : rows;
  const columns = COLUMNS[kind];
  return toCsv(columns, flat.map((r) => columns.map((c) => {
    const v = r[c];
    return (Array.isArray(v) ? v.join(";") : v) as CsvCell;
  })));
}
