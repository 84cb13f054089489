// Ajv failures → the `fields` of a VALIDATION_FAILED answer, with messages in the request's language.
import localize from "ajv-i18n";
import type { TSchema } from "@sinclair/typebox";
import type { Locale } from "../../shared/enums";
import type { FieldError } from "../../shared/errors";
import { fieldRuleMessage, type FieldRule } from "../../shared/field-rules";
import { compile, type ErrorObject, type ValidationMode } from "../../shared/validation";
import { SchemaValidationError } from "../errors";

export type RequestPart = "body" | "query" | "params";

/** Failures whose message comes from shared/field-rules.ts: our own input checks, and date-time (ajv-i18n only says "must match format"). */
function catalogueRule(e: ErrorObject): FieldRule | undefined {
  if (e.keyword === "finite" || e.keyword === "noNul") return e.keyword;
  if (e.keyword === "format" && e.params.format === "date-time") return "dateTime";
  return undefined;
}

export function toFieldErrors(part: string, errors: ErrorObject[], locale: Locale): FieldError[] {
  const copies = errors.map((e) => ({ ...e }));
  if (locale === "zh-CN") localize.zh(copies);
  return copies.map((e) => {
    const missing = e.keyword === "required" ? `/${String(e.params.missingProperty)}` : "";
    const extra = e.keyword === "additionalProperties" ? `/${String(e.params.additionalProperty)}` : "";
    const rule = catalogueRule(e);
    const message = rule ? fieldRuleMessage(rule, locale) : (e.message ?? e.keyword);
    return { field: `/${part}${e.instancePath}${missing}${extra}`, rule: e.keyword, message };
  });
}

/** Validates (and, for query/params, coerces and fills defaults in) one request part in place. */
export function assertValid<T>(part: RequestPart, schema: TSchema, value: unknown, locale: Locale): T {
  const mode: ValidationMode = part === "body" ? "strict" : "coercing";
  const validate = compile(schema, mode);
  if (!validate(value)) throw new SchemaValidationError(toFieldErrors(part, validate.errors ?? [], locale));
  return value as T;
}
