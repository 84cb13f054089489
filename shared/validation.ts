// Ajv, configured once per mode; schemas compile once and are cached.
// - strict: request bodies and socket payloads, checked as sent.
// - coercing: query strings and path parameters arrive as text, so "2" becomes 2 before checking.
// - response: what the server sends; properties the schema does not name are stripped, so an
//   internal field (a password hash, a version counter) can never leak by accident.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { TSchema } from "@sinclair/typebox";

// ajv-formats is CommonJS; under some loaders its default export is nested once more.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

export type ValidationMode = "strict" | "coercing" | "response";

function makeAjv(mode: ValidationMode): Ajv {
  const ajv = new Ajv({
    allErrors: mode !== "response",
    useDefaults: mode !== "response",
    coerceTypes: mode === "coercing",
    removeAdditional: mode === "response" ? "all" : false,
    strict: true,
  });
  addFormats(ajv);
  return ajv;
}

const instances: Record<ValidationMode, Ajv> = {
  strict: makeAjv("strict"),
  coercing: makeAjv("coercing"),
  response: makeAjv("response"),
};
const cache = new WeakMap<object, Partial<Record<ValidationMode, ValidateFunction>>>();

export function compile(schema: TSchema, mode: ValidationMode = "strict"): ValidateFunction {
  const entry = cache.get(schema) ?? {};
  let fn = entry[mode];
  if (!fn) {
    fn = instances[mode].compile(schema);
    entry[mode] = fn;
    cache.set(schema, entry);
  }
  return fn;
}

export type { ErrorObject };
