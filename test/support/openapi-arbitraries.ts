// fast-check arbitraries of HTTP requests for one operation of the OpenAPI document: values drawn
// from its schemas (so many reach the services), then, in most cases, one part spoiled: a field
// replaced by a hostile value (NoSQL operators, prototype keys, huge or odd unicode strings, wrong
// types), a hostile key added, or the whole body, a query value or a path parameter replaced.
import fc from "fast-check";
import type { JsonSchema } from "./schema-samples";

export interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: JsonSchema;
}

export interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export interface FuzzRequest {
  method: string;
  /** The path with its parameters filled in and %-encoded. */
  path: string;
  query: [string, string][];
  /** The raw body, if any. */
  body?: string;
  contentType?: string;
  /** What was spoiled, for the failure message. */
  spoiled: string;
}

const OPERATORS = [{ $gt: "" }, { $ne: null }, { $regex: ".*" }, { $where: "sleep(100)" }, { $in: [""] }, { $exists: true }, { $expr: { $eq: [1, 1] } }];
const PROTO_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "$gt", "$where", "a.b", "$"];
/** Objects built by JSON.parse keep `__proto__` as an own key, as a hostile client sends it. */
const PROTO_OBJECTS = [JSON.parse('{"__proto__":{"polluted":1}}'), { constructor: { prototype: { polluted: 1 } } }, { toString: 1, valueOf: {} }] as unknown[];
const ODD_STRINGS = ["", " ", "\u0000", "a\u0000b", "\ud800", "\udfff", "\u202eevil", "中文\u200b", "𝕏🧪", "Ω≈ç√", "%00", "%", "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --", "null", "undefined", "NaN", "Infinity", "-0", "1e309", "0x10", "2026-12-31T23:59:60Z"];

const hugeString = fc.constantFrom(5_000, 60_000, 150_000).map((n) => "x".repeat(n));
const unicodeString = fc.oneof(fc.string({ unit: "binary", maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 40 }));
const oddString = fc.oneof(fc.constantFrom(...ODD_STRINGS, ...PROTO_KEYS), unicodeString);

/** JSON values no well-behaved client sends in place of a field. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...OPERATORS), weight: 4 },
  { arbitrary: fc.constantFrom(...PROTO_OBJECTS), weight: 2 },
  { arbitrary: oddString, weight: 3 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: fc.constantFrom(null, true, false, 0, -1, 0.5, 2 ** 53 + 1, 1e308, -1e308, [], {}, [[[[[]]]]], [{ $gt: "" }]), weight: 3 },
  { arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
);

/** Text no well-behaved client sends in a query value or a path segment. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(oddString, hugeString.map((s) => s.slice(0, 9_000)), fc.constantFrom('{"$gt":""}', "[object Object]", "[]"));

/** Whole bodies: JSON of the wrong shape, and text that is not JSON. */
const hostileBody: fc.Arbitrary<string> = fc.oneof(
  hostileJson.map((v) => JSON.stringify(v) ?? "null"),
  fc.constantFrom("", "{", '{"a":', "nul", "[1,]", "{'a':1}", "\u0000", "1e309", '{"a":1}{"b":2}', "[".repeat(5_000)),
  fc.constantFrom('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}'),
);

