// The chaos run's clients: each enterprise client loops over a random mix of search, availability,
// book (some with vouchers), cancel; the provider client confirms and rejects. Every answer is
// recorded: what a 2xx accepted must still be true at the end (verify.ts), and how long failures
// took (a database outage must answer 503 fast, not hang).
import { DateTime } from "luxon";
import type { Market } from "../bench/support";

/** What a 2xx told a client about a booking. */
export interface Accepted {
  id: string;
  createdAt: number;
  /** Transitions answered 2xx, in the order their answers arrived. */
  transitions: ("cancel" | "confirm" | "reject")[];
}

export interface WorkloadRecord {
  accepted: Map<string, Accepted>;
  statuses: Record<string, number>;
  /** Requests that got no answer at all (connection refused or reset: the server was down). */
  unanswered: number;
  /** Answers 5xx, with their latency. */
  serverErrors: { status: number; code?: string; ms: number }[];
  /** Requests still unanswered after HANG_MS. */
  hung: number;
  operations: number;
}

const HANG_MS = 10_000;
const pick = <T>(xs: readonly T[], rnd: () => number): T => xs[Math.floor(rnd() * xs.length)]!;

export function newRecord(): WorkloadRecord {
  return { accepted: new Map(), statuses: {}, unanswered: 0, serverErrors: [], hung: 0, operations: 0 };
}

/** A small deterministic generator (mulberry32), so a run can be repeated with its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Answer {
  status: number;
  body: { id?: string; error?: { code?: string } } | undefined;
}

export function client(baseUrl: string, record: WorkloadRecord) {
  return async function call(method: string, url: string, token?: string, body?: unknown): Promise<Answer | null> {
    record.operations++;
    const t0 = performance.now();
    try {
      const res = await fetch(baseUrl + url, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(HANG_MS),
      });
      const text = await res.text();
      const parsed = text && res.headers.get("content-type")?.includes("json") ? (JSON.parse(text) as Answer["body"]) : undefined;
      record.statuses[res.status] = (record.statuses[res.status] ?? 0) + 1;
      if (res.status >= 500) record.serverErrors.push({ status: res.status, code: parsed?.error?.code, ms: performance.now() - t0 });
      return { status: res.status, body: parsed };
    } catch (err) {
      if ((err as Error).name === "TimeoutError") record.hung++;
      else record.unanswered++;
      return null;
    }
  };
}

/** Runs the clients until `running()` turns false. */
export async function runWorkload(baseUrl: string, market: Market, record: WorkloadRecord, rnd: () => number, running: () => boolean): Promise<void> {
  const call = client(baseUrl, record);
  const first = DateTime.utc().plus({ days: 2 }).startOf("day");
  const mine = new Map<string, string[]>(); // enterprise token → its accepted booking ids
  const all: string[] = [];

  const enterprise = async (token: string) => {
    mine.set(token, []);
    while (running()) {
      const r = rnd();
      const instrumentId = pick(market.instruments, rnd).id;
      if (r < 0.35) {
        const start = first.plus({ hours: Math.floor(rnd() * 24 * 20) });
        const res = await call("POST", "/api/bookings", token, { instrumentId, start: start.toISO(), end: start.plus({ hours: 1 }).toISO(), useVoucher: rnd() < 0.5 });
        if (res?.status === 201 && res.body?.id) {
          record.accepted.set(res.body.id, { id: res.body.id, createdAt: Date.now(), transitions: [] });
          mine.get(token)!.push(res.body.id);
          all.push(res.body.id);
        }
      } else if (r < 0.5) {
        const id = mine.get(token)!.length > 0 ? pick(mine.get(token)!, rnd) : null;
        if (id) accept(id, "cancel", await call("POST", `/api/bookings/${id}/cancel`, token, { reason: "计划调整" }));
      } else if (r < 0.75) {
        const from = first.plus({ days: Math.floor(rnd() * 14) });
        await call("GET", `/api/instruments/${instrumentId}/availability?from=${encodeURIComponent(from.toISO()!)}&to=${encodeURIComponent(from.plus({ days: 7 }).toISO()!)}`);
      } else {
        await call("GET", `/api/instruments?q=${encodeURIComponent(pick(["电镜", "压测", "扫描"], rnd))}&page=1&pageSize=10`);
      }
    }
  };
  const provider = async () => {
    while (running()) {
      const id = all.length > 0 ? pick(all, rnd) : null;
      if (!id) await new Promise((resolve) => setTimeout(resolve, 50));
      else if (rnd() < 0.8) accept(id, "confirm", await call("POST", `/api/bookings/${id}/confirm`, market.provider.token, {}));
      else accept(id, "reject", await call("POST", `/api/bookings/${id}/reject`, market.provider.token, { reason: "设备临时检修" }));
    }
  };
  const accept = (id: string, name: Accepted["transitions"][number], res: Answer | null) => {
    if (res && res.status >= 200 && res.status < 300) record.accepted.get(id)?.transitions.push(name);
  };
  await Promise.all([...market.enterprises.map((e) => enterprise(e.token)), provider(), provider()]);
}
