// Mounts route specs on the Express app: access check, validation of params/query/body with the
// shared schemas, the handler, then the response shaped by its schema.
import type { Express, Request, RequestHandler } from "express";
import type { Locale } from "../../shared/enums";
import { compile } from "../../shared/validation";
import { ForbiddenError, UnauthenticatedError, DomainError } from "../errors";
import type { Logger } from "../logger";
import { hasRole } from "../modules/accounts/actor";
import { requestLocale } from "./locale";
import type { Access, RouteSpec } from "./route";
import { assertValid } from "./validate";

function checkAccess(access: Access, req: Request): void {
  if (access === "public") return;
  if (!req.actor) throw new UnauthenticatedError();
  if (access !== "user" && !hasRole(req.actor, access)) throw new ForbiddenError();
}

function hasBody(req: Request): boolean {
  return Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
}

interface ParsedRequest {
  params: unknown;
  query: unknown;
  body: unknown;
  locale: Locale;
}

/**
 * Access check and validation come first, so the route's own middleware (`before`, e.g. the login
 * rate limiter keying on the email) only ever sees input that matches its schemas.
 */
function parseRequest(spec: RouteSpec): RequestHandler {
  return (req, res, next) => {
    const locale = requestLocale(req);
    checkAccess(spec.access, req);
    const params = spec.params ? assertValid("params", spec.params, { ...req.params }, locale) : undefined;
    const query = spec.query ? assertValid("query", spec.query, { ...req.query }, locale) : undefined;
    if (spec.body && hasBody(req) && !req.is("application/json")) {
      throw new DomainError("UNSUPPORTED_MEDIA_TYPE");
    }
    const body = spec.body ? assertValid("body", spec.body, req.body ?? {}, locale) : undefined;
    (res.locals as { parsed?: ParsedRequest }).parsed = { params, query, body, locale };
    next();
  };
}

const segments = (path: string) => path.split("/");
/** Whether `literal` is `general` with a fixed segment where `general` has a :param (`/photos/order`, `/photos/:photoId`). */
function narrows(literal: string, general: string): boolean {
  const [a, b] = [segments(literal), segments(general)];
  return literal !== general && a.length === b.length && a.every((s, i) => s === b[i] || (b[i]!.startsWith(":") && !s.startsWith(":")));
}
const matches = (path: string, pattern: string) => {
  const [a, b] = [segments(path), segments(pattern)];
  return a.length === b.length && b.every((s, i) => s.startsWith(":") || s === a[i]);
};

export function mountRoutes(app: Express, routes: RouteSpec[], logger: Logger): void {
  for (const spec of routes) {
    // A path another route names literally is that route's resource: `DELETE /photos/order` is not a
    // photo called "order" but a method /photos/order does not have, so 405 (found by schemathesis, ST204).
    const narrower = routes.filter((r) => r.method !== spec.method && narrows(r.path, spec.path)).map((r) => r.path);
    const yieldToNarrower: RequestHandler = (req, _res, next) => next(narrower.some((p) => matches(req.path, p)) ? "route" : undefined);
    // A route marked `sharedResults` may answer concurrent identical reads with one result object
    // (availability): that object is checked and serialized once.
    const sent = spec.sharedResults ? new WeakMap<object, string>() : null;
    app[spec.method](spec.path, ...(narrower.length > 0 ? [yieldToNarrower] : []), parseRequest(spec), ...(spec.before ?? []), async (req, res) => {
      const { params, query, body, locale } = (res.locals as { parsed: ParsedRequest }).parsed;
      const result = await spec.handler({ params, query, body, actor: req.actor ?? null, locale, req, res });
      if (res.headersSent) return;
      let json = sent && typeof result === "object" && result !== null ? sent.get(result) : undefined;
      if (json === undefined) {
        const present = compile(spec.response, "response");
        if (!present(result)) {
          // Our own bug, not the caller's: log the mismatch and answer 500 rather than send a wrong shape.
          logger.error({ route: `${spec.method} ${spec.path}`, errors: present.errors }, "response schema mismatch");
          throw new Error(`response of ${spec.method.toUpperCase()} ${spec.path} does not match its schema`);
        }
        json = JSON.stringify(result);
        if (sent && typeof result === "object" && result !== null) sent.set(result, json);
      }
      if (spec.status) res.status(spec.status);
      res.type("json").send(json);
    });
  }
}
