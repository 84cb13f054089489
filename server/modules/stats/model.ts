// Roll-ups of closed months: `stats_months._id = "YYYY-MM"`, computed from the source documents once
// the month is over (rollups.ts). The insert is the decision: racing writers compute the same
// document, one insert wins, the others get a duplicate key and keep the stored one. Never updated
// in place; `npm run stats:verify -- --rebuild` replaces one found wrong.
import { Schema, type Connection, type Model } from "mongoose";
import type { DayFigures, MonthFigures, SubsidyLine } from "./figures";

/** Bumped when the figures' definitions change: `stats:verify` reports older documents, `--rebuild` replaces them. */
export const ROLLUP_SCHEMA = 1;

export interface StatsMonthDoc {
  _id: string;
  schema: number;
  days: DayFigures[];
  subsidies: SubsidyLine[];
  computedAt: Date;
}
const statsMonthSchema = new Schema<StatsMonthDoc>(
  { _id: String, schema: { type: Number, required: true }, days: { type: Schema.Types.Mixed, default: [] }, subsidies: { type: Schema.Types.Mixed, default: [] }, computedAt: { type: Date, required: true } },
  { versionKey: false, minimize: false },
);

export function statsMonthModel(conn: Connection): Model<StatsMonthDoc> {
  return (conn.models.StatsMonth as Model<StatsMonthDoc> | undefined) ?? conn.model<StatsMonthDoc>("StatsMonth", statsMonthSchema, "stats_months");
}

/** The figures of a document, field by field in a fixed order (what is compared and served). */
export function figuresOf(doc: Pick<StatsMonthDoc, "_id" | "days" | "subsidies">): MonthFigures {
  return {
    month: doc._id,
    days: (doc.days ?? []).map((d) => ({
      day: d.day, vouchersIssued: d.vouchersIssued, vouchersIssuedFen: d.vouchersIssuedFen, vouchersRedeemed: d.vouchersRedeemed, vouchersRedeemedFen: d.vouchersRedeemedFen,
      vouchersVoided: d.vouchersVoided, vouchersVoidedFen: d.vouchersVoidedFen, bookings: d.bookings, bookingsFen: d.bookingsFen,
    })),
    subsidies: (doc.subsidies ?? []).map((s) => ({ day: s.day, enterpriseId: s.enterpriseId, county: s.county, vouchers: s.vouchers, amountFen: s.amountFen })),
  };
}

export const docOf = (f: MonthFigures, computedAt: Date): StatsMonthDoc => ({ _id: f.month, schema: ROLLUP_SCHEMA, days: f.days, subsidies: f.subsidies, computedAt });