/** A value of the schema, often valid: required properties always, optional ones sometimes. */
export function valueOf(s: JsonSchema, known: (name: string) => string[] = () => [], name = "", depth = 0): fc.Arbitrary<unknown> {
  if ("const" in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const branches = s.anyOf ?? s.oneOf;
  if (branches && !s.type) return fc.oneof(...branches.map((b) => valueOf({ ...b, properties: b.properties ?? s.properties, required: b.required ?? s.required, type: b.type ?? s.type }, known, name, depth)));
  switch (s.type) {
    case "string": {
      const ids = known(name);
      return ids.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...ids), weight: 3 }, { arbitrary: stringOf(s), weight: 1 }) : stringOf(s);
    }
    case "integer":
      return fc.integer({ min: Math.ceil(s.minimum ?? (s.exclusiveMinimum ?? -1_000) + (s.exclusiveMinimum !== undefined ? 1 : 0)), max: Math.floor(s.maximum ?? 1_000_000) });
    case "number":
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      if (depth > 4) return fc.constant([]);
      return fc.array(valueOf(s.items ?? {}, known, name, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(Math.max(s.minItems ?? 0, 3), 5) });
    case "object": {
      if (depth > 4 || !s.properties) return fc.constant({});
      const required = new Set(s.required ?? []);
      const entries = Object.entries(s.properties).map(([key, child]) => [key, valueOf(child, known, key, depth + 1)] as const);
      return fc.record(Object.fromEntries(entries), { requiredKeys: entries.map(([k]) => k).filter((k) => required.has(k)) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

const A_WEEK_AHEAD = () => new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 7 * 86_400_000);
function stringOf(s: JsonSchema): fc.Arbitrary<string> {
  if (s.format === "date-time") {
    const base = A_WEEK_AHEAD().getTime();
    return fc.integer({ min: -400, max: 400 }).map((h) => new Date(base + h * 3_600_000).toISOString());
  }
  if (s.format === "date") return fc.date({ min: new Date("2019-01-01"), max: new Date("2031-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (s.format === "email") return fc.emailAddress();
  if (s.pattern) {
    // Strings that fit a pattern are hard to generate in general: the pattern's own examples, when we know some.
    const re = new RegExp(s.pattern, "u");
    const fits = PATTERN_EXAMPLES.filter((x) => re.test(x));
    const arb = fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 20, 20) });
    return fits.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...fits), weight: 4 }, { arbitrary: arb, weight: 1 }) : arb;
  }
  return fc.string({ unit: "grapheme", minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 30, 30) }).map((x) => (x.length < (s.minLength ?? 0) ? x.padEnd(s.minLength ?? 0, "测") : x));
}
const PATTERN_EXAMPLES = ["08:00", "12:30", "24:00", "2026-01", "2000-12", "2026-01-15", "2026", "91371500MA3C7K2P1X", "0635-8123456", "13800138000", "csv", "xlsx", "a1", "x", "1"];

/** %-encoding that survives lone surrogates (sent as the invalid UTF-8 a hostile client can send). */
function pathSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, "")) + "%ED%A0%80";
  }
}

/** A query/path value as text: what a client puts in a URL. */
const asText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v) ?? "");

/** Field paths into an object value, for the body spoiler. */
function objectPaths(v: unknown, prefix: string[] = [], depth = 0): string[][] {
  if (depth > 3 || v === null || typeof v !== "object") return [];
  const keys = Array.isArray(v) ? v.map((_, i) => String(i)) : Object.keys(v);
  return keys.flatMap((k) => [[...prefix, k], ...objectPaths((v as Record<string, unknown>)[k], [...prefix, k], depth + 1)]);
}
function setAt(v: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy: Record<string, unknown> = Array.isArray(v) ? ([...v] as unknown as Record<string, unknown>) : { ...(v as Record<string, unknown>) };
  copy[head!] = setAt(copy[head!], rest, value);
  return copy;
}
function addKeyAt(v: unknown, path: string[], key: string, value: unknown): unknown {
  const target = path.reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], v);
  if (target === null || typeof target !== "object" || Array.isArray(target)) return v;
  // defineProperty: `copy[key] = …` with key "__proto__" would set the prototype, not send the key.
  const copy = { ...(target as Record<string, unknown>) };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return setAt(v, path, copy);
}

type Spoiler = "none" | "field" | "key" | "body" | "query" | "queryKey" | "param" | "contentType";

/**
 * Requests for `method path` (OpenAPI path with `{param}`s). `known(name)` gives real ids for a
 * parameter or field name (`id`, `instrumentId`, …), so schema-valid requests reach real objects.
 */
