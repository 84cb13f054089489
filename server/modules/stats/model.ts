// Roll-ups of closed spans of days: `stats_days._id = "YYYY-MM-DD"` (computed from the day's
// documents, found by `_id`: day-index.ts) and `stats_months._id = "YYYY-MM"` (the sum of its stored
// days). The insert is the decision: racing writers compute the same document, one insert wins, the
// others read the stored one. Never updated in place; `npm run stats:verify -- --rebuild` replaces
// one found wrong.
import { Schema, type Connection, type Model } from "mongoose";
import type { DayFigures, PaidAfter, SpanFigures, SubsidyLine } from "./figures";

/**
 * Bumped when the figures' definitions or the document's shape change: `stats:verify` reports older
 * documents, readers do not serve them (they compute the span), `--rebuild` replaces them.
 * 2: subsidy lines per span instead of per day, settlement times (`paidAfter`).
 */
export const ROLLUP_SCHEMA = 2;

export interface SpanDoc {
  _id: string;
  schema: number;
  days: DayFigures[];
  /** The subsidy lines packed into one string (`enterpriseId\tcounty\tvouchers\tamountFen` per line): FerretDB decodes one value instead of ~1,000 per month. */
  subsidies: string | SubsidyLine[];
  paidAfter: PaidAfter[];
  computedAt: Date;
}
/** The month roll-up's document (the name the tests and tools know). */
export type StatsMonthDoc = SpanDoc;

const spanSchema = new Schema<SpanDoc>(
  {
    _id: String, schema: { type: Number, required: true }, days: { type: Schema.Types.Mixed, default: [] }, subsidies: { type: Schema.Types.Mixed, default: [] },
    paidAfter: { type: Schema.Types.Mixed, default: [] }, computedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

export function statsMonthModel(conn: Connection): Model<SpanDoc> {
  return (conn.models.StatsMonth as Model<SpanDoc> | undefined) ?? conn.model<SpanDoc>("StatsMonth", spanSchema, "stats_months");
}

export function statsDayModel(conn: Connection): Model<SpanDoc> {
  return (conn.models.StatsDay as Model<SpanDoc> | undefined) ?? conn.model<SpanDoc>("StatsDay", spanSchema, "stats_days");
}

/** The figures of a document, field by field in a fixed order (what is compared and served). */
export function figuresOf(doc: Pick<SpanDoc, "_id" | "days" | "subsidies"> & { paidAfter?: PaidAfter[] }): SpanFigures {
  return {
    key: doc._id,
    days: (doc.days ?? []).map((d) => ({
      day: d.day, vouchersIssued: d.vouchersIssued, vouchersIssuedFen: d.vouchersIssuedFen, vouchersRedeemed: d.vouchersRedeemed, vouchersRedeemedFen: d.vouchersRedeemedFen,
      vouchersVoided: d.vouchersVoided, vouchersVoidedFen: d.vouchersVoidedFen, bookings: d.bookings, bookingsFen: d.bookingsFen,
    })),
    subsidies: typeof doc.subsidies === "string" ? unpackLines(doc.subsidies) : (doc.subsidies ?? []).map((s) => ({ enterpriseId: s.enterpriseId, county: s.county, vouchers: s.vouchers, amountFen: s.amountFen })),
    paidAfter: (doc.paidAfter ?? []).map((p) => ({ days: p.days, claims: p.claims })),
  };
}

export const docOf = (f: SpanFigures, computedAt: Date): SpanDoc => ({ _id: f.key, schema: ROLLUP_SCHEMA, days: f.days, subsidies: packLines(f.subsidies), paidAfter: f.paidAfter, computedAt });

// Enterprise ids and county codes never hold a tab or a newline (ObjectId hex, enum codes).
const packLines = (lines: readonly SubsidyLine[]): string => lines.map((l) => `${l.enterpriseId}\t${l.county}\t${l.vouchers}\t${l.amountFen}`).join("\n");
function unpackLines(packed: string): SubsidyLine[] {
  if (packed === "") return [];
  return packed.split("\n").map((row) => {
    const [enterpriseId, county, vouchers, amountFen] = row.split("\t") as [string, string, string, string];
    return { enterpriseId, county, vouchers: Number(vouchers), amountFen: Number(amountFen) };
  });
}
