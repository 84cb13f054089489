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
    /** [registered at, in the registry since (null: not in it now)] per enterprise that counts. */
    private readonly enterprises: { createdAt: number; registeredAt: number | null }[],
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
    return new Stocks(
      // Rejected and revoked registrations are not on the platform; the registry (科技型中小企业入库)
      // is the approved ones, since their approval (reviewedAt).
      ents.filter((e) => e.status !== "rejected" && e.status !== "revoked").map((e) => ({
        createdAt: new Date(e.createdAt).getTime(),
        registeredAt: e.status === "approved" ? new Date(e.reviewedAt ?? e.createdAt).getTime() : null,
      })),
      insts.filter((i) => i.status !== "retired").map((i) => new Date(i.createdAt).getTime()),
      industries,
    );
  }

  /** The figures just before `atMs` (the end of a day: its next day's start). */
  at(atMs: number): StockFigures {
    let enterprises = 0;
    let registryEnterprises = 0;
    for (const e of this.enterprises) {
      if (e.createdAt < atMs) enterprises++;
      if (e.registeredAt !== null && e.registeredAt < atMs) registryEnterprises++;
    }
    return { enterprises, registryEnterprises, instruments: this.instruments.filter((t) => t < atMs).length };
  }

  /** An enterprise's industry now (an unknown enterprise counts as "other"). */
  industryOf(enterpriseId: string): Industry {
    return this.industries.get(enterpriseId) ?? "other";
  }
}
