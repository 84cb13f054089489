// Child process of http.ts: runs autocannon, so the load generator does not share the server's
// event loop. One phase per message; the booking generator's counter lives for the whole child, so
// no two booking requests of a run ask for the same slot:
//   parent → {type: "run", phase}  ·  child → {type: "result", result}
//   parent → {type: "close"}       ·  child exits
import autocannon from "autocannon";

export interface BookingPlan {
  /** Enterprise session tokens, used in turn. */
  tokens: string[];
  instruments: string[];
  /** ISO start of the first bookable hour. */
  first: string;
}
export interface Phase {
  url: string;
  path: string;
  method: "GET" | "POST";
  connections: number;
  seconds: number;
  token?: string;
  /** POST /api/bookings with a distinct (instrument, hour) and the next enterprise per request. */
  booking?: BookingPlan;
}
export interface PhaseResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
}
export type ParentMessage = { type: "run"; phase: Phase } | { type: "close" };
export type ChildMessage = { type: "result"; result: PhaseResult } | { type: "error"; message: string };

let booked = 0;

/** Request n: instrument n mod I, hour ⌊n / I⌋ after the first; enterprise n mod E. */
function bookingRequest(plan: BookingPlan) {
  const first = Date.parse(plan.first);
  return (req: { body?: string; headers?: Record<string, string> }) => {
    const n = booked++;
    const start = first + Math.floor(n / plan.instruments.length) * 3_600_000;
    req.body = JSON.stringify({
      instrumentId: plan.instruments[n % plan.instruments.length],
      start: new Date(start).toISOString(),
      end: new Date(start + 3_600_000).toISOString(),
    });
    req.headers = { ...req.headers, "content-type": "application/json", authorization: `Bearer ${plan.tokens[n % plan.tokens.length]}` };
    return req;
  };
}

async function run(p: Phase): Promise<PhaseResult> {
  const headers: Record<string, string> = p.token ? { authorization: `Bearer ${p.token}` } : {};
  const result = await autocannon({
    url: p.url + p.path,
    method: p.method,
    connections: p.connections,
    duration: p.seconds,
    headers,
    timeout: 30,
    ...(p.booking ? { requests: [{ method: "POST", path: p.path, setupRequest: bookingRequest(p.booking) as never }] } : {}),
  });
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = (stat as { count: number }).count;
  return {
    rps: result.requests.total / (result.duration || p.seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

process.on("message", (m: ParentMessage) => {
  if (m.type === "close") process.exit(0);
  run(m.phase).then(
    (result) => process.send!({ type: "result", result } satisfies ChildMessage),
    (err: unknown) => process.send!({ type: "error", message: err instanceof Error ? err.message : String(err) } satisfies ChildMessage),
  );
});
