// Closed spans (days, months) come from their roll-up documents; a missing one is computed and
// inserted (model.ts). In one process, concurrent readers of a missing span share one computation;
// across processes the `_id` insert picks one document, and every reader serves the stored one.
import type { Model } from "mongoose";
import { findByIds } from "../../db/by-ids";
import { isDuplicateKeyError } from "../../db/errors";
import type { SpanFigures } from "./figures";
import { docOf, figuresOf, ROLLUP_SCHEMA, type SpanDoc } from "./model";

export class SpanRollups {
  private readonly inflight = new Map<string, Promise<SpanFigures>>();
  /** Stored roll-ups never change (only `stats:verify --rebuild` replaces one: spans.ts drops them all then). */
  private readonly memory = new Map<string, SpanFigures>();

  constructor(
    private readonly model: Model<SpanDoc>,
    /** Computes closed spans (deterministic: racing processes compute the same figures). */
    private readonly compute: (keys: string[]) => Promise<SpanFigures[]>,
    private readonly clock: () => number,
    private readonly memoryMax = 20_000,
  ) {}

  /** The figures of closed spans (the caller decides which are closed); `fromStore` reads past this process's memory. */
  async get(keys: readonly string[], opts: { fromStore?: boolean } = {}): Promise<SpanFigures[]> {
    if (keys.length === 0) return [];
    const found = new Map<string, SpanFigures>();
    if (!opts.fromStore) {
      for (const k of keys) {
        const kept = this.memory.get(k);
        if (kept) found.set(k, kept);
      }
    }
    const unread = [...new Set(keys.filter((k) => !found.has(k) && !this.inflight.has(k)))];
    if (unread.length > 0) {
      for (const doc of await findByIds<SpanDoc>(this.model, unread)) if (doc.schema === ROLLUP_SCHEMA) found.set(doc._id, this.keep(figuresOf(doc)));
    }
    const missing = unread.filter((k) => !found.has(k) && !this.inflight.has(k));
    if (missing.length > 0) {
      const batch = this.computeAndStore(missing);
      missing.forEach((k, i) => {
        const one = batch.then((all) => all[i]!);
        this.inflight.set(k, one);
        void one.finally(() => this.inflight.delete(k)).catch(() => {});
      });
    }
    return Promise.all(keys.map((k) => found.get(k) ?? this.inflight.get(k) ?? this.get([k]).then((x) => x[0]!)));
  }

  /** Drops kept roll-ups (after this process rebuilt them). */
  forget(keys: readonly string[]): void {
    for (const k of keys) this.memory.delete(k);
  }

  /** Drops every kept roll-up (another process rebuilt some). */
  forgetAll(): void {
    this.memory.clear();
  }

  private keep(figures: SpanFigures): SpanFigures {
    if (this.memory.size >= this.memoryMax) this.memory.clear(); // decades of spans: start over
    this.memory.set(figures.key, figures);
    return figures;
  }

  /** Computes spans and inserts each; where another writer's insert won, its stored document is served. */
  private async computeAndStore(keys: string[]): Promise<SpanFigures[]> {
    const computed = await this.compute(keys);
    const at = new Date(this.clock());
    try {
      await this.model.collection.insertMany(computed.map((f) => docOf(f, at)) as never[], { ordered: false });
      return computed.map((f) => this.keep(f));
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    // Some were inserted by another writer meanwhile: serve what is stored (the same figures,
    // unless an outdated document holds the key: then the computed ones, until `--rebuild`).
    const stored = new Map((await findByIds<SpanDoc>(this.model, keys)).map((d) => [d._id, d]));
    return computed.map((f) => {
      const doc = stored.get(f.key);
      return this.keep(doc && doc.schema === ROLLUP_SCHEMA ? figuresOf(doc) : f);
    });
  }
}
