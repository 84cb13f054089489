// Property-based fuzzing of every operation of the served OpenAPI document (issue 13, "Security"):
// fast-check draws requests from each operation's schemas, mostly with one part spoiled (NoSQL
// operators such as {"$gt": ""} in any field, `__proto__`/`constructor` keys, huge and odd unicode
// strings, wrong types, broken bodies and content types), sent as every kind of caller. For every
// answer: no 5xx; no stack trace or internal text; an error has the stable shape {error: {code,
// message, …}} with a catalogued code and its own status; and a refused request changed nothing in
// the database (a digest of every collection before and after).
//
// `npm test` runs a short seeded pass (FUZZ_SECONDS, 30 s); `npm run fuzz -- --runs=N --seed=S
// --seconds=T` runs a long one (scripts/fuzz/run.ts). A failure prints the seed to replay it.
import { expect } from "chai";
import fc from "fast-check";
import { ERRORS, type ErrorCode } from "../../shared/errors";
import { login, orgAdmin, orgMember, registerUser, type TestUser } from "../factories/accounts";
import { publishInstrument, publishPackage, shanghai } from "../factories/catalog";
import { apiClient, type ApiClient } from "../support/http";
import { operationsOf } from "../support/authz-coverage";
import { requestArbitrary, type FuzzRequest, type OpenApiOperation } from "../support/openapi-arbitraries";
import { digestChanges, stateDigest, type StateDigest } from "../support/state-digest";
import { startTestServer, type TestServer } from "../support/server";

const SEED = Number(process.env.FUZZ_SEED ?? 13);
/** Cases per operation (each one request), unless the time budget ends it first. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 30);

/** Text that must never reach a client: stack frames, source paths, driver and engine internals. */
const INTERNAL_TEXT = [/\n\s+at [^\n]+:\d+:\d+/, /node_modules/, /\/(server|shared)\/[\w/-]+\.ts/, /\.ts:\d+/, /Mongo\w*Error/, /E11000/, /Cast to \w+ failed/, /BSONError|BSONTypeError/, /ferretdb/i, /\b(TypeError|ReferenceError|RangeError|SyntaxError): /];
const ERROR_KEYS = new Set(["code", "message", "fields", "retryAfter", "conflicts", "bookings"]);

const CALLERS = ["anonymous", "noOrg", "entAdminA", "entMemberA", "entAdminB", "provAdminP", "provStaffP", "provAdminQ", "bureauAdmin", "bureauReviewer"] as const;
type CallerName = (typeof CALLERS)[number];

interface Answer {
  status: number;
  text: string;
  contentType: string;
}

/** What is wrong with an answer (empty when nothing). */
function problemsWith(res: Answer): string[] {
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`answered ${res.status}`);
  const textual = /json|text|javascript|xml|csv/.test(res.contentType) || res.contentType === "";
  if (textual) for (const re of INTERNAL_TEXT) if (re.test(res.text)) problems.push(`internal text ${re} in the body`);
  if (res.status < 400) return problems;
  let body: { error?: Record<string, unknown> } | undefined;
  try {
    body = JSON.parse(res.text);
  } catch {
    return [...problems, `error answer is not JSON (${res.contentType})`];
  }
  const error = body?.error;
  if (!body || Object.keys(body).join() !== "error" || !error || typeof error !== "object") return [...problems, "error answer is not {error: {…}}"];
  const code = error.code as ErrorCode;
  if (typeof code !== "string" || !Object.hasOwn(ERRORS, code)) problems.push(`uncatalogued code ${JSON.stringify(code)}`);
  else if (ERRORS[code].status !== res.status) problems.push(`${code} answered with ${res.status}, not ${ERRORS[code].status}`);
  if (typeof error.message !== "string" || error.message === "") problems.push("error without a message");
  const extra = Object.keys(error).filter((k) => !ERROR_KEYS.has(k));
  if (extra.length > 0) problems.push(`error with keys ${extra.join(", ")}`);
  if (error.fields !== undefined && !(Array.isArray(error.fields) && error.fields.every((f) => typeof f?.field === "string" && typeof f?.rule === "string" && typeof f?.message === "string"))) {
    problems.push("error fields not [{field, rule, message}]");
  }
  return problems;
}

