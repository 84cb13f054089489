// Ajv, configured once. Bodies are validated strictly; query strings and path parameters arrive
// as text, so their validator coerces "2" → 2 before checking. Schemas compile once and are cached.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { TSchema } from "@sinclair/typebox";

// ajv-formats is CommonJS; under some loaders its default export is nested once more.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

function makeAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes, strict: true, messages: true });
  addFormats(ajv);
  return ajv;
}

const strictAjv = makeAjv(false);
const coercingAjv = makeAjv(true);
const cache = new WeakMap<object, { strict?: ValidateFunction; coercing?: ValidateFunction }>();

export type ValidationMode = "strict" | "coercing";

export function compile(schema: TSchema, mode: ValidationMode = "strict"): ValidateFunction {
  const entry = cache.get(schema) ?? {};
  const key = mode === "strict" ? "strict" : "coercing";
  let fn = entry[key];
  if (!fn) {
    fn = (mode === "strict" ? strictAjv : coercingAjv).compile(schema);
    entry[key] = fn;
    cache.set(schema, entry);
  }
  return fn;
}

export type { ErrorObject };
