// A property-based walk over the whole route table (issue 8, "bad input answers 4xx, never 500"):
// every query, body and path field of every route gets hostile values (non-finite numbers, -0,
// huge strings, NUL, leap seconds, years 1900/2200, wrong types, nested arrays and objects,
// prototype keys) from a caller the route admits. No answer may be a 5xx; each error carries a
// catalogued code with its own status; the values no field may take are refused with 400; and a
// bystander's requests keep succeeding throughout, so the database connection never drops.
import { expect } from "chai";
import type { RouteSpec } from "../../server/http/route";
import { createApp } from "../../server/app";
import { loadConfig } from "../../server/config";
import { createLogger } from "../../server/logger";
import type { Role } from "../../shared/enums";
import { ERRORS, type ErrorCode } from "../../shared/errors";
import { login, orgAdmin, registerUser, type TestUser } from "../factories/accounts";
import { publishInstrument, publishPackage, shanghai } from "../factories/catalog";
import { openTestDatabase } from "../support/db";
import { apiClient, type ApiClient, type ApiResponse } from "../support/http";
import { fieldPaths, isDateTimeField, isNumberField, sampleOf, withValueAt, type JsonSchema } from "../support/schema-samples";
import { startTestServer, type TestServer } from "../support/server";

// Each field gets the values every field must survive, plus those aimed at its type. The sets stay
// small on purpose: the walk covers ~40 routes and must finish well within a minute.
const BAD_TIMES = ["2026-12-31T23:59:60Z", "1900-01-01T00:00:00Z", "2200-01-01T00:00:00+08:00"];
const NUL_TEXT = ["a\u0000b", "\u0000"];
const NON_FINITE_TEXT = ["Infinity", "-Infinity", "1e309", "-1e309"];
const ODD_STRINGS = ["__proto__", "constructor", "toString", "$where", "a.b", "..", "%", "中文\u200b", "x".repeat(3000)];

/** Text for a query field or a path parameter of this schema. */
function hostileText(s: JsonSchema): string[] {
  const numeric = isNumberField(s) ? [...NON_FINITE_TEXT, "NaN", "-0", "0x10", " 1", "1e-400", "9007199254740993"] : ["Infinity", "1e309"];
  return [...NUL_TEXT, ...numeric, ...ODD_STRINGS, ...(isDateTimeField(s) ? BAD_TIMES : [BAD_TIMES[0]!])];
}
/** Text no field of this schema may take. */
const refusedText = (s: JsonSchema, text: string) =>
  NUL_TEXT.includes(text) || (isNumberField(s) && NON_FINITE_TEXT.includes(text)) || (isDateTimeField(s) && BAD_TIMES.includes(text));

const nested = (depth: number) => "[".repeat(depth) + "1" + "]".repeat(depth);
const PROTO_OBJECT = '{"__proto__":{"polluted":1}}';
/** Raw JSON put in place of a body field of this schema. */
function hostileJson(s: JsonSchema): string[] {
  const universal = ["1e309", "-0", "null", "true", nested(50), PROTO_OBJECT, ...NUL_TEXT.map((t) => JSON.stringify(t))];
  if (isNumberField(s)) return [...universal, "-1e309", "1e-400", "9007199254740993", "0.5", "-1", '"1"'];
  if (s.type === "string" || isDateTimeField(s)) {
    const times = isDateTimeField(s) ? BAD_TIMES : [];
    return [...universal, '"\\ud800"', `"${"x".repeat(60_000)}"`, ...[...ODD_STRINGS.slice(0, -1), ...times].map((t) => JSON.stringify(t))];
  }
  return [...universal, "[]", "{}", '{"constructor":{"prototype":{"polluted":1}}}', '{"toString":1,"valueOf":{}}', '"__proto__"'];
}
const refusedJson = (s: JsonSchema, json: string) =>
  json === "1e309" || json === "-1e309" || NUL_TEXT.some((t) => JSON.stringify(t) === json) || (isDateTimeField(s) && BAD_TIMES.some((t) => JSON.stringify(t) === json));
/** Whole bodies, all refused. */
const HOSTILE_BODIES = ["1e309", "[]", "null", nested(20_000), PROTO_OBJECT, '{"constructor":{"prototype":{}}}', '{"a\\u0000":1}'];

const SENTINEL = "@@HOSTILE@@";
const IN_FLIGHT = 4;

