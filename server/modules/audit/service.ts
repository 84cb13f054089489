// Reading the audit log: filters, newest first, pages, and the export (CSV or JSON). The journal is
// a scan on the embedded FerretDB for any filter (docs/audit.md "Cost"); MongoDB uses its indexes.
import { DateTime } from "luxon";
import type { Connection } from "mongoose";
import { AUDIT_KINDS, type AuditEntry, type AuditExportQuery, type AuditPage, type AuditQuery } from "../../../shared/schemas/audit";
import { toCsv } from "../../../shared/csv";
import { DomainError, ValidationError } from "../../errors";
import { range, type ChangeLog } from "./change-log";
import type { AuditModels, JournalDoc } from "./model";

const ZONE = "Asia/Shanghai";
export const MAX_EXPORT_ROWS = 50_000;
/** Unfiltered pages up to this deep are read from the change log by `_id`; deeper ones scan. */
const LOG_PAGES = 10;
const LOG_WINDOW = 200;
/** The unfiltered total is a count of the whole journal (a scan on FerretDB): recounted at most this often. */
const TOTAL_MAX_AGE_MS = 30_000;

type Filter = Omit<AuditQuery, "page" | "pageSize">;

/** A day (city time) or an instant; `end` of a day is the start of the next. */
function instant(v: string, end: boolean): Date {
  if (v.length === 10) {
    const day = DateTime.fromISO(v, { zone: ZONE });
    return (end ? day.plus({ days: 1 }) : day).toJSDate();
  }
  return new Date(end ? Date.parse(v) + 1 : Date.parse(v));
}

export function journalFilter(q: Filter): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  const from = q.from ? instant(q.from, false) : undefined;
  const to = q.to ? instant(q.to, true) : undefined;
  if (from && to && from >= to) {
    throw new ValidationError([{ field: "/query/to", rule: "notBeforeStart", message: `to ${q.to} is before from ${q.from}`, params: { start: q.from! } }], "AUDIT_RANGE_REVERSED");
  }
  if (from || to) filter.at = { ...(from ? { $gte: from } : {}), ...(to ? { $lt: to } : {}) };
  if (q.actor) filter.actorId = q.actor;
  if (q.kind) filter.kind = q.kind.includes(".") ? q.kind : { $in: AUDIT_KINDS.filter((k) => k.startsWith(`${q.kind}.`)) };
  if (q.subject) filter.$or = [{ subjectId: q.subject }, { orgIds: q.subject }];
  return filter;
}

export class AuditService {
  constructor(
    private readonly m: AuditModels,
    private readonly conn: Connection,
    private readonly log: ChangeLog,
  ) {}

  private total?: { value: number; at: number; counting?: Promise<number> };

  /** Newest first: the most recently recorded entry first (change-log order). */
  async list(q: AuditQuery): Promise<AuditPage> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const filter = journalFilter(q);
    if (Object.keys(filter).length === 0 && page <= LOG_PAGES) {
      // The page the console opens with: by `_id` from the log's head, not a scan of the journal.
      const [newest, total] = await Promise.all([this.newest(page * pageSize), this.journalSize()]);
      return { items: await this.present(newest.slice((page - 1) * pageSize)), total: Math.max(total, newest.length), page, pageSize };
    }
    const [docs, total] = await Promise.all([
      this.m.journal.find(filter).sort({ seq: -1 }).skip((page - 1) * pageSize).limit(pageSize).lean<JournalDoc[]>(),
      this.m.journal.countDocuments(filter),
    ]);
    return { items: await this.present(docs), total, page, pageSize };
  }

  /**
   * The number of journal entries, for the pager of the unfiltered list: counted once, then served
   * while a recount runs in the background when older than TOTAL_MAX_AGE_MS (entries only ever add,
   * so a stale total is a little low, never wrong about what the pages hold).
   */
  private async journalSize(): Promise<number> {
    const now = Date.now();
    const t = this.total;
    if (t && now - t.at < TOTAL_MAX_AGE_MS) return t.value;
    const counting = t?.counting ?? this.m.journal.countDocuments({}).then((value) => {
      this.total = { value, at: now };
      return value;
    }).finally(() => {
      if (this.total?.counting) delete this.total.counting;
    });
    if (t) {
      t.counting = counting;
      void counting.catch(() => undefined);
      return t.value;
    }
    return counting;
  }

  /** The `count` newest journal entries, walking the change log down from its head in windows (gaps and duplicates skipped). */
  private async newest(count: number): Promise<JournalDoc[]> {
    const out: JournalDoc[] = [];
    for (let top = await this.log.head(); top > 0 && out.length < count; top -= LOG_WINDOW) {
      const records = (await this.log.read(range(Math.max(1, top - LOG_WINDOW + 1), top))).sort((a, b) => b._id - a._id);
      const keys = records.filter((r) => r.key).map((r) => r.key!);
      const entries = new Map((await this.m.journal.find({ _id: { $in: keys } }).lean<JournalDoc[]>()).map((e) => [e._id, e]));
      for (const r of records) {
        const entry = r.key ? entries.get(r.key) : undefined;
        if (entry && entry.seq === r._id) out.push(entry);
      }
    }
    return out.slice(0, count);
  }

  async export(q: AuditExportQuery): Promise<{ body: string; type: string }> {
    const { format = "csv", ...filterQuery } = q;
    const filter = journalFilter(filterQuery);
    const count = await this.m.journal.countDocuments(filter);
    if (count > MAX_EXPORT_ROWS) throw new DomainError("AUDIT_EXPORT_TOO_LARGE", { count, max: MAX_EXPORT_ROWS });
    const items = await this.present(await this.m.journal.find(filter).sort({ seq: -1 }).lean<JournalDoc[]>());
    if (format === "json") return { type: "application/json; charset=utf-8", body: JSON.stringify({ items }) };
    return { type: "text/csv; charset=utf-8", body: auditCsv(items) };
  }

  private async present(docs: JournalDoc[]): Promise<AuditEntry[]> {
    const actorIds = [...new Set(docs.map((d) => d.actorId).filter((id): id is string => !!id))];
    const users = actorIds.length ? await this.conn.collection("users").find({ _id: { $in: actorIds as never[] } }, { projection: { name: 1 } }).toArray() : [];
    const names = new Map(users.map((u) => [String(u._id), String(u.name ?? "")]));
    return docs.map((d) => ({
      id: d._id, seq: d.seq, kind: d.kind, at: new Date(d.at).toISOString(),
      actorId: d.actorId ?? null, actorName: d.actorId ? (names.get(d.actorId) ?? null) : null,
      subjectType: d.subjectType, subjectId: d.subjectId, orgIds: d.orgIds ?? [],
      ...(typeof d.amountFen === "number" ? { amountFen: d.amountFen } : {}),
      before: d.before ?? {}, after: d.after ?? {},
      ...(d.reason ? { reason: d.reason } : {}),
    }));
  }
}

export const AUDIT_CSV_HEADERS = ["id", "seq", "at", "kind", "actorId", "actorName", "subjectType", "subjectId", "orgIds", "amountFen", "before", "after", "reason"] as const;

/** One row per entry; figures as JSON, times in city time with their offset. */
export function auditCsv(items: AuditEntry[]): string {
  return toCsv(AUDIT_CSV_HEADERS, items.map((e) => [
    e.id, e.seq, DateTime.fromISO(e.at, { zone: ZONE }).toISO(), e.kind, e.actorId, e.actorName, e.subjectType, e.subjectId,
    e.orgIds.join(";"), e.amountFen, JSON.stringify(e.before), JSON.stringify(e.after), e.reason,
  ]));
}
