// express-rate-limit with our error answer (429, a stable code, Retry-After) and, when REDIS_URL is
// set, the Redis store (rate-limit-redis): the processes behind a load balancer count together, so
// N processes do not multiply a limit by N. Without Redis the count lives in this process.
import type { RequestHandler, Request } from "express";
import { rateLimit } from "express-rate-limit";
import { RedisStore, type RedisReply } from "rate-limit-redis";
import type { ErrorCode } from "../../shared/errors";
import { sendError } from "./errors";

/** Sends one raw Redis command (the adapter's publishing client; see realtime/adapter.ts). */
export type RedisCommand = (args: string[]) => Promise<unknown>;

export interface LimiterOptions {
  /** Names the counter in Redis: `labshare:rate:<name>:<key>`. */
  name: string;
  windowMs: number;
  limit: number;
  code: ErrorCode;
  key: (req: Request) => string;
  skipSuccessfulRequests?: boolean;
  redis?: RedisCommand;
}

export function limiter(o: LimiterOptions): RequestHandler {
  const redis = o.redis;
  return rateLimit({
    windowMs: o.windowMs,
    limit: o.limit,
    skipSuccessfulRequests: o.skipSuccessfulRequests ?? false,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: o.key,
    // Redis unreachable for a moment: serve (the adapter reconnects by itself) rather than fail every login.
    passOnStoreError: true,
    ...(redis
      ? { store: new RedisStore({ prefix: `labshare:rate:${o.name}:`, sendCommand: (...args: string[]) => redis(args) as Promise<RedisReply> }) }
      : {}),
    handler: (req, res) => {
      const resetTime = (req as unknown as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = resetTime ? Math.ceil((resetTime.getTime() - Date.now()) / 1000) : o.windowMs / 1000;
      sendError(req, res, o.code, { retryAfter: Math.max(1, seconds) });
    },
  });
}