export function requestArbitrary(method: string, path: string, op: OpenApiOperation, known: (name: string) => string[]): fc.Arbitrary<FuzzRequest> {
  const params = (op.parameters ?? []).filter((p) => p.in === "path");
  const queries = (op.parameters ?? []).filter((p) => p.in === "query");
  const content = op.requestBody?.content ?? {};
  const jsonSchema = content["application/json"]?.schema;
  const multipart = content["multipart/form-data"] !== undefined;

  const paramsArb = fc.record(Object.fromEntries(params.map((p) => [p.name, valueOf(p.schema ?? { type: "string" }, known, p.name).map(asText)])));
  const queryArb = fc.record(
    Object.fromEntries(queries.map((p) => [p.name, valueOf(p.schema ?? { type: "string" }, known, p.name).map(asText)])),
    { requiredKeys: queries.filter((p) => p.required).map((p) => p.name) },
  );
  const bodyArb: fc.Arbitrary<unknown> = jsonSchema ? valueOf(jsonSchema, known) : fc.constant(undefined);
  const spoilers: Spoiler[] = ["none", "none", ...(jsonSchema ? (["field", "field", "key", "body", "contentType"] as const) : []), ...(multipart ? (["body"] as const) : []), ...(queries.length ? (["query", "queryKey"] as const) : []), ...(params.length ? (["param"] as const) : [])];

  return fc
    .record({ params: paramsArb, query: queryArb, body: bodyArb, spoiler: fc.constantFrom(...spoilers), pick: fc.nat(), hostile: hostileJson, text: hostileText, key: fc.oneof(fc.constantFrom(...PROTO_KEYS), unicodeString), whole: hostileBody })
    .map(({ params: p, query: q, body, spoiler, pick, hostile, text, key, whole }) => {
      const pathValues: Record<string, string> = { ...p };
      let queryPairs: [string, string][] = Object.entries(q);
      let rawBody = jsonSchema ? JSON.stringify(body) : undefined;
      let contentType = jsonSchema ? "application/json" : undefined;
      let spoiled = "nothing";
      if (spoiler === "field") {
        const paths = [[], ...objectPaths(body)];
        const at = paths[pick % paths.length]!;
        rawBody = JSON.stringify(setAt(body, at, hostile)) ?? "null";
        spoiled = `body/${at.join("/")} = ${rawBody === undefined ? "" : JSON.stringify(hostile)?.slice(0, 80)}`;
      } else if (spoiler === "key") {
        const paths = [[], ...objectPaths(body)];
        const at = paths[pick % paths.length]!;
        rawBody = JSON.stringify(addKeyAt(body, at, key, hostile));
        spoiled = `key ${JSON.stringify(key)} added at body/${at.join("/")}`;
      } else if (spoiler === "body") {
        rawBody = whole;
        contentType = multipart && pick % 2 === 0 ? "multipart/form-data" : "application/json";
        spoiled = `body = ${whole.slice(0, 80)}`;
      } else if (spoiler === "contentType") {
        contentType = ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-7", "multipart/form-data; boundary=x"][pick % 4];
        spoiled = `content-type ${contentType}`;
      } else if (spoiler === "query") {
        const name = queries[pick % queries.length]!.name;
        queryPairs = [...queryPairs.filter(([k]) => k !== name), [name, text], ...(pick % 3 === 0 ? ([[name, "1"]] as [string, string][]) : [])];
        spoiled = `query ${name} = ${JSON.stringify(text.slice(0, 80))}`;
      } else if (spoiler === "queryKey") {
        const name = queries[pick % queries.length]!.name;
        const injected = [`${name}[$gt]`, `${name}[$ne]`, "__proto__", "constructor[prototype][polluted]", `__proto__[polluted]`, key][pick % 6]!;
        queryPairs = [...queryPairs, [injected, asText(hostile)]];
        spoiled = `query key ${JSON.stringify(injected)}`;
      } else if (spoiler === "param") {
        const name = params[pick % params.length]!.name;
        pathValues[name] = text;
        spoiled = `path {${name}} = ${JSON.stringify(text.slice(0, 80))}`;
      }
      const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => pathSegment(pathValues[name] ?? "x"));
      const sendsBody = method !== "get" && (rawBody !== undefined || spoiler === "body");
      return {
        method: method.toUpperCase(),
        path: filled,
        query: queryPairs,
        ...(sendsBody ? { body: rawBody ?? "", ...(contentType ? { contentType } : {}) } : {}),
        spoiled,
      };
    });
}
