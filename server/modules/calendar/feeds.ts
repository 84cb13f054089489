// Calendar feed secrets (model.ts): get or create an owner's token, reset it, resolve a token.
import type { CalendarFeed } from "../../../shared/schemas/calendar";
import { isDuplicateKeyError } from "../../db/errors";
import { newSecret } from "../../db/ids";
import type { CalendarFeedDoc } from "./model";
import type { Model } from "mongoose";

export type FeedOwner = { kind: "user"; userId: string } | { kind: "instrument"; instrumentId: string; userId: string };

const ownerKey = (o: FeedOwner) => (o.kind === "user" ? `user:${o.userId}` : `instrument:${o.instrumentId}:${o.userId}`);

function parseOwner(key: string): FeedOwner | null {
  const [kind, a, b] = key.split(":");
  if (kind === "user" && a) return { kind, userId: a };
  if (kind === "instrument" && a && b) return { kind, instrumentId: a, userId: b };
  return null;
}

export function presentFeed(owner: FeedOwner, token: string): CalendarFeed {
  return { kind: owner.kind, ...(owner.kind === "instrument" ? { instrumentId: owner.instrumentId } : {}), token, path: `/api/ical/${token}.ics` };
}

export class FeedTokens {
  constructor(private readonly model: Model<CalendarFeedDoc>) {}

  /** The owner's current token; the first call makes one (of two racing first calls, one insert wins). */
  async current(owner: FeedOwner): Promise<string> {
    const key = ownerKey(owner);
    const existing = await this.model.findById(`owner:${key}`).lean();
    if (existing?.token) return existing.token;
    const token = await this.newToken(key);
    try {
      await this.model.create({ _id: `owner:${key}`, token, createdAt: new Date() });
      return token;
    } catch (err) {
      await this.model.deleteOne({ _id: `token:${token}` });
      if (!isDuplicateKeyError(err)) throw err;
      const winner = await this.model.findById(`owner:${key}`).lean();
      return winner!.token!;
    }
  }

  /** A new token for the owner; the old one stops resolving at once. */
  async reset(owner: FeedOwner): Promise<string> {
    const key = ownerKey(owner);
    const old = await this.model.findById(`owner:${key}`).lean();
    const token = await this.newToken(key);
    const replace = () => this.model.replaceOne({ _id: `owner:${key}` }, { token, createdAt: new Date() }, { upsert: true });
    try {
      await replace();
    } catch (err) {
      // Racing first resets both upsert a missing document: the loser's insert fails, and the
      // document now exists, so its replace goes through (last writer wins, as for any reset).
      if (!isDuplicateKeyError(err)) throw err;
      await replace();
    }
    if (old?.token) await this.model.deleteOne({ _id: `token:${old.token}` });
    return token;
  }

  /** The owner of a token while it is their current one; null otherwise (two reads by `_id`). */
  async resolve(token: string): Promise<FeedOwner | null> {
    const doc = await this.model.findById(`token:${token}`).lean();
    if (!doc?.owner) return null;
    const owner = await this.model.findById(`owner:${doc.owner}`).lean();
    return owner?.token === token ? parseOwner(doc.owner) : null;
  }

  private async newToken(key: string): Promise<string> {
    const token = newSecret();
    await this.model.create({ _id: `token:${token}`, owner: key, createdAt: new Date() });
    return token;
  }
}
