// Follows the connection's appends (server/db/append-observers.ts) and journals them off the
// request path: the decision is already written when its answer goes out, and its audit entry
// follows within milliseconds. A failed write is retried a few times; what a dead process leaves
// unwritten the repair pass (repair.ts) writes at the next start.
import type { Connection } from "mongoose";
import { observeAppends } from "../../db/append-observers";
import type { Journal } from "./journal";

/** Records journaled at once per process (each is a few inserts; more only crowds the database). */
const CONCURRENCY = 4;
const RETRY_DELAYS_MS = [200, 1000, 5000];

interface Job {
  collection: string;
  doc: Record<string, unknown>;
  attempt: number;
}

export class AuditRecorder {
  private readonly queue: Job[] = [];
  private running = 0;
  private waiting = 0;
  private idleWaiters: (() => void)[] = [];
  /** Told when a record is given up on (the repair pass will write it). */
  reportFailure: (key: string, err: unknown) => void = () => {};

  constructor(private readonly journal: Journal) {}

  follow(conn: Connection): () => void {
    return observeAppends(conn, (collection, doc) => this.enqueue(collection, doc));
  }

  enqueue(collection: string, doc: Record<string, unknown>, attempt = 0): void {
    this.queue.push({ collection, doc, attempt });
    this.pump();
  }

  /** Resolves once nothing is queued, running or waiting for a retry (tests, shutdown). */
  idle(): Promise<void> {
    if (this.busy() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private busy(): number {
    return this.queue.length + this.running + this.waiting;
  }

  private pump(): void {
    while (this.running < CONCURRENCY && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      void this.run(job).finally(() => {
        this.running--;
        this.pump();
        if (this.busy() === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  private async run(job: Job): Promise<void> {
    try {
      await this.journal.record(job.collection, job.doc);
    } catch (err) {
      const delay = RETRY_DELAYS_MS[job.attempt];
      if (delay === undefined) return this.reportFailure(`${job.collection}/${String(job.doc._id)}`, err);
      this.waiting++;
      setTimeout(() => {
        this.waiting--;
        this.enqueue(job.collection, job.doc, job.attempt + 1);
      }, delay).unref();
    }
  }
}
