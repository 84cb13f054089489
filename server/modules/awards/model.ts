// Provincial performance awards to providers (省级绩效奖励), matched 1:1 by the city in the monthly
// settlement. One per provider and year: `_id` is `<providerId>:<year>`, so recording is one insert.
import { Schema, type Connection } from "mongoose";

export interface AwardDoc {
  _id: string;
  providerId: string;
  providerName: string;
  year: number;
  provincialAwardFen: number;
  recordedBy: string;
  recordedAt: Date;
}

const awardSchema = new Schema<AwardDoc>(
  {
    _id: String,
    providerId: { type: String, required: true },
    providerName: { type: String, required: true },
    year: { type: Number, required: true, index: true },
    provincialAwardFen: { type: Number, required: true },
    recordedBy: { type: String, required: true },
    recordedAt: { type: Date, required: true, index: true },
  },
  { versionKey: false, minimize: false },
);

export function awardModel(conn: Connection) {
  return conn.model<AwardDoc>("Award", awardSchema, "awards");
}
export type AwardModel = ReturnType<typeof awardModel>;
