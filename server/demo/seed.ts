// Loads the demo city (city.ts) into the database. Idempotent: every document has a fixed `_id`,
// so a second run finds them all and inserts nothing; a run cut short is completed by the next.
// Plain inserts only (docs/database.md: insertMany is not all-or-nothing, inserts are safe).
import { DateTime } from "luxon";
import type { Connection, Model } from "mongoose";
import { CITY_ZONE } from "../../shared/voucher-split";
import { eventModel } from "../db/event-store";
import { isDuplicateKeyError } from "../db/errors";
import type { OrgStatus } from "../../shared/enums";
import { accountsModels, type MembershipDoc, type UserDoc } from "../modules/accounts/model";
import { hashPassword } from "../modules/accounts/passwords";
import { CatalogChangeLog } from "../modules/catalog/changes";
import { catalogModels } from "../modules/catalog/model";
import { COUNTIES, OUTSIDE_CITY } from "../../shared/enums";
import type { ProviderContactDoc } from "../modules/accounts/provider-contacts";
import { buildDemoCity, DEMO_PASSWORD, demoLogins, type DemoCity, type DemoLogin } from "./city";
import { buildDemoHistory, DEFAULT_HISTORY, type HistorySpec } from "./history";
import { schedulingModels } from "../modules/scheduling/model";
import { voucherModels } from "../modules/vouchers/model";
import { claimModels } from "../modules/vouchers/claim-model";
import { dayLogModel } from "../modules/stats/day-log";

export { DEMO_PASSWORD, type DemoLogin };

const BATCH = 500;
/**
 * The history's batches are smaller: each insertMany is one SQLite transaction on FerretDB, and
 * 500 whole bookings in one held the database past /api/health's 2 s ping while `npm start` seeds.
 */
const BULK_BATCH = 100;

export interface SeedProgress {
  /** The collection being written. */
  stage: string;
  done: number;
  total: number;
}

export interface SeedOptions {
  /** Create admin@demo.labshare; leave it out when LABSHARE_ADMIN_EMAIL configures the admin. */
  includeBureauAdmin?: boolean;
  onProgress?: (progress: SeedProgress) => void;
  /** The months of bookings, vouchers, claims and settlements before this one (history.ts); false: none. */
  history?: Partial<Omit<HistorySpec, "anchor">> | false;
  /** The clock that picks the history's anchor month on a first seed (epoch ms). */
  now?: number;
}

export interface SeedResult {
  /** Documents per collection in the demo city. */
  counts: Record<string, number>;
  inserted: number;
  /** Already there from an earlier run. */
  existing: number;
  logins: DemoLogin[];
  ms: number;
}

export async function seedDemoCity(conn: Connection, options: SeedOptions = {}): Promise<SeedResult> {
  const started = Date.now();
  const includeBureauAdmin = options.includeBureauAdmin ?? true;
  // One scrypt hash shared by every demo user: hashing ~800 passwords one by one would take most of a minute.
  const city = buildDemoCity({ passwordHash: await hashPassword(DEMO_PASSWORD), includeBureauAdmin });

  const accounts = accountsModels(conn);
  const catalog = catalogModels(conn);
  // Order matters for a run cut short: organizations before memberships (the sweeper drops a
  // membership whose organization is missing), instruments before the packages that name them, and
  // users last, because `npm start` seeds only a database without users: a start interrupted while
  // seeding seeds again on the next start.
  // Two years of history (issue 12), written through the driver in bulk: the documents are
  // already in the product's shapes, and casting ~10,000 of them through Mongoose would double the seed.
  const history = options.history === false ? [] : historySteps(conn, city, { ...DEFAULT_HISTORY, ...options.history, anchor: await historyAnchor(conn, options.now ?? Date.now()) });
  const plan = [
    step("providers", accounts.providers, city.providers),
    step("enterprises", accounts.enterprises, city.enterprises),
    step("memberships", accounts.memberships, city.memberships),
    step("instruments", catalog.instruments, city.instruments),
    step("packages", catalog.packages, city.packages),
    step("events", eventModel(conn), city.events),
    ...history,
    step("users", accounts.users, city.users),
  ];
  // Unique indexes (email, credit code, provider name) must exist before the first insert.
  await Promise.all(plan.map((s) => s.init()));

  const total = plan.reduce((sum, s) => sum + s.size, 0);
  let done = 0;
  let inserted = 0;
  options.onProgress?.({ stage: plan[0]!.name, done, total });
  for (const s of plan) {
    for (let from = 0; from < s.size; from += s.batch) {
      inserted += await s.insert(from, from + s.batch);
      done += Math.min(s.batch, s.size - from);
      options.onProgress?.({ stage: s.name, done, total });
    }
  }

  // Where enterprises deliver samples (issue 11); not counted above: the city's totals stay as they were.
  await insertMissing(accounts.providerContacts, city.providers.map(demoContact));

  // Search keeps the catalog in memory in every process: a bulk load tells them all to reload.
  if (inserted > 0) await new CatalogChangeLog(conn).append({ kind: "all" });

  const counts = Object.fromEntries(plan.map((s) => [s.name, s.size]));
  // The log-ins as the database has them (a re-run finds organizations reviewed since the first).
  const logins = await existingDemoLogins(conn, includeBureauAdmin);
  return { counts, inserted, existing: total - inserted, logins, ms: Date.now() - started };
}

