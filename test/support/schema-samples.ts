// Values built from a route's JSON Schemas, for the route fuzz test: a valid-looking sample of each
// schema, and every field path (properties, array items) into which a hostile value can be put.
import { DateTime } from "luxon";

/** The JSON Schema subset TypeBox emits for our request schemas. */
export interface JsonSchema {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

const A_WEEK_AHEAD = DateTime.now().setZone("Asia/Shanghai").startOf("day").plus({ days: 7, hours: 10 }).toISO()!;
const STRING_CANDIDATES = ["x", "08:00", "10:00", "a1", "91371500MA3C7K2P1X", "测试"];

function sampleString(s: JsonSchema): string {
  if (s.format === "date-time") return A_WEEK_AHEAD;
  if (s.format === "email") return "fuzz@example.test";
  const min = Math.max(s.minLength ?? 1, 1);
  const fits = (v: string) => v.length >= min && v.length <= (s.maxLength ?? Infinity) && (!s.pattern || new RegExp(s.pattern, "u").test(v));
  const candidates = [...STRING_CANDIDATES, ...STRING_CANDIDATES.map((c) => c.padEnd(min, c.at(-1)))];
  return candidates.find(fits) ?? "x".repeat(min);
}

/** A value of `schema` that is valid when the schema is simple; required properties only. */
export function sampleOf(s: JsonSchema): unknown {
  if ("const" in s) return s.const;
  if (s.enum) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const branches = s.anyOf ?? s.oneOf;
  if (branches) return sampleOf(branches.find((b) => b.type !== "null") ?? branches[0]!);
  switch (s.type) {
    case "string":
      return sampleString(s);
    case "integer":
    case "number":
      return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
    case "boolean":
      return true;
    case "null":
      return null;
    case "array":
      return Array.from({ length: s.minItems ?? 0 }, () => sampleOf(s.items ?? {}));
    case "object":
      return Object.fromEntries((s.required ?? []).map((k) => [k, sampleOf(s.properties![k]!)]));
    default:
      return "x";
  }
}

/** A field inside a request part: its path (property names; "0" for an array's first item) and schema. */
export interface FieldPath {
  path: string[];
  schema: JsonSchema;
}

/** Every property and array item under `s`, down to `depth` levels. */
export function fieldPaths(s: JsonSchema, depth = 3, prefix: string[] = []): FieldPath[] {
  if (depth === 0) return [];
  const branches = s.anyOf ?? s.oneOf;
  if (branches) return branches.flatMap((b) => fieldPaths(b, depth, prefix));
  if (s.type === "object" && s.properties) {
    return Object.entries(s.properties).flatMap(([key, child]) => [
      { path: [...prefix, key], schema: child },
      ...fieldPaths(child, depth - 1, [...prefix, key]),
    ]);
  }
  if (s.type === "array" && s.items) {
    return [{ path: [...prefix, "0"], schema: s.items }, ...fieldPaths(s.items, depth - 1, [...prefix, "0"])];
  }
  return [];
}

/** A copy of `base` with `value` at `path`, creating the objects and one-item arrays on the way. */
export function withValueAt(base: unknown, path: string[], value: unknown, schema: JsonSchema): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const childSchema = (schema.type === "array" ? schema.items : schema.properties?.[head!]) ?? {};
  if (schema.type === "array") {
    const list = Array.isArray(base) && base.length > 0 ? [...base] : [sampleOf(childSchema)];
    list[0] = withValueAt(list[0], rest, value, childSchema);
    return list;
  }
  const object = base !== null && typeof base === "object" ? { ...(base as Record<string, unknown>) } : {};
  const current = Object.hasOwn(object, head!) ? object[head!] : sampleOf(childSchema);
  object[head!] = withValueAt(current, rest, value, childSchema);
  return object;
}

/** Whether a field holds a time: the values every such field must refuse (leap second, 1900…). */
export const isDateTimeField = (s: JsonSchema) => s.format === "date-time" || (s.anyOf ?? []).some((b) => b.format === "date-time");
/** Whether a field holds a number: non-finite text coerced into it must be refused. */
export const isNumberField = (s: JsonSchema) => s.type === "integer" || s.type === "number";
