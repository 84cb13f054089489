// Stock figures (what is registered at an instant), from the small organization and instrument
// collections, read once into memory and shared through a FreshCache. Definitions: docs/stats.md.
import type { Connection } from "mongoose";
import { INDUSTRY_CODES, type Industry } from "../../../shared/enums";

interface EnterpriseRow { _id: string; status: string; industry?: string; createdAt: Date; reviewedAt?: Date }
interface InstrumentRow { status: string; createdAt: Date }

export interface StockFigures {
  enterprises: number;
  registryEnterprises: number;
  instruments: number;
}

export class Stocks {
  private constructor(
    /** Sorted instants: registered on the platform, in the registry since, instruments published. */
    private readonly registered: number[],
    private readonly inRegistry: number[],
    private readonly instruments: number[],
    private readonly industries: Map<string, Industry>,
  ) {}

  static async read(conn: Connection): Promise<Stocks> {
    const [ents, insts] = await Promise.all([
      conn.collection("enterprises").find({}, { projection: { status: 1, industry: 1, createdAt: 1, reviewedAt: 1 } }).toArray() as Promise<unknown[]> as Promise<EnterpriseRow[]>,
      conn.collection("instruments").find({}, { projection: { _id: 0, status: 1, createdAt: 1 } }).toArray() as Promise<unknown[]> as Promise<InstrumentRow[]>,
    ]);
    const industries = new Map<string, Industry>();
    for (const e of ents) industries.set(String(e._id), (INDUSTRY_CODES as readonly string[]).includes(e.industry ?? "") ? (e.industry as Industry) : "other");
    // Rejected and revoked registrations are not on the platform; the registry (科技型中小企业入库)
    // is the approved ones, since their approval (reviewedAt).
    const on = ents.filter((e) => e.status !== "rejected" && e.status !== "revoked");
    const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
    return new Stocks(
      sorted(on.map((e) => new Date(e.createdAt).getTime())),
      sorted(on.filter((e) => e.status === "approved").map((e) => new Date(e.reviewedAt ?? e.createdAt).getTime())),
      sorted(insts.filter((i) => i.status !== "retired").map((i) => new Date(i.createdAt).getTime())),
      industries,
    );
  }

  /** The figures just before `atMs` (the end of a day: its next day's start). */
  at(atMs: number): StockFigures {
    return { enterprises: countBefore(this.registered, atMs), registryEnterprises: countBefore(this.inRegistry, atMs), instruments: countBefore(this.instruments, atMs) };
  }

  /** An enterprise's industry now (an unknown enterprise counts as "other"). */
  industryOf(enterpriseId: string): Industry {
    return this.industries.get(enterpriseId) ?? "other";
  }
}

/** How many of the sorted instants lie before `atMs`. */
function countBefore(sorted: readonly number[], atMs: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < atMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
