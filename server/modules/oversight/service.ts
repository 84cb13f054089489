// Oversight (issue 12): the year's voucher budgets, provider scorecards with enterprise ratings, and
// collusion signals for review. It stands on top and only reads the other modules' projections
// (sources.ts), except for its own decisions: budget versions, ratings and signal reviews (model.ts).
// The module's face (app.ts and routes use it); no HTTP here. docs/oversight.md.
import type { Connection } from "mongoose";
import { DateTime } from "luxon";
import type { BudgetSetBody, ProviderScorecard, RatingBody, ScorecardList, SignalQuery, SignalReviewBody } from "../../../shared/schemas/oversight";
import { CITY_ZONE } from "../../../shared/voucher-split";
import { NotFoundError } from "../../errors";
import { isBureau, type Actor } from "../accounts/actor";
import type { PolicyDoc } from "../vouchers/model";
import { Budgets } from "./budget";
import { FiguresCache } from "./cache";
import { oversightModels, type OversightModels } from "./model";
import { Ratings, type BookingLoader } from "./ratings";
import { scorecardOf, scorecards } from "./scorecards";
import { Signals } from "./signals";
import { OversightSources } from "./sources";

export interface OversightDeps {
  /** Scheduling's booking read (healed from its events). */
  loadBooking: BookingLoader;
  /** The voucher policy versions (vouchers' PolicyService). */
  policies: { versions(): Promise<PolicyDoc[]>; inForce(day: string): Promise<PolicyDoc> };
}

export class OversightService {
  /** The platform's clock: which year and month are current (tests stop it with atTime). */
  now: () => number = () => Date.now();
  readonly m: OversightModels;
  private readonly sources: OversightSources;
  private readonly cache = new FiguresCache();
  readonly budgets: Budgets;
  readonly ratings: Ratings;
  readonly signals: Signals;

  constructor(conn: Connection, d: OversightDeps) {
    this.m = oversightModels(conn);
    this.sources = new OversightSources(conn);
    const now = () => this.now();
    this.budgets = new Budgets({ m: this.m, cache: this.cache, sources: this.sources, policyInForce: (day) => d.policies.inForce(day), now });
    this.ratings = new Ratings(this.m, d.loadBooking, now);
    this.signals = new Signals({ m: this.m, cache: this.cache, sources: this.sources, policies: () => d.policies.versions(), now });
  }

  private thisYear(): number {
    return DateTime.fromMillis(this.now(), { zone: CITY_ZONE }).year;
  }

  budget(year?: number) {
    return this.budgets.report(year);
  }
  setBudget(actor: Actor, year: number, body: BudgetSetBody) {
    return this.budgets.set(actor, year, body);
  }

  async rate(actor: Actor, bookingId: string, body: RatingBody) {
    const rating = await this.ratings.rate(actor, bookingId, body);
    this.cache.forget("scorecards:"); // this process's scorecards show it at once; others within a minute
    return rating;
  }
  rating(actor: Actor, bookingId: string) {
    return this.ratings.get(actor, bookingId);
  }

  async scorecards(year?: number): Promise<ScorecardList> {
    const y = year ?? this.thisYear();
    const items = await this.cache.get(`scorecards:${y}`, () => scorecards({ sources: this.sources, ratingsOf: (ids) => this.ratings.ofBookings(ids) }, y));
    return { year: y, items: structuredClone(items) };
  }

  /** One provider's scorecard: its own members and the bureau; anyone else 404. */
  async scorecardOf(actor: Actor, providerId: string, year?: number): Promise<ProviderScorecard> {
    if (!isBureau(actor) && actor.membership?.orgId !== providerId) throw new NotFoundError();
    const name = (await this.sources.names("providers", [providerId])).get(providerId);
    if (name === undefined) throw new NotFoundError();
    const list = await this.scorecards(year);
    return { year: list.year, scorecard: list.items.find((s) => s.providerId === providerId) ?? scorecardOf(providerId, name) };
  }

  listSignals(q: SignalQuery) {
    return this.signals.list(q);
  }
  reviewSignal(actor: Actor, signalId: string, body: SignalReviewBody) {
    return this.signals.review(actor, signalId, body);
  }
}
