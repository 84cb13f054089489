// Ajv, configured once per mode; schemas compile once and are cached.
// - strict: request bodies and socket payloads, checked as sent.
// - coercing: query strings and path parameters arrive as text, so "2" becomes 2 before checking.
// - response: what the server sends; properties the schema does not name are stripped, so an
//   internal field (a password hash, a version counter) can never leak by accident.
// Input (strict and coercing) is held to more than its schema says, whatever the schema: no
// number is infinite, no string or key holds a NUL, and every date-time is a real instant in the
// years TIME_MIN_YEAR–TIME_MAX_YEAR without a leap second. Fuzzing found each of these reaching
// the database (`?page=Infinity` made FerretDB drop the connection for everyone).
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { TSchema } from "@sinclair/typebox";
import { TIME_MAX_YEAR, TIME_MIN_YEAR } from "./limits";
import { CROSS_FIELD_KEYWORDS } from "./schemas/cross-field";

// ajv-formats is CommonJS; under some loaders its default export is nested once more.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

export type ValidationMode = "strict" | "coercing" | "response";

/** A compiled schema: true if valid; otherwise `errors` says why (Ajv's error objects). */
export interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * RFC 3339 date-time with a zone, in the accepted years, on a real calendar day, seconds 00–59.
 * ajv-formats accepts second 60 (a leap second), which `Date.parse` cannot read: it became an
 * Invalid Date deep in a service.
 */
export function isInputDateTime(text: string): boolean {
  const m = RFC3339.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second, offH = 0, offM = 0] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  if (year! < TIME_MIN_YEAR || year! > TIME_MAX_YEAR) return false;
  if (month! < 1 || month! > 12 || day! < 1 || day! > new Date(Date.UTC(year!, month!, 0)).getUTCDate()) return false;
  return hour! <= 23 && minute! <= 59 && second! <= 59 && offH <= 23 && offM <= 59;
}

function makeAjv(mode: ValidationMode): Ajv {
  const ajv = new Ajv({
    allErrors: mode !== "response",
    useDefaults: mode !== "response",
    coerceTypes: mode === "coercing",
    removeAdditional: mode === "response" ? "all" : false,
    strict: true,
    // Responses are checked for shape, not string formats: we wrote those strings ourselves, and
    // checking the 336 date-times of a week's availability cost a tenth of the request's CPU.
    validateFormats: mode !== "response",
  });
  addFormats(ajv);
  // Cross-field rules as annotations (shared/schemas/cross-field.ts): the services enforce them with
  // field-rule messages; the OpenAPI document shows them as `oneOf` and in descriptions.
  for (const keyword of CROSS_FIELD_KEYWORDS) ajv.addKeyword({ keyword, schemaType: "array" });
  if (mode !== "response") ajv.addFormat("date-time", isInputDateTime);
  return ajv;
}

/** Stop after this many findings: a 100 kB array of 1e309 needs one answer, not ten thousand. */
const MAX_INPUT_FINDINGS = 20;

const pointerSegment = (key: string | number) => String(key).replace(/~/g, "~0").replace(/\//g, "~1");

function finding(instancePath: string, keyword: "finite" | "noNul", message: string): ErrorObject {
  return { instancePath, schemaPath: "#", keyword, params: {}, message };
}

/**
 * What no input may carry, wherever it sits (also inside values a schema leaves open): non-finite
 * numbers (JSON's 1e309 parses to Infinity, "Infinity" coerces to it) and NUL in strings or keys.
 * -0 becomes 0 on the way. Iterative, so a deeply nested body cannot overflow the stack.
 */
export function hostileInputErrors(data: unknown): ErrorObject[] {
  const found: ErrorObject[] = [];
  const stack: { value: unknown; path: string }[] = [{ value: data, path: "" }];
  while (stack.length > 0 && found.length < MAX_INPUT_FINDINGS) {
    const { value, path } = stack.pop()!;
    if (typeof value === "string") {
      if (value.includes("\0")) found.push(finding(path, "noNul", "must not contain NUL characters"));
    } else if (typeof value === "number") {
      if (!Number.isFinite(value)) found.push(finding(path, "finite", "must be a finite number"));
    } else if (value !== null && typeof value === "object") {
      const container = value as Record<string, unknown>;
      for (const key of Object.keys(container)) {
        const item = container[key];
        const at = `${path}/${pointerSegment(key)}`;
        if (key.includes("\0")) found.push(finding(at, "noNul", "must not contain NUL characters"));
        if (Object.is(item, -0)) container[key] = 0;
        else stack.push({ value: item, path: at });
      }
    }
  }
  return found;
}

/** Ajv plus the input checks above; Ajv's coercion runs first, so "1e309" is seen as the Infinity it becomes. */
function guarded(validate: ValidateFunction): Validator {
  const check: Validator = (data) => {
    const valid = validate(data);
    const hostile = hostileInputErrors(data);
    check.errors = valid && hostile.length === 0 ? null : [...(validate.errors ?? []), ...hostile];
    return check.errors === null;
  };
  return check;
}

const instances: Record<ValidationMode, Ajv> = {
  strict: makeAjv("strict"),
  coercing: makeAjv("coercing"),
  response: makeAjv("response"),
};
const cache = new WeakMap<object, Partial<Record<ValidationMode, Validator>>>();

export function compile(schema: TSchema, mode: ValidationMode = "strict"): Validator {
  const entry = cache.get(schema) ?? {};
  let fn = entry[mode];
  if (!fn) {
    const validate = instances[mode].compile(schema);
    fn = mode === "response" ? validate : guarded(validate);
    entry[mode] = fn;
    cache.set(schema, entry);
  }
  return fn;
}

export type { ErrorObject };