/** A plausible address and contact for the i-th demo provider (fixed: a second run inserts nothing). */
function demoContact(p: DemoCity["providers"][number], i: number): ProviderContactDoc {
  const outside: Record<(typeof OUTSIDE_CITY)[number]["code"], string> = { province_other_city: "山东省济南市历下区", outside_province: "北京市海淀区" };
  const county = COUNTIES.find((c) => c.code === p.county);
  const place = county ? `山东省聊城市${county.zh}` : outside[p.county as keyof typeof outside];
  return {
    _id: p._id,
    address: `${place}${["花园北路", "东昌西路", "建设路", "振兴路", "光岳路"][i % 5]} ${10 + i * 7} 号 检测楼 ${1 + (i % 4)} 层收样室`,
    contactPerson: `${"王李张刘陈杨赵黄"[i % 8]}老师`,
    phone: `0635-83${String(10000 + i * 137).slice(-5)}`,
    note: "工作日 8:30–17:00 收样，节假日请提前电话联系",
    updatedAt: p.createdAt,
    updatedBy: p.createdBy,
  };
}

function step<T extends { _id: string }>(name: string, model: Model<T>, docs: T[]) {
  return {
    name,
    size: docs.length,
    batch: BATCH,
    init: () => model.init(),
    insert: (from: number, to: number) => insertMissing(model, docs.slice(from, to)),
  };
}

/** Like `step`, straight through the driver (no casting): for documents built in their stored shape. */
function bulkStep<T extends { _id: string }>(name: string, model: Model<T>, docs: T[]) {
  return {
    name,
    size: docs.length,
    batch: BULK_BATCH,
    init: () => model.init(),
    insert: (from: number, to: number) => insertMissingWith(() => model.collection.insertMany(docs.slice(from, to) as never[], { ordered: false }), Math.min(to, docs.length) - from),
  };
}

/**
 * The month the history ends before: chosen by the first seed and kept (`demo_meta.history`), so
 * a later run, in another month, builds the same documents and inserts nothing new.
 */
async function historyAnchor(conn: Connection, now: number): Promise<string> {
  const meta = conn.collection<{ _id: string; anchor: string }>("demo_meta");
  const anchor = DateTime.fromMillis(now, { zone: CITY_ZONE }).toFormat("yyyy-MM");
  try {
    await meta.insertOne({ _id: "history", anchor });
    return anchor;
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    return (await meta.findOne({ _id: "history" }))!.anchor;
  }
}

function historySteps(conn: Connection, city: DemoCity, spec: HistorySpec) {
  const h = buildDemoHistory(city, spec);
  const v = voucherModels(conn);
  const c = claimModels(conn);
  const s = schedulingModels(conn);
  return [
    // The day index before the facts it points at: a seed cut short leaves entries that count
    // nothing, never facts the statistics cannot see (stats/day-log.ts).
    bulkStep("history booking numbers", s.numbers, h.numbers),
    bulkStep("history day log", dayLogModel(conn), h.dayLog),
    bulkStep("history events", eventModel(conn), h.events),
    bulkStep("history bookings", s.bookings, h.bookings),
    bulkStep("history vouchers", v.vouchers, h.vouchers),
    bulkStep("history ledger entries", v.ledger, h.ledger),
    bulkStep("history ledger heads", v.heads, h.heads),
    bulkStep("history claims", c.claims, h.claims),
    bulkStep("history settlements", c.settlements, h.settlements),
  ];
}

