// Recording provincial performance awards. The settlement (vouchers module) pays the city's 1:1
// match from `awardsRecordedBetween`/`awardsOfYear`; this module only keeps the awards.
// A second POST for the same provider and year is an idempotent replay when it names the same
// amount (the first award comes back, 200) and 409 AWARD_EXISTS when it names another: an award
// once recorded is never silently rewritten (a correction is a matter for the ledger, not an edit).
import type { Award, AwardBody } from "../../../shared/schemas/evidence";
import { isDuplicateKeyError } from "../../db/errors";
import { announceAppend } from "../../db/append-observers";
import { ConflictError, NotFoundError } from "../../errors";
import type { Actor } from "../accounts/actor";
import type { AwardDoc, AwardModel } from "./model";

export type ProviderName = (providerId: string) => Promise<string | null>;

export class AwardsService {
  now: () => number = () => Date.now();

  constructor(
    private readonly m: AwardModel,
    private readonly providerName: ProviderName,
  ) {}

  async record(actor: Actor, body: AwardBody): Promise<{ award: Award; created: boolean }> {
    const id = `${body.providerId}:${body.year}`;
    const existing = await this.m.findById(id).lean<AwardDoc>();
    if (existing) return { award: this.replay(existing, body), created: false };
    const name = await this.providerName(body.providerId);
    if (name === null) throw new NotFoundError();
    const doc: AwardDoc = { _id: id, ...body, providerName: name, recordedBy: actor.userId, recordedAt: new Date(this.now()) };
    try {
      await this.m.create(doc);
      announceAppend(this.m.db, "awards", doc);
      return { award: present(doc), created: true };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // Lost a race for the same provider-year: the winner's award decides.
      return { award: this.replay((await this.m.findById(id).lean<AwardDoc>())!, body), created: false };
    }
  }

  async awardsOfYear(year: number): Promise<Award[]> {
    const docs = await this.m.find({ year }).sort({ providerName: 1 }).lean<AwardDoc[]>();
    return docs.map(present);
  }

  /** Awards recorded in [start, end): what one settlement period matches (本月登记，次月兑付). */
  async awardsRecordedBetween(start: Date, end: Date): Promise<Award[]> {
    const docs = await this.m.find({ recordedAt: { $gte: start, $lt: end } }).sort({ recordedAt: 1 }).lean<AwardDoc[]>();
    return docs.map(present);
  }

  private replay(existing: AwardDoc, body: AwardBody): Award {
    if (existing.provincialAwardFen !== body.provincialAwardFen) {
      throw new ConflictError("AWARD_EXISTS", { year: existing.year, yuan: (existing.provincialAwardFen / 100).toFixed(2) });
    }
    return present(existing);
  }
}

function present(doc: AwardDoc): Award {
  return {
    id: doc._id, providerId: doc.providerId, providerName: doc.providerName, year: doc.year,
    provincialAwardFen: doc.provincialAwardFen, recordedBy: doc.recordedBy, recordedAt: new Date(doc.recordedAt).toISOString(),
  };
}
