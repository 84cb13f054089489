// Ajv failures → the `fields` of a VALIDATION_FAILED answer, with messages in the request's language.
import localize from "ajv-i18n";
import type { TSchema } from "@sinclair/typebox";
import type { Locale } from "../../shared/enums";
import type { FieldError } from "../../shared/errors";
import { compile, type ErrorObject, type ValidationMode } from "../../shared/validation";
import { ValidationError } from "../errors";

export type RequestPart = "body" | "query" | "params";

export function toFieldErrors(part: string, errors: ErrorObject[], locale: Locale): FieldError[] {
  const copies = errors.map((e) => ({ ...e }));
  if (locale === "zh-CN") localize.zh(copies);
  return copies.map((e) => {
    const missing = e.keyword === "required" ? `/${String(e.params.missingProperty)}` : "";
    const extra = e.keyword === "additionalProperties" ? `/${String(e.params.additionalProperty)}` : "";
    return { field: `/${part}${e.instancePath}${missing}${extra}`, rule: e.keyword, message: e.message ?? e.keyword };
  });
}

/** Validates (and, for query/params, coerces and fills defaults in) one request part in place. */
export function assertValid<T>(part: RequestPart, schema: TSchema, value: unknown, locale: Locale): T {
  const mode: ValidationMode = part === "body" ? "strict" : "coercing";
  const validate = compile(schema, mode);
  if (!validate(value)) throw new ValidationError(toFieldErrors(part, validate.errors ?? [], locale));
  return value as T;
}
