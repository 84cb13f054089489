// Calendar feed secrets, looked up by `_id` only (FerretDB indexes nothing else): the owner's
// document `owner:<ownerKey>` names its current token, the token's document `token:<token>` names
// its owner. A token is valid only while its owner's document still names it, so a reset (a new
// token, then the owner's document pointing to it) makes the old URL answer 404 even if two resets
// race (the owner's document holds one token whichever write lands last).
import { Schema, type Connection, type Model } from "mongoose";

export interface CalendarFeedDoc {
  _id: string;
  /** On `owner:` documents: the current token. */
  token?: string;
  /** On `token:` documents: `user:<userId>` or `instrument:<instrumentId>:<userId>`. */
  owner?: string;
  createdAt: Date;
}
const calendarFeedSchema = new Schema<CalendarFeedDoc>(
  { _id: String, token: String, owner: String, createdAt: { type: Date, required: true } },
  { versionKey: false },
);

export function calendarFeedModel(conn: Connection): Model<CalendarFeedDoc> {
  return conn.model<CalendarFeedDoc>("CalendarFeed", calendarFeedSchema, "calendar_feeds");
}
