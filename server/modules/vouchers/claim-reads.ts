// Reading claims: the enterprise sees its own, the provider the claims on its services (without the
// enterprise's documents), the bureau all; anyone else 404. Lists filter by status, county and
// period (month of the first submission; of the approval when status=approved), newest first.
import { DateTime } from "luxon";
import type { Claim, ClaimListQuery } from "../../../shared/schemas/claims";
import type { PageOf } from "../../../shared/schemas/common";
import { CITY_ZONE } from "../../../shared/voucher-split";
import { ForbiddenError, NotFoundError } from "../../errors";
import { isBureau, isMemberOf, type Actor } from "../accounts/actor";
import type { OrgStream } from "../accounts/org-stream";
import type { ClaimDoc, ClaimModels } from "./claim-model";
import { presentClaim, type ClaimStream } from "./claim-stream";
import type { EvidenceReader } from "./claims";

export class ClaimReads {
  constructor(
    private readonly m: ClaimModels,
    private readonly claims: ClaimStream,
    private readonly orgs: OrgStream,
    private readonly uploads: EvidenceReader,
  ) {}

  async get(actor: Actor, id: string): Promise<Claim> {
    const doc = await this.claims.load(id);
    if (!doc || !canSee(actor, doc)) throw new NotFoundError();
    return (await this.present(actor, [doc]))[0]!;
  }

  async list(actor: Actor, q: ClaimListQuery): Promise<PageOf<Claim>> {
    const m = actor.membership;
    const filter: Record<string, unknown> = {};
    if (m?.orgType === "enterprise") filter.enterpriseId = m.orgId;
    else if (m?.orgType === "provider") filter.providerId = m.orgId;
    else if (!isBureau(actor)) throw new ForbiddenError();
    if (q.status) filter.status = q.status;
    if (q.county) filter.county = q.county;
    if (q.period && q.status === "approved") filter.approvedPeriod = q.period;
    else if (q.period) {
      const start = DateTime.fromFormat(q.period, "yyyy-MM", { zone: CITY_ZONE });
      filter.submittedAt = { $gte: start.toJSDate(), $lt: start.plus({ months: 1 }).toJSDate() };
    }
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const [total, docs] = await Promise.all([
      this.m.claims.countDocuments(filter),
      this.m.claims.find(filter).sort({ submittedAt: -1, _id: -1 }).skip((page - 1) * pageSize).limit(pageSize).lean<ClaimDoc[]>(),
    ]);
    return { items: await this.present(actor, await this.claims.healMany(docs)), total, page, pageSize };
  }

  /** Names, upload records (not for providers) and the settlement that paid each approved claim. */
  private async present(actor: Actor, docs: ClaimDoc[]): Promise<Claim[]> {
    const names = new Map<string, string>();
    const nameOf = async (type: "enterprise" | "provider", id: string) => {
      if (!names.has(id)) names.set(id, (await this.orgs.load(type, id))?.name ?? "");
      return names.get(id)!;
    };
    const periods = [...new Set(docs.map((d) => d.approvedPeriod).filter((p): p is string => !!p))];
    const settled = new Set(periods.length ? (await this.m.settlements.find({ _id: { $in: periods } }, { _id: 1 }).lean()).map((s) => String(s._id)) : []);
    const withFiles = actor.membership?.orgType !== "provider";
    return Promise.all(
      docs.map(async (d) => {
        let uploads: Map<string, { name: string; type: string; size: number }> | undefined;
        if (withFiles) {
          uploads = new Map();
          for (const a of d.attachments) {
            const u = await this.uploads.describe(a.uploadId);
            if (u) uploads.set(a.uploadId, { name: u.name, type: u.type, size: u.size });
          }
        }
        return presentClaim(d, {
          enterpriseName: await nameOf("enterprise", d.enterpriseId),
          providerName: await nameOf("provider", d.providerId),
          ...(uploads ? { uploads } : {}),
          ...(d.status === "approved" && d.approvedPeriod && settled.has(d.approvedPeriod) ? { settlementId: d.approvedPeriod } : {}),
        });
      }),
    );
  }
}

function canSee(actor: Actor, c: ClaimDoc): boolean {
  return isBureau(actor) || isMemberOf(actor, c.enterpriseId) || isMemberOf(actor, c.providerId);
}
