// Child process of booking.ts: the parallel booking clients, so their HTTP work does not run on the
// server's event loop (a deployment's clients are elsewhere too). One message each way over IPC:
//   parent → {type: "run", url, first, clients: [{token, instrumentId, hours}]}
//   child  → {type: "done", seconds, statuses, firstErrors}, then exits.
import { DateTime } from "luxon";
import { apiClient, bookSlot } from "./support";

export interface ClientJob {
  token: string;
  instrumentId: string;
  /** Hours after `first` to book, one after the other. */
  hours: number[];
}
export type ParentMessage = { type: "run"; url: string; first: string; clients: ClientJob[] };
export type ChildMessage = { type: "done"; seconds: number; statuses: Record<number, number>; firstErrors: string[] };

process.once("message", async (m: ParentMessage) => {
  const call = apiClient(m.url);
  const first = DateTime.fromISO(m.first, { zone: "utc" });
  const statuses: Record<number, number> = {};
  const firstErrors: string[] = [];
  const t0 = performance.now();
  await Promise.all(
    m.clients.map(async (c) => {
      for (const hour of c.hours) {
        const res = await bookSlot(call, c.instrumentId, first, hour, c.token);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status !== 201 && statuses[res.status] === 1) firstErrors.push(`${res.status}: ${JSON.stringify(res.body)}`);
      }
    }),
  );
  const done: ChildMessage = { type: "done", seconds: (performance.now() - t0) / 1000, statuses, firstErrors };
  process.send!(done, () => process.exit(0));
});
