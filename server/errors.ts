// Typed domain errors. Services throw them; the HTTP and socket adapters turn them into
// `{error: {code, message}}` with the code's status (shared/errors.ts), localized per request.
import type { ErrorCode, ErrorParams, FieldError } from "../shared/errors";

/** A slot someone else holds, reported with SLOT_TAKEN. */
export interface SlotConflict {
  instrumentId: string;
  start: string;
  end: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: ErrorParams = {},
    readonly fields?: FieldError[],
    readonly conflicts?: SlotConflict[],
  ) {
    super(code);
    this.name = new.target.name;
  }
}

/**
 * A field rule beyond the schema failed. Each field names a rule of shared/field-rules.ts and its
 * params; the HTTP and socket layers render the message in the caller's language from that
 * catalogue (the `message` given here is a note for developers and the fallback).
 */
export class ValidationError extends DomainError {
  constructor(fields: FieldError[], code: ErrorCode = "VALIDATION_FAILED") {
    super(code, {}, fields);
  }
}
/** A request part that breaks its JSON Schema; the fields already carry messages in the caller's language. */
export class SchemaValidationError extends DomainError {
  constructor(fields: FieldError[]) {
    super("VALIDATION_FAILED", {}, fields);
  }
}
export class UnauthenticatedError extends DomainError {
  constructor(code: ErrorCode = "UNAUTHENTICATED") {
    super(code);
  }
}
export class ForbiddenError extends DomainError {
  constructor(code: ErrorCode = "FORBIDDEN", params?: ErrorParams) {
    super(code, params);
  }
}
export class NotFoundError extends DomainError {
  constructor(code: ErrorCode = "NOT_FOUND", params?: ErrorParams) {
    super(code, params);
  }
}
export class ConflictError extends DomainError {
  constructor(code: ErrorCode = "CONFLICT", params?: ErrorParams, conflicts?: SlotConflict[]) {
    super(code, params, undefined, conflicts);
  }
}
/** A well-formed request the domain rules refuse (422). */
export class RuleError extends DomainError {
  constructor(code: ErrorCode, params?: ErrorParams) {
    super(code, params);
  }
}
