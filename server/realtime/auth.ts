// Handshake authentication: the same session token as HTTP (handshake `auth.token` or the session
// cookie), and the socket's language for the messages of its acknowledgements.
import type { Request } from "express";
import { LOCALES, type Locale } from "../../shared/enums";
import { cookieValue, SESSION_COOKIE } from "../http/auth";
import { requestLocale } from "../http/locale";
import type { AccountsService } from "../modules/accounts/service";
import type { LabSocket } from "./types";

type Middleware = (socket: LabSocket, next: (err?: Error) => void) => Promise<void>;

function handshakeAuth(socket: LabSocket): { token?: unknown; locale?: unknown } {
  const auth: unknown = socket.handshake.auth;
  return auth && typeof auth === "object" ? auth : {};
}

function handshakeToken(socket: LabSocket): string | undefined {
  const { token } = handshakeAuth(socket);
  if (typeof token === "string") return token;
  return cookieValue(socket.handshake.headers.cookie, SESSION_COOKIE);
}

/**
 * Cross-site WebSocket hijacking: a page elsewhere could open a socket that carries the user's
 * cookie and read their live events. A browser always sends Origin on a WebSocket or polling
 * handshake; on a cookie session it must name this host (X-Forwarded-Host when a local proxy
 * forwards it, as `trust proxy` "loopback" does for HTTP; docs/security.md).
 */
function foreignOriginWithCookie(socket: LabSocket): boolean {
  const { headers, address } = socket.handshake;
  if (typeof handshakeAuth(socket).token === "string" || headers.origin === undefined) return false;
  const forwarded = /^(::1|127\.|::ffff:127\.)/.test(address) ? headers["x-forwarded-host"] : undefined;
  const host = (typeof forwarded === "string" ? forwarded.split(",")[0]!.trim() : headers.host) ?? "";
  try {
    return new URL(headers.origin).host.toLowerCase() !== host.toLowerCase();
  } catch {
    return true;
  }
}

export function handshakeLocale(socket: LabSocket): Locale {
  const { locale } = handshakeAuth(socket);
  if (LOCALES.includes(locale as Locale)) return locale as Locale;
  // requestLocale reads only the headers, which the handshake carries as HTTP did.
  return requestLocale({ headers: socket.handshake.headers } as Request);
}

/** Refuses the connection with `UNAUTHENTICATED` (message and `data.code`) unless the token is a live session. */
export function authenticate(accounts: AccountsService): Middleware {
  return async (socket, next) => {
    if (foreignOriginWithCookie(socket)) {
      const err = new Error("CSRF_ORIGIN_MISMATCH") as Error & { data?: unknown };
      err.data = { code: "CSRF_ORIGIN_MISMATCH" };
      return next(err);
    }
    const token = handshakeToken(socket);
    const actor = token ? await accounts.actorForToken(token).catch(() => null) : null;
    if (!actor) {
      const err = new Error("UNAUTHENTICATED") as Error & { data?: unknown };
      err.data = { code: "UNAUTHENTICATED" };
      return next(err);
    }
    socket.data.actor = actor;
    socket.data.locale = handshakeLocale(socket);
    next();
  };
}