describe("route fuzz: hostile values in every field of every route", function () {
  // ~3,200 requests take ~30 s on two busy cores; the timeout leaves room for a loaded machine.
  this.timeout(120_000);
  let t: TestServer;
  let api: ApiClient;
  let specs: RouteSpec[];
  let bystander: TestUser;
  const tokenFor = {} as Record<"enterprise" | "provider" | "bureau", string>;
  const realIds: Record<string, string> = {};

  before(async () => {
    const specsDb = await openTestDatabase("fuzzspecs");
    try {
      ({ routes: specs } = createApp({ config: loadConfig({ LOG_LEVEL: "silent" }), conn: specsDb.conn, logger: createLogger("silent") }));
    } finally {
      await specsDb.drop();
    }
    t = await startTestServer("fuzz");
    api = apiClient(t.baseUrl);
    tokenFor.bureau = await login(api, t.admin.email, t.admin.password);
    const provider = await orgAdmin(api, "provider", tokenFor.bureau);
    const enterprise = await orgAdmin(api, "enterprise", tokenFor.bureau);
    tokenFor.provider = provider.token;
    tokenFor.enterprise = enterprise.token;
    bystander = await registerUser(api, "bystander");
    const instrument = await publishInstrument(api, provider);
    const pkg = await publishPackage(api, provider, [{ instrumentId: instrument.id, minutes: 60 }]);
    const booking = await api.post("/api/bookings", { instrumentId: instrument.id, start: shanghai(3, "10:00"), end: shanghai(3, "11:00") }, { token: enterprise.token });
    const blackout = await api.post(`/api/instruments/${instrument.id}/blackouts`, { start: shanghai(9, "08:00"), end: shanghai(9, "12:00"), reason: "维护" }, { token: provider.token });
    const invitation = await api.post("/api/organization/invitations", { email: "invitee@example.test", role: "enterprise_member" }, { token: enterprise.token });
    Object.assign(realIds, {
      "/api/instruments/:id": instrument.id, "/api/packages/:id": pkg.id, "/api/bookings/:id": booking.body.id,
      "/api/enterprises/:id": enterprise.orgId!, "/api/providers/:id": provider.orgId!, ":blackoutId": blackout.body.id,
      ":token": invitation.body.token,
    });
  });
  after(() => t?.stop());

  /** A caller the route admits: the enterprise admin unless the route wants a provider or the bureau. */
  function tokenForRoute(spec: RouteSpec): string {
    if (spec.access === "public" || spec.access === "user") return tokenFor.enterprise;
    const roles: readonly Role[] = spec.access;
    if (roles.some((r) => r.startsWith("enterprise"))) return tokenFor.enterprise;
    if (roles.some((r) => r.startsWith("provider"))) return tokenFor.provider;
    return tokenFor.bureau;
  }

  /** The real id a path parameter names where we have one (so schema-valid values reach the services). */
  function paramValue(spec: RouteSpec, name: string): string {
    const prefix = spec.path.slice(0, spec.path.indexOf(`:${name}`) + name.length + 1);
    const known = Object.entries(realIds).find(([key]) => prefix.endsWith(key));
    return known?.[1] ?? String(sampleOf((spec.params as JsonSchema).properties![name]!));
  }

  interface Probe {
    spec: RouteSpec;
    what: string;
    params?: Record<string, string>;
    query?: Record<string, unknown>;
    rawBody?: string;
    mustRefuse: boolean;
  }

  function probesFor(spec: RouteSpec): Probe[] {
    const paramNames = Object.keys((spec.params as JsonSchema | undefined)?.properties ?? {});
    const baseParams = Object.fromEntries(paramNames.map((n) => [n, paramValue(spec, n)]));
    const baseQuery = spec.query ? (sampleOf(spec.query as JsonSchema) as Record<string, unknown>) : undefined;
    const baseBody = spec.body ? sampleOf(spec.body as JsonSchema) : undefined;
    const rawBody = baseBody === undefined ? undefined : JSON.stringify(baseBody);
    const probes: Probe[] = [];
    const paramSchemas = (spec.params as JsonSchema | undefined)?.properties ?? {};
    for (const name of paramNames) {
      for (const text of hostileText(paramSchemas[name]!)) {
        probes.push({ spec, what: `params.${name}=${JSON.stringify(text.slice(0, 40))}`, params: { ...baseParams, [name]: text }, query: baseQuery, rawBody, mustRefuse: refusedText(paramSchemas[name]!, text) });
      }
    }
    for (const [key, schema] of Object.entries((spec.query as JsonSchema | undefined)?.properties ?? {})) {
      for (const text of [...hostileText(schema), ["1", "2"]]) {
        const mustRefuse = typeof text === "string" && refusedText(schema, text);
        probes.push({ spec, what: `query.${key}=${JSON.stringify(text).slice(0, 40)}`, params: baseParams, query: { ...baseQuery, [key]: text }, rawBody, mustRefuse });
      }
    }
    if (spec.query) {
      for (const key of ["__proto__", "constructor", "toString", "a\u0000", "page[toString]"]) {
        probes.push({ spec, what: `query key ${JSON.stringify(key)}`, params: baseParams, query: { ...baseQuery, [key]: "1" }, rawBody, mustRefuse: true });
      }
    }
    if (spec.body) {
      for (const { path, schema } of fieldPaths(spec.body as JsonSchema)) {
        const body = JSON.stringify(withValueAt(baseBody, path, SENTINEL, spec.body as JsonSchema));
        for (const json of hostileJson(schema)) {
          const rawBody = body.replace(JSON.stringify(SENTINEL), json);
          probes.push({ spec, what: `body/${path.join("/")}=${json.slice(0, 40)}`, params: baseParams, query: baseQuery, rawBody, mustRefuse: refusedJson(schema, json) });
        }
      }
      for (const whole of HOSTILE_BODIES) {
        probes.push({ spec, what: `body=${whole.slice(0, 40)}`, params: baseParams, query: baseQuery, rawBody: whole, mustRefuse: true });
      }
    }
    return probes;
  }

  function send(probe: Probe, token: string): Promise<ApiResponse> {
    const path = probe.spec.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(probe.params![name]!));
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(probe.query ?? {})) {
      for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
    }
    const url = search.size > 0 ? `${path}?${search}` : path;
    const body = probe.rawBody !== undefined && probe.spec.method !== "get" ? probe.rawBody : undefined;
    return api.call(probe.spec.method.toUpperCase(), url, { token, raw: body, headers: body === undefined ? {} : { "content-type": "application/json" } });
  }

  /** What is wrong with an answer, or undefined if it is acceptable. */
  function problemWith(probe: Probe, res: ApiResponse): string | undefined {
    if (res.status >= 500) return `${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
    if (res.status < 400) return probe.mustRefuse ? `accepted with ${res.status}` : undefined;
    const code = res.body?.error?.code as ErrorCode | undefined;
    if (!code || !Object.hasOwn(ERRORS, code)) return `${res.status} without a catalogued code: ${JSON.stringify(res.body).slice(0, 200)}`;
    if (ERRORS[code].status !== res.status) return `${code} answered with ${res.status}, not ${ERRORS[code].status}`;
    if (probe.mustRefuse && !(res.status === 400 && ["VALIDATION_FAILED", "MALFORMED_JSON"].includes(code))) return `expected 400, got ${code}`;
    return undefined;
  }

  it("answers every hostile value with a catalogued 4xx or a success, never a 5xx, and refuses what no field may hold", async () => {
    const started = Date.now();
    const probes = specs.filter((s) => s.params || s.query || s.body).flatMap(probesFor);
    const problems: string[] = [];
    const bystanderStatuses: number[] = [];
    let fuzzing = true;
    const watcher = (async () => {
      while (fuzzing) {
        bystanderStatuses.push((await api.get("/api/me", { token: bystander.token })).status);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < probes.length) {
          const index = next++;
          const probe = probes[index]!;
          const res = await send(probe, tokenForRoute(probe.spec));
          const problem = problemWith(probe, res);
          const name = `${probe.spec.method.toUpperCase()} ${probe.spec.path} ${probe.what}`;
          if (problem) problems.push(`${name}: ${problem}`);
          // Stable: the same read asked again gets the same answer (a sample, to stay fast).
          if (probe.spec.method === "get" && index % 5 === 0) {
            const again = await send(probe, tokenForRoute(probe.spec));
            const answer = (r: ApiResponse) => `${r.status} ${r.body?.error?.code ?? ""}`;
            if (answer(again) !== answer(res)) problems.push(`${name}: ${answer(res)}, then ${answer(again)}`);
          }
        }
      }),
    );
    fuzzing = false;
    await watcher;

    const seconds = (Date.now() - started) / 1000;
    console.log(`      ${probes.length} hostile requests over ${specs.length} routes in ${seconds.toFixed(1)} s`);
    expect(problems.slice(0, 30), `${problems.length} problems`).to.deep.equal([]);
    expect(bystanderStatuses.length).to.be.greaterThan(0);
    expect(bystanderStatuses.filter((s) => s !== 200), "a bystander's requests during the fuzz").to.deep.equal([]);
  });

  it("leaves the database answering other users afterwards", async () => {
    const health = await api.get("/api/health");
    expect(health.status, JSON.stringify(health.body)).to.equal(200);
    expect(health.body.db).to.equal("ok");
    expect((await api.get("/api/me", { token: bystander.token })).status).to.equal(200);
    const list = await api.get("/api/instruments");
    expect(list.status).to.equal(200);
    expect(list.body.total).to.be.greaterThan(0);
    expect(({} as Record<string, unknown>).polluted, "Object.prototype").to.equal(undefined);
  });
});
