// Child process of live-updates.ts: holds the subscribed Socket.IO clients, so their parsing does not
// run on the server's event loop. It records when each `availability:changed` arrives (wall-clock
// ms, comparable across processes on one machine), keyed by the start of the event's first slot, and
// answers the parent over IPC:
//   parent → {type: "collect", key, expected}  ·  child → {type: "arrivals", key, times}  (`expected` arrivals, or after a timeout)
//   parent → {type: "close"}         ·  child exits
// Started with argv: <server url> <instrument ids, comma-separated> <socket count> <tokens, comma-separated>;
// socket i subscribes to instrument i mod (number of instruments).
import { io as connect, type Socket } from "socket.io-client";
import type { AvailabilityChanged, ClientToServerEvents, ServerToClientEvents } from "../../shared/events";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ParentMessage = { type: "collect"; key: number; expected: number } | { type: "close" };
export type ChildMessage = { type: "ready"; connected: number; ms: number } | { type: "arrivals"; key: number; times: number[] } | { type: "error"; message: string };

const CONNECTING_AT_ONCE = 50;
const COLLECT_TIMEOUT_MS = 5_000;

const now = () => performance.timeOrigin + performance.now();
const send = (m: ChildMessage) => process.send!(m);

async function main(): Promise<void> {
  const [url, instrumentList, countArg, tokenList] = process.argv.slice(2);
  const instrumentIds = instrumentList!.split(",");
  const count = Number(countArg);
  const tokens = tokenList!.split(",");
  const arrivals = new Map<number, number[]>();
  const sockets: ClientSocket[] = [];

  const open = async (i: number) => {
    const s: ClientSocket = connect(url!, { transports: ["websocket"], reconnection: false, forceNew: true, auth: { token: tokens[i % tokens.length] } });
    sockets.push(s);
    await new Promise<void>((resolve, reject) => {
      s.once("connect", () => resolve());
      s.once("connect_error", reject);
    });
    const ack = await s.timeout(60_000).emitWithAck("subscribe", { instrumentId: instrumentIds[i % instrumentIds.length]! });
    if (!ack.ok) throw new Error(`subscribe refused: ${JSON.stringify(ack)}`);
    s.on("availability:changed", (p: AvailabilityChanged) => {
      const at = now();
      const key = Date.parse(p.changes[0]?.start ?? "");
      const seen = arrivals.get(key);
      if (seen) seen.push(at);
      else arrivals.set(key, [at]);
    });
  };

  const started = now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTING_AT_ONCE }, async () => {
      while (next < count) await open(next++);
    }),
  );
  send({ type: "ready", connected: sockets.length, ms: now() - started });

  process.on("message", (m: ParentMessage) => {
    if (m.type === "close") {
      sockets.forEach((s) => s.disconnect());
      process.exit(0);
    }
    const until = now() + COLLECT_TIMEOUT_MS;
    const poll = () => {
      const seen = arrivals.get(m.key) ?? [];
      if (seen.length >= m.expected || now() > until) {
        arrivals.delete(m.key);
        send({ type: "arrivals", key: m.key, times: seen });
      } else setTimeout(poll, 2);
    };
    poll();
  });
}

main().catch((err: unknown) => {
  send({ type: "error", message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
