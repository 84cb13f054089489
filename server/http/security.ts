// Browser-facing defences (docs/security.md): security headers, the same-origin rule for cookie
// sessions (CSRF), and 405 + Allow for a method a known path does not answer.
import type { RequestHandler } from "express";
import helmet from "helmet";
import { DomainError } from "../errors";
import { bearerToken } from "./auth";
import type { RouteSpec } from "./route";

/**
 * helmet with a CSP the built client lives under: scripts and styles from our own origin (Element
 * Plus sets inline `style` attributes, hence 'unsafe-inline' for styles only), images also as
 * `data:` (the favicon, Element Plus icons) and `blob:` (previews of files being uploaded), the API
 * and Socket.IO on our own origin. HSTS and upgrade-insecure-requests only when the site is served
 * over HTTPS (COOKIE_SECURE=1): on plain HTTP they would lock browsers out.
 */
export function securityHeaders(httpsOnly: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "upgrade-insecure-requests": httpsOnly ? [] : null,
      },
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    strictTransportSecurity: httpsOnly ? { maxAge: 180 * 24 * 3600, includeSubDomains: true } : false,
  });
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The origin a header names (`Origin`, or the origin part of `Referer`), lower-cased; undefined if unreadable. */
function originOf(value: string | undefined): string | undefined {
  if (!value || value === "null") return undefined;
  try {
    return new URL(value).origin.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * CSRF: a browser attaches the session cookie to requests any page makes, so a request that changes
 * something on a cookie session must come from our own origin: its `Origin` (or, without one, its
 * `Referer`) must be this server's scheme and Host (as `trust proxy` reads them). A request without
 * either is refused too (browsers always send Origin on POST). Bearer tokens are not ambient
 * credentials, and a cookie that resolves to no session authorizes nothing: neither is checked.
 * Runs after resolveActor.
 */
export const sameOriginForCookieSessions: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method) || !req.actor || bearerToken(req.headers.authorization)) return next();
  const claimed = originOf(req.headers.origin) ?? originOf(req.headers.referer);
  const own = originOf(`${req.protocol}://${req.host}`); // normalized: "https://x:443" is "https://x"
  if (claimed === undefined || claimed !== own) throw new DomainError("CSRF_ORIGIN_MISMATCH");
  next();
};

/** Express `/a/:id/b` → a regular expression for the whole path. */
function pathPattern(expressPath: string): RegExp {
  const escaped = expressPath.split("/").map((part) => (part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  return new RegExp(`^${escaped.join("/")}/?$`);
}

/**
 * Mounted after the routes under /api: a path some route answers, asked with another method (TRACE,
 * PUT where only GET exists), gets 405 with `Allow`; OPTIONS gets 204 with `Allow`.
 */
export function methodNotAllowed(routes: RouteSpec[]): RequestHandler {
  const byPath = new Map<string, { pattern: RegExp; params: number; methods: Set<string> }>();
  for (const r of routes) {
    const params = r.path.split("/").filter((part) => part.startsWith(":")).length;
    const entry = byPath.get(r.path) ?? { pattern: pathPattern(r.path), params, methods: new Set(["OPTIONS"]) };
    entry.methods.add(r.method.toUpperCase());
    if (r.method === "get") entry.methods.add("HEAD");
    byPath.set(r.path, entry);
  }
  return (req, res, next) => {
    const path = req.originalUrl.split("?")[0] ?? "";
    // A literal segment names a resource of its own: `/photos/order` advertises what the order
    // route answers, not also what `/photos/:photoId` does (found by schemathesis, ST205).
    const matching = [...byPath.values()].filter(({ pattern }) => pattern.test(path));
    if (matching.length === 0) return next();
    const fewest = Math.min(...matching.map((m) => m.params));
    const allowed = new Set(matching.filter((m) => m.params === fewest).flatMap((m) => [...m.methods]));
    res.setHeader("Allow", [...allowed].sort().join(", "));
    if (req.method === "OPTIONS") return void res.status(204).end();
    next(new DomainError("METHOD_NOT_ALLOWED", { method: req.method }));
  };
}

/** Outside /api only GET and HEAD exist (the built client and its history fallback). */
export const clientMethodNotAllowed: RequestHandler = (req, res, next) => {
  res.setHeader("Allow", "GET, HEAD");
  if (req.method === "OPTIONS") return void res.status(204).end();
  next(new DomainError("METHOD_NOT_ALLOWED", { method: req.method }));
};
