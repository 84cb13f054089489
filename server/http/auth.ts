// Session tokens arrive as `Authorization: Bearer <token>` or the httpOnly cookie; both resolve to
// the same Actor for HTTP and Socket.IO.
import type { CookieOptions, Request, RequestHandler, Response } from "express";
import type { AccountsService } from "../modules/accounts/service";
import type { Actor } from "../modules/accounts/actor";

export const SESSION_COOKIE = "labshare_session";

declare module "express-serve-static-core" {
  interface Request {
    actor?: Actor | null;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/** Reads a cookie out of a raw Cookie header (for the Socket.IO handshake); a malformed %-escape reads as no cookie. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [key, ...rest] = part.trim().split("=");
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join("="));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The caller's token. cookie-parser turns a `j:{…}` cookie into an object: only a string is a token. */
export function requestToken(req: Request): string | undefined {
  const cookie: unknown = req.cookies?.[SESSION_COOKIE];
  return bearerToken(req.headers.authorization) ?? (typeof cookie === "string" ? cookie : undefined);
}

/** Resolves the caller once per request; routes then check access against `req.actor`. */
export function resolveActor(accounts: AccountsService): RequestHandler {
  return async (req, _res, next) => {
    const token = requestToken(req);
    req.actor = token ? await accounts.actorForToken(token) : null;
    next();
  };
}

export function cookieOptions(secure: boolean, days: number): CookieOptions {
  return { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: days * 24 * 3600 * 1000 };
}

export function setSessionCookie(res: Response, token: string, secure: boolean, days: number): void {
  res.cookie(SESSION_COOKIE, token, cookieOptions(secure, days));
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "lax", secure, path: "/" });
}
