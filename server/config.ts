// Environment → one validated config object, read once at start. Domain code never reads process.env.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Type, type Static } from "../shared/schemas/common";
import { compile } from "../shared/validation";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const Env = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ default: "0.0.0.0" }),
  MONGODB_URI: Type.Optional(Type.String({ pattern: "^mongodb(\\+srv)?://" })),
  MONGODB_DB: Type.String({ default: "labshare", pattern: "^[A-Za-z0-9_-]{1,63}$" }),
  /** Socket.IO Redis adapter: events reach sockets connected to any server process. */
  REDIS_URL: Type.Optional(Type.String({ pattern: "^rediss?://" })),
  LABSHARE_DATA_DIR: Type.String({ default: ".data", minLength: 1 }),
  LABSHARE_ADMIN_EMAIL: Type.Optional(Type.String({ format: "email" })),
  LABSHARE_ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 8 })),
  LABSHARE_DEMO: Type.Union([Type.Literal("0"), Type.Literal("1")], { default: "0" }),
  LOG_LEVEL: Type.Union(
    ["fatal", "error", "warn", "info", "debug", "trace", "silent"].map((l) => Type.Literal(l)),
    { default: "info" },
  ),
  SESSION_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 14 }),
  INVITATION_DAYS: Type.Integer({ minimum: 1, maximum: 90, default: 7 }),
  LOGIN_ATTEMPTS_PER_15_MIN: Type.Integer({ minimum: 1, maximum: 10000, default: 10 }),
  /** Accounts one address may create per hour (docs/security.md). */
  REGISTRATIONS_PER_IP_PER_HOUR: Type.Integer({ minimum: 1, maximum: 1000000, default: 20 }),
  COOKIE_SECURE: Type.Union([Type.Literal("0"), Type.Literal("1")], { default: "0" }),
  /** Public notice period before a provider's voucher admission takes effect (issue 10). */
  ADMISSION_NOTICE_DAYS: Type.Integer({ minimum: 1, maximum: 90, default: 7 }),
});

export interface Config {
  port: number;
  host: string;
  mongodbUri?: string;
  mongodbDb: string;
  redisUrl?: string;
  dataDir: string;
  toolsDir: string;
  admin?: { email: string; password: string };
  demo: boolean;
  logLevel: string;
  sessionDays: number;
  /** How long an invitation link stays usable (default 7 days). */
  invitationDays: number;
  loginAttemptsPer15Min: number;
  registrationsPerIpPerHour: number;
  cookieSecure: boolean;
  /** Days a provider admission notice stays open for objections (default 7). */
  admissionNoticeDays: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(Env.properties).flatMap((k) => (env[k] === undefined || env[k] === "" ? [] : [[k, env[k]]])),
  );
  const validate = compile(Env, "coercing");
  if (!validate(known)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath.slice(1) || "env"} ${e.message}`);
    throw new ConfigError(`Invalid environment: ${problems.join("; ")}`);
  }
  const e = known as unknown as Static<typeof Env>;
  if (Boolean(e.LABSHARE_ADMIN_EMAIL) !== Boolean(e.LABSHARE_ADMIN_PASSWORD)) {
    throw new ConfigError("Set both LABSHARE_ADMIN_EMAIL and LABSHARE_ADMIN_PASSWORD, or neither");
  }
  return {
    port: e.PORT,
    host: e.HOST,
    mongodbUri: e.MONGODB_URI,
    mongodbDb: e.MONGODB_DB,
    redisUrl: e.REDIS_URL,
    dataDir: path.resolve(PROJECT_ROOT, e.LABSHARE_DATA_DIR),
    toolsDir: path.join(PROJECT_ROOT, ".tools"),
    admin: e.LABSHARE_ADMIN_EMAIL
      ? { email: e.LABSHARE_ADMIN_EMAIL.toLowerCase(), password: e.LABSHARE_ADMIN_PASSWORD! }
      : undefined,
    demo: e.LABSHARE_DEMO === "1",
    logLevel: e.LOG_LEVEL,
    sessionDays: e.SESSION_DAYS,
    invitationDays: e.INVITATION_DAYS,
    loginAttemptsPer15Min: e.LOGIN_ATTEMPTS_PER_15_MIN,
    registrationsPerIpPerHour: e.REGISTRATIONS_PER_IP_PER_HOUR,
    cookieSecure: e.COOKIE_SECURE === "1",
    admissionNoticeDays: e.ADMISSION_NOTICE_DAYS,
  };
}
