// Collusion signals listed for the bureau's review: detected in the period's bookings (created in it)
// and their vouchers (signal-rules.ts; shared for a minute, cache.ts), with every review so far. A
// review never changes anything else; it is appended as `review:<signalId>:<n>`, so reviews racing
// on one signal are all kept, in order, and the last one gives the signal's status.
import { SIGNAL_KINDS, type Signal, type SignalPage, type SignalQuery, type SignalReview, type SignalReviewBody } from "../../../shared/schemas/oversight";
import { isDuplicateKeyError } from "../../db/errors";
import { ConflictError, ValidationError } from "../../errors";
import type { Actor } from "../accounts/actor";
import { dayStart } from "../stats/calendar";
import { resolveRange } from "../stats/range";
import type { PolicyDoc } from "../vouchers/model";
import type { FiguresCache } from "./cache";
import { reviewId, type OversightModels, type ReviewDoc } from "./model";
import { detectSignals, type DetectedSignal } from "./signal-rules";
import type { OversightSources } from "./sources";

const MAX_REVIEW_ATTEMPTS = 100;

export interface SignalDeps {
  m: OversightModels;
  cache: FiguresCache;
  sources: OversightSources;
  policies: () => Promise<PolicyDoc[]>;
  now: () => number;
}

const presentReview = (r: ReviewDoc): SignalReview => ({ signalId: r.signalId, n: r.n, decision: r.decision, note: r.note, by: r.by, byName: r.byName, at: new Date(r.at).toISOString() });

export class Signals {
  constructor(private readonly d: SignalDeps) {}

  async list(q: SignalQuery): Promise<SignalPage> {
    const range = resolveRange(q, this.d.now());
    // Detection scans the range's bookings (shared for a minute); reviews are read fresh.
    const found = await this.d.cache.get(`signals:${range.from}:${range.to}`, () => this.detect(range.from, range.to));
    const detected = found.signals.filter((s) => !q.kind || s.kind === q.kind);
    const reviews = await this.reviewsOf(detected.map((s) => s.id));
    const signals = detected
      .map((s) => withReviews(s, reviews.get(s.id) ?? []))
      .filter((s) => !q.status || s.status === q.status);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const items = signals.slice((page - 1) * pageSize, page * pageSize);
    await this.name(items, found.enterpriseNames);
    return { ...range, items, total: signals.length, page, pageSize };
  }

  /** The signals of the bookings created in [from, to] (days), in list order, and the enterprises' names. */
  private async detect(from: string, to: string): Promise<{ signals: DetectedSignal[]; enterpriseNames: Map<string, string> }> {
    const bookings = await this.d.sources.bookingsCreatedBetween(dayStart(from).toJSDate(), dayStart(to).plus({ days: 1 }).toJSDate());
    const [vouchers, enterprises, policies] = await Promise.all([
      this.d.sources.vouchersOfBookings(bookings.filter((b) => b.useVoucher).map((b) => b._id)),
      this.d.sources.enterprises(),
      this.d.policies(),
    ]);
    const signals = detectSignals({ bookings, vouchers, enterprises, policies })
      .sort((a, b) => SIGNAL_KINDS.indexOf(a.kind) - SIGNAL_KINDS.indexOf(b.kind) || b.weight - a.weight || a.id.localeCompare(b.id));
    return { signals, enterpriseNames: new Map(enterprises.map((e) => [e._id, e.name])) };
  }

  /** Appends a review (dismissed or referred, with a note); a racing review takes the next number. */
  async review(actor: Actor, signalId: string, body: SignalReviewBody): Promise<SignalReview> {
    const note = body.note.trim();
    if (!note) throw new ValidationError([{ field: "/body/note", rule: "required", message: "a note is required" }]);
    // Append-only: start after the reviews seen; a racing reviewer's number is taken, so try the next.
    let n = (await this.d.m.reviews.countDocuments({ signalId })) + 1;
    for (let attempt = 0; attempt < MAX_REVIEW_ATTEMPTS; attempt++, n++) {
      const doc: ReviewDoc = { _id: reviewId(signalId, n), signalId, n, decision: body.decision, note, by: actor.userId, byName: actor.name, at: new Date(this.d.now()) };
      try {
        await this.d.m.reviews.create(doc);
        return presentReview(doc);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    }
    throw new ConflictError();
  }

  private async reviewsOf(ids: readonly string[]): Promise<Map<string, ReviewDoc[]>> {
    const out = new Map<string, ReviewDoc[]>();
    if (ids.length === 0) return out;
    // The reviews collection is small (a note per decision): one read of those naming these signals.
    const docs = await this.d.m.reviews.find({ signalId: { $in: [...ids] } }).lean<ReviewDoc[]>();
    for (const r of docs.sort((a, b) => a.n - b.n)) out.set(r.signalId, [...(out.get(r.signalId) ?? []), r]);
    return out;
  }

  /** Fills in the parties' names (only for the page shown). */
  private async name(items: Signal[], entNames: Map<string, string>): Promise<void> {
    const provNames = await this.d.sources.names("providers", items.flatMap((s) => s.evidence.providers.map((p) => p.id)));
    for (const s of items) {
      // New objects: the evidence itself is shared with the cached detection.
      s.evidence = {
        ...s.evidence,
        enterprises: s.evidence.enterprises.map((e) => ({ id: e.id, name: entNames.get(e.id) ?? e.name })),
        providers: s.evidence.providers.map((p) => ({ id: p.id, name: provNames.get(p.id) ?? p.name })),
      };
    }
  }
}

function withReviews(s: DetectedSignal, reviews: readonly ReviewDoc[]): Signal {
  const last = reviews.at(-1);
  return { id: s.id, kind: s.kind, evidence: s.evidence, status: last ? last.decision : "open", reviews: reviews.map(presentReview) };
}
