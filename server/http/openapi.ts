// The OpenAPI 3.1 document, generated from the same route specs and schemas the server validates with.
import type { TSchema } from "@sinclair/typebox";
import { ERRORS, type ErrorCode } from "../../shared/errors";
import { ErrorBody } from "../../shared/schemas/common";
import { EXACTLY_ONE, NOT_ABOVE } from "../../shared/schemas/cross-field";
import { compile } from "../../shared/validation";
import type { RouteSpec } from "./route";

/** Express `/a/:id` → OpenAPI `/a/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, "{$1}");
}

function plain(schema: TSchema): Record<string, unknown> {
  return withCrossFieldRules(JSON.parse(JSON.stringify(schema)) as Record<string, unknown>);
}

type Json = Record<string, unknown>;

/** The cross-field rules of an object schema, in words (shared/schemas/cross-field.ts). */
function crossFieldRules(schema: Json): string[] {
  const rules: string[] = [];
  const one = schema[EXACTLY_ONE] as string[] | undefined;
  if (one) rules.push(`exactly one of ${one.join(", ")}`);
  for (const [low, high] of (schema[NOT_ABOVE] as [string, string][] | undefined) ?? []) rules.push(`${low} ≤ ${high} when both are given`);
  return rules;
}

/** Every object schema inside `schema` (itself included), depth first. */
function objectSchemas(schema: unknown, found: Json[] = []): Json[] {
  if (Array.isArray(schema)) schema.forEach((s) => objectSchemas(s, found));
  else if (schema && typeof schema === "object") {
    found.push(schema as Json);
    Object.values(schema).forEach((v) => objectSchemas(v, found));
  }
  return found;
}

/** Cross-field annotations become what OpenAPI readers understand: `oneOf` of `required`, and descriptions. */
function withCrossFieldRules(schema: Json): Json {
  for (const s of objectSchemas(schema)) {
    const rules = crossFieldRules(s);
    if (rules.length === 0) continue;
    const one = s[EXACTLY_ONE] as string[] | undefined;
    if (one) s.oneOf = one.map((name) => ({ required: [name] }));
    const said = `Cross-field rules (400 VALIDATION_FAILED otherwise): ${rules.join("; ")}.`;
    s.description = typeof s.description === "string" ? `${s.description} ${said}` : said;
  }
  return schema;
}

/** The operation's description: its summary plus the cross-field rules of its query and body. */
function describe(spec: RouteSpec): string {
  const rules = [spec.query, spec.body].flatMap((schema) => (schema ? objectSchemas(JSON.parse(JSON.stringify(schema))).flatMap(crossFieldRules) : []));
  return rules.length > 0 ? `${spec.summary}. Cross-field rules (400 VALIDATION_FAILED otherwise): ${rules.join("; ")}.` : spec.summary;
}

function parameters(spec: RouteSpec) {
  const list: object[] = [];
  for (const where of ["path", "query"] as const) {
    const schema = where === "path" ? spec.params : spec.query;
    const properties = (schema?.properties ?? {}) as Record<string, TSchema>;
    const required = new Set<string>((schema?.required as string[] | undefined) ?? []);
    for (const [name, prop] of Object.entries(properties)) {
      list.push({ name, in: where, required: where === "path" || required.has(name), schema: plain(prop) });
    }
  }
  return list;
}

function errorResponses(spec: RouteSpec): Record<string, object> {
  // Any route may find the database down (503, fast: see db/connection.ts), or get a URL too long (431).
  const codes = new Set<ErrorCode>(["INTERNAL", "DB_UNAVAILABLE", "HEADERS_TOO_LARGE", ...(spec.errors ?? [])]);
  if (spec.params || spec.query || spec.body) codes.add("VALIDATION_FAILED");
  if (spec.body) ["MALFORMED_JSON", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"].forEach((c) => codes.add(c as ErrorCode));
  if (spec.access !== "public") codes.add("UNAUTHENTICATED");
  if (Array.isArray(spec.access)) codes.add("FORBIDDEN");
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERRORS[code].status, [...(byStatus.get(ERRORS[code].status) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      {
        description: list.join(", "),
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      },
    ]),
  );
}

/** A body that `{}` satisfies may be left out: the router reads a missing body as `{}`. */
function bodyRequired(body: TSchema): boolean {
  return compile(body, "strict")({}) === false;
}

/** The success response: JSON shaped by the response schema, or a file of the route's media types. */
function successResponse(spec: RouteSpec): Record<string, object> {
  const types = spec.file?.types ?? ["application/json"];
  const ok = { description: "OK", content: Object.fromEntries(types.map((t) => [t, { schema: plain(spec.response) }])) };
  return {
    [String(spec.status ?? 200)]: ok,
    ...Object.fromEntries((spec.alsoStatus ?? []).map((s) => [String(s), ok])),
    ...(spec.file?.notModified ? { "304": { description: "Not modified: the If-None-Match ETag still names this file" } } : {}),
  };
}

function multipartBody({ field, maxBytes }: { field: string; maxBytes: number }) {
  const file = { type: "string", format: "binary", description: `at most ${maxBytes} bytes` };
  return { required: true, content: { "multipart/form-data": { schema: { type: "object", properties: { [field]: file }, required: [field] } } } };
}

export function buildOpenApi(routes: RouteSpec[], version: string) {
  const paths: Record<string, Record<string, object>> = {};
  for (const spec of routes) {
    const path = openApiPath(spec.path);
    paths[path] ??= {};
    paths[path][spec.method] = {
      summary: spec.summary,
      description: describe(spec),
      tags: [spec.tag],
      "x-access": spec.access,
      ...(spec.access === "public" ? { security: [] } : {}),
      parameters: parameters(spec),
      ...(spec.body
        ? { requestBody: { required: bodyRequired(spec.body), content: { "application/json": { schema: plain(spec.body) } } } }
        : {}),
      ...(spec.multipart ? { requestBody: multipartBody(spec.multipart) } : {}),
      // The handler's own statuses win over the generic errors (health's 503 is its own body).
      responses: { ...errorResponses(spec), ...successResponse(spec) },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "labshare API",
      version,
      description: "Large-instrument sharing and innovation vouchers (创新券). Errors: {error: {code, message}}.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }, { cookie: [] }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer" },
        cookie: { type: "apiKey", in: "cookie", name: "labshare_session" },
      },
      schemas: { Error: plain(ErrorBody) },
    },
    paths,
  };
}
