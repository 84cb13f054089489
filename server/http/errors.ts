// The one place where errors become HTTP answers: `{error: {code, message, fields?}}`.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
import { ERRORS, errorMessage, type ErrorCode, type ErrorParams, type FieldError } from "../../shared/errors";
import type { Locale } from "../../shared/enums";
import { localizeFieldError } from "../../shared/field-rules";
import { isDatabaseUnavailableError, isDuplicateKeyError } from "../db/errors";
import type { AffectedBooking } from "../../shared/schemas/common";
import { DomainError, SchemaValidationError, type SlotConflict } from "../errors";
import type { Logger } from "../logger";
import { requestLocale } from "./locale";

export function sendError(
  req: Request,
  res: Response,
  code: ErrorCode,
  params: ErrorParams = {},
  fields?: FieldError[],
  conflicts?: SlotConflict[],
  bookings?: AffectedBooking[],
): void {
  const locale = requestLocale(req);
  const retryAfter = typeof params.retryAfter === "number" ? params.retryAfter : undefined;
  if (retryAfter !== undefined) res.setHeader("Retry-After", String(retryAfter));
  res.status(ERRORS[code].status).json({
    error: {
      code,
      message: errorMessage(code, locale, params),
      ...(fields ? { fields } : {}),
      ...(retryAfter !== undefined ? { retryAfter } : {}),
      ...(conflicts ? { conflicts } : {}),
      ...(bookings ? { bookings } : {}),
    },
  });
}

/**
 * The fields of an error as the client sees them. Schema failures come localized from validate.ts;
 * a service's field rules get their message from the catalogue in the caller's language.
 */
export function presentFields(err: DomainError, locale: Locale): FieldError[] | undefined {
  if (!err.fields) return undefined;
  if (err instanceof SchemaValidationError) return err.fields;
  return err.fields.map((f) => localizeFieldError(f, locale));
}

export const routeNotFound: RequestHandler = (req, res) => {
  sendError(req, res, "ROUTE_NOT_FOUND", { method: req.method, path: req.originalUrl.split("?")[0] ?? "" });
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof DomainError) return sendError(req, res, err.code, err.params, presentFields(err, requestLocale(req)), err.conflicts, err.bookings);
    // body-parser errors carry a `type`; their messages are not for users.
    const type = (err as { type?: string }).type;
    if (type === "entity.parse.failed") return sendError(req, res, "MALFORMED_JSON");
    if (type === "entity.too.large") return sendError(req, res, "PAYLOAD_TOO_LARGE");
    if (type === "charset.unsupported" || type === "encoding.unsupported") {
      return sendError(req, res, "UNSUPPORTED_MEDIA_TYPE");
    }
    // Anything else the HTTP stack refused as the client's fault (a bad %-escape in the path,
    // a body that does not decompress): a 4xx, never logged as our error.
    const status = (err as { status?: unknown }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      return sendError(req, res, status === 413 ? "PAYLOAD_TOO_LARGE" : status === 415 ? "UNSUPPORTED_MEDIA_TYPE" : "BAD_REQUEST");
    }
    // A unique index no service translated: still a conflict, never a 500.
    if (isDuplicateKeyError(err)) return sendError(req, res, "CONFLICT");
    if (isDatabaseUnavailableError(err)) {
      logger.error({ err }, "database unavailable");
      return sendError(req, res, "DB_UNAVAILABLE");
    }
    logger.error({ err, method: req.method, url: req.originalUrl }, "unhandled error");
    sendError(req, res, "INTERNAL");
  };
}
