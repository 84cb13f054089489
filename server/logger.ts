import { pino, type Logger } from "pino";

export type { Logger };

/** JSON logs in production; readable lines on a terminal. */
export function createLogger(level: string): Logger {
  const pretty = process.stdout.isTTY && process.env.NODE_ENV !== "production";
  return pino({
    level,
    redact: ["req.headers.authorization", "req.headers.cookie", "password", "*.password"],
    ...(pretty ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss" } } } : {}),
  });
}
