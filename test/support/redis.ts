// A throwaway Redis on a free loopback port, for tests of the Socket.IO Redis adapter: redis-server
// from PATH when installed, otherwise redis-lite (a Redis-protocol server in Go, built on first use
// into .tools/bin from the Go module proxy), so the tests run on a machine with only Node and Go.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import path from "node:path";
import { createClient } from "redis";
import { PROJECT_ROOT } from "../../server/config";
import { findOnPath } from "../../server/db/embedded";
import { ensureRedisLite } from "./redis-lite";

const START_TIMEOUT_MS = 10_000;

export interface TestRedis {
  url: string;
  /** "redis-server" or "redis-lite". */
  server: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function answersPing(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { connectTimeout: 500, reconnectStrategy: false } });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    if (client.isOpen) client.destroy();
  }
}

export type RedisServerKind = "redis-server" | "redis-lite";

/**
 * The command line of a Redis server on this port: the kind asked for, else TEST_REDIS_SERVER
 * (`redis-lite` tries the fallback on a machine that has redis-server), else redis-server if
 * installed, else redis-lite.
 */
async function redisCommand(port: number, kind?: RedisServerKind): Promise<{ bin: string; args: string[] }> {
  const wanted = kind ?? (process.env.TEST_REDIS_SERVER as RedisServerKind | undefined);
  const installed = wanted === "redis-lite" ? undefined : await findOnPath("redis-server");
  if (installed) {
    return { bin: installed, args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"] };
  }
  if (wanted === "redis-server") throw new Error("redis-server is not on PATH");
  const bin = await ensureRedisLite(path.join(PROJECT_ROOT, ".tools"), (msg) => console.log(`    [redis-lite] ${msg}`));
  return { bin, args: ["--port", String(port), "--bind", "127.0.0.1"] };
}

export async function startRedis(kind?: RedisServerKind): Promise<TestRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const { bin, args } = await redisCommand(port, kind);
  const server = path.basename(bin);
  console.log(`    (Redis for this suite: ${server})`);
  // stdin is a pipe: redis-lite stops when it closes, i.e. when this process dies.
  const child: ChildProcess = spawn(bin, args, { stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${server} exited with ${child.exitCode}: ${stderr}`);
    if (await answersPing(url)) return { url, server, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${server} on port ${port} did not answer PING within ${START_TIMEOUT_MS} ms: ${stderr}`);
}
