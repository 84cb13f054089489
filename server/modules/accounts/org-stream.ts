// The registration stream of an organization and its projection (the enterprise/provider doc).
// Event 1 "registered"; then per review round: "reviewed" (approved | rejected), "resubmitted"
// (a rejected registration corrected: pending again, round + 1), "revoked" (closed by the bureau).
// Each event is `<orgId>:<version + 1>`, so every decision on an organization has one winner.
// Every read goes through load()/loadMany(), which apply events the projection is behind on.
import type { Model } from "mongoose";
import type { OrgStatus, OrgType } from "../../../shared/enums";
import { readById } from "../../db/batched-reads";
import { eventId, readEvent, type EventModel, type StoredEvent } from "../../db/event-store";
import type { AccountsModels, EnterpriseDoc, ProviderDoc } from "./model";

export type OrgDoc = EnterpriseDoc | ProviderDoc;
export type RegisteredType = Exclude<OrgType, "bureau">;

/** The registration's fields a resubmission may correct (the create body, normalized). */
export type OrgFields = Record<string, unknown>;

export interface ReviewedData { status: OrgStatus; reason?: string }
export interface ResubmittedData { round: number; fields: OrgFields }

/** The projection after one more event. Pure: the same on every reader and in the seed. */
export function applyOrgEvent(doc: OrgDoc, e: Pick<StoredEvent, "seq" | "type" | "data" | "actorId" | "at">): OrgDoc {
  const base = { ...doc, version: e.seq };
  switch (e.type) {
    case "resubmitted": {
      const data = e.data as unknown as ResubmittedData;
      return {
        ...base,
        ...data.fields,
        status: "pending",
        round: data.round,
        reviewReason: undefined,
        reviewedAt: undefined,
        reviewedBy: undefined,
      } as OrgDoc;
    }
    case "reviewed":
    case "revoked": {
      const data = e.data as unknown as ReviewedData;
      return { ...base, status: data.status, reviewReason: data.reason, reviewedAt: e.at, reviewedBy: e.actorId ?? undefined };
    }
    case "controller_set": {
      // The bureau's verified actual controller (issue 10); null clears it.
      const { actualController } = e.data as { actualController: string | null };
      return { ...base, actualController: actualController ?? undefined } as OrgDoc;
    }
    default:
      return base;
  }
}

export class OrgStream {
  constructor(
    private readonly m: AccountsModels,
    private readonly events: EventModel,
  ) {}

  model(type: RegisteredType): Model<OrgDoc> {
    return (type === "enterprise" ? this.m.enterprises : this.m.providers) as unknown as Model<OrgDoc>;
  }

  /** The organization as of its last event (the projection healed on the way), or null. */
  async load(type: RegisteredType, id: string): Promise<OrgDoc | null> {
    const doc = await readById<OrgDoc>(this.model(type), id);
    return doc ? this.heal(type, doc) : null;
  }

  /** Brings one projection up to its stream's head, writing the result back. */
  async heal(type: RegisteredType, doc: OrgDoc, known?: StoredEvent | null): Promise<OrgDoc> {
    let current = doc;
    let next = known === undefined ? await readEvent(this.events, doc._id, doc.version + 1) : known;
    while (next) {
      current = applyOrgEvent(current, next);
      next = await readEvent(this.events, doc._id, current.version + 1);
    }
    if (current !== doc) await this.write(type, current);
    return current;
  }

  /** Heals a page of projections with one batched look-up of each `<id>:<version + 1>`. */
  async healMany(type: RegisteredType, docs: OrgDoc[]): Promise<OrgDoc[]> {
    if (docs.length === 0) return docs;
    const ids = docs.map((d) => eventId(d._id, d.version + 1));
    const found = await this.events.find({ _id: { $in: ids } }).lean<StoredEvent[]>();
    if (found.length === 0) return docs;
    const byId = new Map(found.map((e) => [e._id, e]));
    return Promise.all(docs.map((d) => {
      const next = byId.get(eventId(d._id, d.version + 1));
      return next ? this.heal(type, d, next) : d;
    }));
  }

  /**
   * Writes the projection. Updates are not atomic on FerretDB, so two healers may write in either
   * order; an older write is harmless because every read heals again from `version + 1`.
   */
  async write(type: RegisteredType, doc: OrgDoc): Promise<void> {
    const { _id, ...rest } = doc;
    const unset = Object.fromEntries(Object.entries(rest).filter(([, v]) => v === undefined).map(([k]) => [k, 1]));
    const set = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    await this.model(type).updateOne({ _id }, { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}) });
  }
}
