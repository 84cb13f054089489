// Rules between fields of one object that JSON Schema keywords cannot say as our errors need them,
// written into the schema as annotations: Ajv accepts them without checking (shared/validation.ts),
// the service enforces each with 400 VALIDATION_FAILED naming the field, and the OpenAPI document
// turns them into `oneOf` and descriptions (server/http/openapi.ts), so clients and fuzzers see them.

/** Exactly one of these properties is present (e.g. instrumentId xor packageId). */
export const EXACTLY_ONE = "x-exactlyOne";
/** Each pair [low, high]: when both are present, low ≤ high (e.g. minPriceFen ≤ maxPriceFen). */
export const NOT_ABOVE = "x-notAbove";
export const CROSS_FIELD_KEYWORDS = [EXACTLY_ONE, NOT_ABOVE] as const;

export const exactlyOne = (...names: string[]) => ({ [EXACTLY_ONE]: names });
export const notAbove = (...pairs: [string, string][]) => ({ [NOT_ABOVE]: pairs });
