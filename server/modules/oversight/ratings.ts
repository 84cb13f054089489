// Enterprise ratings: a member of the booking's enterprise rates a completed booking once, 1–5
// stars and an optional comment. Once is the insert of `rating:<bookingId>`: of 50 parallel
// requests one is stored, the others get 409 RATING_EXISTS. The scorecards average them.
import type { BookingRating, Rating, RatingBody } from "../../../shared/schemas/oversight";
import { findByIds } from "../../db/by-ids";
import { isDuplicateKeyError } from "../../db/errors";
import { ConflictError, ForbiddenError, NotFoundError, RuleError } from "../../errors";
import { isBureau, type Actor } from "../accounts/actor";
import type { BookingDoc } from "../scheduling/model";
import { ratingId, type OversightModels, type RatingDoc } from "./model";

/** How oversight reads a booking (scheduling's `load`: the projection healed from its events). */
export type BookingLoader = (id: string) => Promise<Pick<BookingDoc, "_id" | "status" | "enterpriseId" | "providerIds"> | null>;

export const presentRating = (d: RatingDoc): Rating => ({
  bookingId: d.bookingId, enterpriseId: d.enterpriseId, providerIds: [...d.providerIds], stars: d.stars,
  ...(d.comment ? { comment: d.comment } : {}), ratedBy: d.ratedBy, ratedAt: new Date(d.ratedAt).toISOString(),
});

export class Ratings {
  constructor(
    private readonly m: OversightModels,
    private readonly loadBooking: BookingLoader,
    private readonly now: () => number,
  ) {}

  async rate(actor: Actor, bookingId: string, body: RatingBody): Promise<Rating> {
    const booking = await this.loadBooking(bookingId);
    const m = actor.membership;
    if (m?.orgType !== "enterprise") throw new ForbiddenError();
    // Another enterprise's booking is not disclosed (docs/architecture.md "Authorization").
    if (!booking || booking.enterpriseId !== m.orgId) throw new NotFoundError();
    if (booking.status !== "completed") throw new RuleError("RATING_BOOKING_NOT_COMPLETED", { status: booking.status });
    const comment = body.comment?.trim();
    const doc: RatingDoc = {
      _id: ratingId(bookingId), bookingId, enterpriseId: booking.enterpriseId, providerIds: [...booking.providerIds],
      stars: body.stars, ...(comment ? { comment } : {}), ratedBy: actor.userId, ratedAt: new Date(this.now()),
    };
    try {
      await this.m.ratings.create(doc);
    } catch (err) {
      if (isDuplicateKeyError(err)) throw new ConflictError("RATING_EXISTS");
      throw err;
    }
    return presentRating(doc);
  }

  /** A booking's rating (or null) for those who see the booking: its enterprise, its providers, the bureau. */
  async get(actor: Actor, bookingId: string): Promise<BookingRating> {
    const booking = await this.loadBooking(bookingId);
    const orgId = actor.membership?.orgId;
    const visible = !!booking && (isBureau(actor) || orgId === booking.enterpriseId || (!!orgId && booking.providerIds.includes(orgId)));
    if (!visible) throw new NotFoundError();
    const doc = await this.m.ratings.findById(ratingId(bookingId)).lean<RatingDoc>();
    return { rating: doc ? presentRating(doc) : null };
  }

  /** The ratings of these bookings, by booking id (read by `_id`). */
  async ofBookings(bookingIds: readonly string[]): Promise<RatingDoc[]> {
    return findByIds<RatingDoc>(this.m.ratings, bookingIds.map(ratingId));
  }
}
