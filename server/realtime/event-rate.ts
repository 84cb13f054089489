// Per-connection rate limit of client events (docs/security.md). One socket flooding `subscribe`
// used to queue thousands of instrument lookups and slow every request of the process; now each
// connection has a token bucket, an event beyond it is answered SOCKET_RATE_LIMITED through its ack
// without any work, and a connection that keeps flooding is disconnected.
import type { Ack } from "../../shared/events";
import { errorMessage } from "../../shared/errors";
import type { Logger } from "../logger";
import { MAX_SUBSCRIPTIONS } from "./subscriptions";
import type { LabSocket } from "./types";

export interface EventRateOptions {
  /** Tokens added per second (sustained events per second). */
  perSecond: number;
  /** Bucket size: events a connection may send at once. */
  burst: number;
  /** Refused events (since the last accepted one) after which the connection is closed. */
  disconnectAfter: number;
}

/** The burst covers a dashboard subscribing all it may watch at once (MAX_SUBSCRIPTIONS) and a few more. */
export const EVENT_RATE: EventRateOptions = { perSecond: 20, burst: MAX_SUBSCRIPTIONS + 10, disconnectAfter: 200 };

/** A token bucket refilled continuously from the clock. */
export class TokenBucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.at = now();
  }
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.at) / 1000) * this.perSecond);
    this.at = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Installs the limit as the socket's first middleware: refused events never reach a handler. */
export function limitEventRate(socket: LabSocket, logger: Logger, options: EventRateOptions = EVENT_RATE): void {
  const bucket = new TokenBucket(options.perSecond, options.burst);
  let refusedInARow = 0;
  socket.use((packet, next) => {
    if (bucket.take()) {
      refusedInARow = 0;
      return next();
    }
    refusedInARow += 1;
    const ack = packet[packet.length - 1];
    if (typeof ack === "function") {
      const error = { code: "SOCKET_RATE_LIMITED", message: errorMessage("SOCKET_RATE_LIMITED", socket.data.locale) };
      (ack as Ack)({ ok: false, error });
    }
    if (refusedInARow === options.disconnectAfter) {
      logger.warn({ userId: socket.data.actor.userId, event: packet[0] }, "socket disconnected for flooding events");
      socket.disconnect(true);
    }
  });
}