describe("route property fuzz: generated and spoiled requests to every OpenAPI operation, as every caller", function () {
  this.timeout(SECONDS * 2_000 + 180_000);
  let t: TestServer;
  let api: ApiClient;
  let doc: { paths: Record<string, Record<string, OpenApiOperation>> };
  const users = {} as Record<Exclude<CallerName, "anonymous">, TestUser>;
  const ids: Record<string, string[]> = {};

  before(async function () {
    this.timeout(120_000);
    t = await startTestServer("propfuzz");
    api = apiClient(t.baseUrl);
    const bureauToken = await login(api, t.admin.email, t.admin.password);
    const bureauAdmin: TestUser = { id: "", ...t.admin, token: bureauToken, orgId: "bureau" };
    const [entAdminA, entAdminB, provAdminP, provAdminQ, noOrg, bureauReviewer] = await Promise.all([
      orgAdmin(api, "enterprise", bureauToken),
      orgAdmin(api, "enterprise", bureauToken),
      orgAdmin(api, "provider", bureauToken),
      orgAdmin(api, "provider", bureauToken),
      registerUser(api, "noorg"),
      orgMember(api, bureauAdmin, "bureau_reviewer"),
    ]);
    const [entMemberA, provStaffP] = await Promise.all([orgMember(api, entAdminA, "enterprise_member"), orgMember(api, provAdminP, "provider_staff")]);
    Object.assign(users, { noOrg, entAdminA, entMemberA, entAdminB, provAdminP, provStaffP, provAdminQ, bureauAdmin, bureauReviewer });

    // Real objects, so that schema-valid requests reach the services rather than stop at 404.
    const instrument = await publishInstrument(api, provAdminP);
    const pkg = await publishPackage(api, provAdminP, [{ instrumentId: instrument.id, minutes: 60 }]);
    const booking = await api.post("/api/bookings", { instrumentId: instrument.id, start: shanghai(3, "10:00"), end: shanghai(3, "11:00") }, { token: entAdminA.token });
    expect(booking.status, JSON.stringify(booking.body)).to.equal(201);
    const blackout = await api.post(`/api/instruments/${instrument.id}/blackouts`, { start: shanghai(9, "08:00"), end: shanghai(9, "12:00"), reason: "维护" }, { token: provAdminP.token });
    const invitation = await api.post("/api/organization/invitations", { email: "invitee@example.test", role: "enterprise_member" }, { token: entAdminA.token });
    // A revoked invitation has an event stream of its own: its id in a claim's or voucher's place once answered 500.
    await api.post("/api/organization/invitations", { email: "revoked@example.test", role: "enterprise_member" }, { token: entAdminA.token });
    const revoked = (await api.get("/api/organization/invitations", { token: entAdminA.token })).body.items.find((i: { email: string }) => i.email === "revoked@example.test");
    expect((await api.call("DELETE", `/api/organization/invitations/${revoked.id}`, { token: entAdminA.token })).status).to.equal(200);
    Object.assign(ids, {
      anyKind: [instrument.id, pkg.id, booking.body.id, entAdminA.orgId!, provAdminP.orgId!, revoked.id],
      instruments: [instrument.id], packages: [pkg.id], bookings: [booking.body.id], enterprises: [entAdminA.orgId!, entAdminB.orgId!],
      providers: [provAdminP.orgId!, provAdminQ.orgId!], blackoutId: [blackout.body.id], token: [invitation.body.token],
      settlements: ["2000-12"], providerId: [provAdminP.orgId!], instrumentId: [instrument.id], packageId: [pkg.id], bookingId: [booking.body.id],
    });

    const res = await api.get("/api/openapi.json");
    expect(res.status).to.equal(200);
    doc = res.body;
  });
  after(() => t?.stop());

  /** Real ids for a parameter or field: `{id}` by the collection the path names, others by their name; and ids of other kinds. */
  function knownFor(path: string) {
    const collection = path.match(/^\/api\/([\w-]+)\/\{id\}/)?.[1];
    return (name: string) => {
      const own = name === "id" && collection ? (ids[collection] ?? []) : (ids[name] ?? []);
      return name === "id" || name.endsWith("Id") ? [...own, ...own, ...ids.anyKind!] : own;
    };
  }

  /** The caller's token; logging out ends a fresh session of theirs, not the one the fuzz uses. */
  async function tokenOf(caller: CallerName, req: FuzzRequest): Promise<string | undefined> {
    if (caller === "anonymous") return undefined;
    const user = users[caller];
    return req.method === "POST" && req.path === "/api/auth/logout" ? login(api, user.email, user.password) : user.token;
  }

  async function send(req: FuzzRequest, token: string | undefined): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (req.contentType) headers["content-type"] = req.contentType;
    const search = new URLSearchParams(req.query).toString();
    const res = await fetch(`${t.baseUrl}${req.path}${search ? `?${search}` : ""}`, { method: req.method, headers, body: req.body });
    return { status: res.status, text: await res.text(), contentType: res.headers.get("content-type") ?? "" };
  }

  /** Waits for what a successful write sets off after its answer (notifications, vouchers, announcements). */
  async function settled(): Promise<void> {
    const s = t.server.services;
    await Promise.all([s.notificationFollower.idle(), s.vouchers.idle(), s.scheduling.announcementsSent()]);
  }

  it("answers every request without a 5xx or internal text, refuses with the stable error shape, and changes nothing when it refuses", async () => {
    const operations = operationsOf(doc);
    const perOperationMs = (SECONDS * 1000) / operations.length;
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    let requests = 0;
    let baseline: StateDigest = await stateDigest(t.db.conn);
    const started = Date.now();

    for (const [index, operation] of operations.entries()) {
      const [method, route] = operation.split(" ") as [string, string];
      const openApiPath = route.replace(/:(\w+)/g, "{$1}");
      const op = doc.paths[openApiPath]![method.toLowerCase()]!;
      const property = fc.asyncProperty(requestArbitrary(method.toLowerCase(), openApiPath, op, knownFor(openApiPath)), fc.constantFrom(...CALLERS), async (req, caller) => {
        const res = await send(req, await tokenOf(caller, req));
        requests++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const found = problemsWith(res);
        if (res.status < 400) {
          await settled();
          baseline = await stateDigest(t.db.conn);
        } else {
          const after = await stateDigest(t.db.conn);
          const changes = digestChanges(baseline, after);
          if (changes.length > 0) found.push(`refused with ${res.status} but changed ${changes.join("; ")}`);
          baseline = after;
        }
        const short = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…(${text.length} chars)` : text);
        if (found.length > 0) throw new Error(`${found.join("; ")} — as ${caller}: ${req.method} ${short(req.path)} query ${short(JSON.stringify(req.query))} spoiled ${req.spoiled}; answer ${res.status} ${short(res.text)}`);
      });
      // The time budget: an operation reached behind schedule gets one case, so every one gets at least one.
      const behind = Date.now() - started > perOperationMs * index;
      const result = await fc.check(property, { seed: SEED + index, numRuns: behind ? 1 : RUNS, endOnFailure: !process.env.FUZZ_SHRINK });
      if (result.failed) {
        const why = result.errorInstance instanceof Error ? result.errorInstance.message : (fc.defaultReportMessage(result) ?? "failed").slice(0, 2_000);
        problems.push(`${operation} (seed ${SEED + index}, replay path ${result.counterexamplePath}): ${why}`);
      }
    }

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const histogram = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(" ");
    console.log(`      ${requests} requests over ${operations.length} operations in ${seconds} s (seed ${SEED}, ${RUNS} runs each): ${histogram}`);
    expect(problems, problems.join("\n\n")).to.deep.equal([]);
  });

  it("leaves no polluted prototype and the database answering", async () => {
    expect(({} as Record<string, unknown>).polluted, "Object.prototype").to.equal(undefined);
    const health = await api.get("/api/health");
    expect(health.status).to.equal(200);
    expect((await api.get("/api/me", { token: users.bureauAdmin.token })).status).to.equal(200);
  });
});
