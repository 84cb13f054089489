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

export function handshakeLocale(socket: LabSocket): Locale {
  const { locale } = handshakeAuth(socket);
  if (LOCALES.includes(locale as Locale)) return locale as Locale;
  // requestLocale reads only the headers, which the handshake carries as HTTP did.
  return requestLocale({ headers: socket.handshake.headers } as Request);
}

/** Refuses the connection with `UNAUTHENTICATED` (message and `data.code`) unless the token is a live session. */
export function authenticate(accounts: AccountsService): Middleware {
  return async (socket, next) => {
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