/**
 * Inserts the documents whose `_id` is not there yet; returns how many it inserted. Unordered, so
 * every missing document goes in even when others are there already (an earlier or concurrent run).
 * Asking first which `_id`s exist would be slower on FerretDB: a `$in` filter scans the collection.
 */
function insertMissing<T extends { _id: string }>(model: Model<T>, docs: T[]): Promise<number> {
  return insertMissingWith(() => model.insertMany(docs, { ordered: false, throwOnValidationError: true }), docs.length);
}

async function insertMissingWith(insert: () => Promise<unknown>, size: number): Promise<number> {
  try {
    await insert();
    return size;
  } catch (err) {
    // Anything but "already there" (a validation error, a server error) is a real failure.
    if (!onlyDuplicateKeys(err)) throw err;
    return size - writeErrorsOf(err).length;
  }
}

function writeErrorsOf(err: unknown): unknown[] {
  const w = (err as { writeErrors?: unknown }).writeErrors;
  return Array.isArray(w) ? w : w ? [w] : [];
}

/** True if every failed write of an insertMany was a duplicate key and nothing failed validation. */
function onlyDuplicateKeys(err: unknown): boolean {
  const e = err as { results?: unknown[]; writeConcernError?: unknown; name?: string };
  if (e.writeConcernError || e.name === "ValidationError") return false;
  if (e.results?.some((r) => r instanceof Error && r.name === "ValidationError")) return false;
  const writeErrors = writeErrorsOf(err);
  if (writeErrors.length === 0) return isDuplicateKeyError(err);
  return writeErrors.every((w) => isDuplicateKeyError(w));
}

/** What the start-up banner adds to a log-in whose organization is not (or no longer) admitted. */
const STATUS_NOTES: Partial<Record<OrgStatus, string>> = {
  pending: "registration pending review",
  rejected: "registration rejected",
  revoked: "admission revoked",
};

/**
 * The demo log-ins whose users exist, each with a note on where its organization stands now (the
 * bureau may have reviewed the pending demo registration since the seed). Users are looked up by
 * email, since admin@demo.labshare may also come from ensureBureauAdmin, with another `_id`.
 */
export async function existingDemoLogins(conn: Connection, includeBureauAdmin: boolean): Promise<DemoLogin[]> {
  const logins = demoLogins(includeBureauAdmin);
  const { users, memberships, enterprises, providers } = accountsModels(conn);
  const found = await users
    .find({ email: { $in: logins.map((l) => l.email) } }, { email: 1 })
    .lean<Pick<UserDoc, "_id" | "email">[]>();
  const userIds = new Map(found.map((u) => [u.email, u._id]));
  const members = await memberships.find({ _id: { $in: [...userIds.values()] } }).lean<MembershipDoc[]>();
  const orgIds = (type: MembershipDoc["orgType"]) => members.filter((m) => m.orgType === type).map((m) => m.orgId);
  const orgs = [
    ...(await enterprises.find({ _id: { $in: orgIds("enterprise") } }, { status: 1 }).lean<{ _id: string; status: OrgStatus }[]>()),
    ...(await providers.find({ _id: { $in: orgIds("provider") } }, { status: 1 }).lean<{ _id: string; status: OrgStatus }[]>()),
  ];
  const statusOfOrg = new Map(orgs.map((o) => [o._id, o.status]));
  const statusOfUser = new Map(members.map((m) => [m._id, statusOfOrg.get(m.orgId)]));
  return logins.flatMap(({ userId: _, ...login }) => {
    const id = userIds.get(login.email);
    if (id === undefined) return [];
    const status = statusOfUser.get(id);
    const note = status ? STATUS_NOTES[status] : undefined;
    return [{ ...login, ...(note ? { note } : {}) }];
  });
}
