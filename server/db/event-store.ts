// Append-only event streams. The n-th event of an aggregate is a document with `_id`
// `<aggregateId>:<n>`: inserting it *is* the decision, so of two racing transitions exactly one
// gets in and the other sees a duplicate key (see DESIGN.md "The database").
import { Schema, type Connection, type Model } from "mongoose";
import { isDuplicateKeyError } from "./errors";
import { readById } from "./batched-reads";
import { announceAppend } from "./append-observers";

export interface StoredEvent {
  _id: string;
  aggregateId: string;
  seq: number;
  type: string;
  data: Record<string, unknown>;
  actorId: string | null;
  at: Date;
}

const eventSchema = new Schema<StoredEvent>(
  {
    _id: { type: String, required: true },
    aggregateId: { type: String, required: true, index: true },
    seq: { type: Number, required: true },
    type: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    actorId: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

export type EventModel = Model<StoredEvent>;

export function eventModel(conn: Connection): EventModel {
  return conn.model<StoredEvent>("Event", eventSchema, "events");
}

export function eventId(aggregateId: string, seq: number): string {
  return `${aggregateId}:${seq}`;
}

/** Appends event `seq`; returns false if another writer already took that number. */
export async function appendEvent(
  events: EventModel,
  event: Omit<StoredEvent, "_id" | "at"> & { at?: Date },
): Promise<boolean> {
  try {
    // Straight to the driver: an event is written as given (no defaults to apply, nothing to cast).
    const doc = { ...event, _id: eventId(event.aggregateId, event.seq), data: event.data ?? {}, actorId: event.actorId ?? null, at: event.at ?? new Date() };
    await events.collection.insertOne(doc as never, { ignoreUndefined: true });
    announceAppend(events.db, "events", doc);
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

/** Reads event `seq` by `_id` (the one lookup every backend indexes). */
export async function readEvent(events: EventModel, aggregateId: string, seq: number): Promise<StoredEvent | null> {
  return readById<StoredEvent>(events, eventId(aggregateId, seq));
}
