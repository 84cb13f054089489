// Enterprise and provider registration and the bureau's review (入库审核). An approved enterprise
// is in the tech-SME registry and may use vouchers; an approved provider may publish instruments.
import type { Model } from "mongoose";
import { MEMBER_ROLES, type OrgStatus, type OrgType } from "../../../shared/enums";
import { isValidCreditCode } from "../../../shared/credit-code";
import type { PageOf } from "../../../shared/schemas/common";
import type {
  Enterprise,
  EnterpriseCreateBody,
  OrgListQuery,
  Provider,
  ProviderCreateBody,
  ReviewBody,
} from "../../../shared/schemas/accounts";
import { appendEvent, readEvent, type EventModel } from "../../db/event-store";
import { isDuplicateKeyError } from "../../db/errors";
import { escapeRegExp, newId } from "../../db/ids";
import { ConflictError, NotFoundError, ValidationError } from "../../errors";
import type { DomainEventBus } from "../../events";
import { isBureau, isMemberOf, type Actor } from "./actor";
import type { AccountsModels, EnterpriseDoc, ProviderDoc } from "./model";

type OrgDoc = EnterpriseDoc | ProviderDoc;
type RegisteredType = Exclude<OrgType, "bureau">;

function presentReview(doc: OrgDoc) {
  return {
    id: doc._id,
    status: doc.status,
    ...(doc.reviewReason ? { reviewReason: doc.reviewReason } : {}),
    ...(doc.reviewedAt ? { reviewedAt: doc.reviewedAt.toISOString() } : {}),
    createdAt: doc.createdAt.toISOString(),
  };
}

export function presentEnterprise(doc: EnterpriseDoc): Enterprise {
  const { name, creditCode, county, industry, size } = doc;
  return { ...presentReview(doc), name, creditCode, county, industry, size };
}

export function presentProvider(doc: ProviderDoc): Provider {
  const { name, kind, county } = doc;
  return { ...presentReview(doc), name, kind, county };
}

/** Provider names compare without case, spaces or full-width/half-width differences. */
export function providerNameKey(name: string): string {
  return name.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
}

type OrgDto = Enterprise | Provider;

function present(type: RegisteredType, doc: OrgDoc): OrgDto {
  return type === "enterprise" ? presentEnterprise(doc as EnterpriseDoc) : presentProvider(doc as ProviderDoc);
}

export class OrganizationsService {
  constructor(
    private readonly m: AccountsModels,
    private readonly events: EventModel,
    private readonly bus: DomainEventBus,
  ) {}

  private model(type: RegisteredType): Model<OrgDoc> {
    return (type === "enterprise" ? this.m.enterprises : this.m.providers) as unknown as Model<OrgDoc>;
  }

  async createEnterprise(actor: Actor, body: EnterpriseCreateBody): Promise<Enterprise> {
    if (!isValidCreditCode(body.creditCode)) {
      throw new ValidationError(
        [{ field: "/body/creditCode", rule: "checksum", message: "unified social credit code checksum" }],
        "INVALID_CREDIT_CODE",
      );
    }
    const doc = await this.register(actor, "enterprise", { ...body, name: body.name.trim() }, "CREDIT_CODE_TAKEN");
    return presentEnterprise(doc as EnterpriseDoc);
  }

  async createProvider(actor: Actor, body: ProviderCreateBody): Promise<Provider> {
    const name = body.name.trim();
    const fields = { ...body, name, nameKey: providerNameKey(name) };
    const doc = await this.register(actor, "provider", fields, "PROVIDER_NAME_TAKEN");
    return presentProvider(doc as ProviderDoc);
  }

  /**
   * Membership first (its `_id` is the user: one organization per user, decided by the insert),
   * then the organization (unique credit code / name). If the second insert loses, the first is
   * undone; if the process dies between them, the dangling membership is dropped later.
   */
  private async register(
    actor: Actor,
    type: RegisteredType,
    fields: Record<string, unknown>,
    takenCode: "CREDIT_CODE_TAKEN" | "PROVIDER_NAME_TAKEN",
  ): Promise<OrgDoc> {
    const orgId = newId();
    const now = new Date();
    try {
      await this.m.memberships.create({
        _id: actor.userId,
        orgType: type,
        orgId,
        role: MEMBER_ROLES[type].admin,
        joinedAt: now,
      });
    } catch (err) {
      if (isDuplicateKeyError(err)) throw new ConflictError("ALREADY_MEMBER");
      throw err;
    }
    const doc = { _id: orgId, ...fields, status: "pending" as const, version: 1, createdBy: actor.userId, createdAt: now };
    try {
      await this.model(type).create(doc);
    } catch (err) {
      await this.m.memberships.deleteOne({ _id: actor.userId, orgId });
      if (isDuplicateKeyError(err)) throw new ConflictError(takenCode);
      throw err;
    }
    await appendEvent(this.events, {
      aggregateId: orgId,
      seq: 1,
      type: "registered",
      data: { type, ...fields },
      actorId: actor.userId,
    });
    this.bus.emit("membership.created", { userId: actor.userId, orgId, orgType: type, role: MEMBER_ROLES[type].admin });
    return doc as unknown as OrgDoc;
  }

  async list(actor: Actor | null, type: RegisteredType, query: OrgListQuery): Promise<PageOf<OrgDto>> {
    const filter: Record<string, unknown> = {};
    // Outside the bureau only approved providers are listed (they are the public catalog's publishers).
    if (!isBureau(actor)) filter.status = "approved";
    else if (query.status) filter.status = query.status;
    if (query.county) filter.county = query.county;
    const q = query.q?.trim();
    if (q) {
      const pattern = new RegExp(escapeRegExp(q), "i");
      filter.$or = type === "enterprise" ? [{ name: pattern }, { creditCode: pattern }] : [{ name: pattern }];
    }
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const model = this.model(type);
    const [total, items] = await Promise.all([
      model.countDocuments(filter),
      model
        .find(filter)
        .sort({ createdAt: -1, _id: -1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .lean<OrgDoc[]>(),
    ]);
    return { items: items.map((doc) => present(type, doc)), total, page, pageSize };
  }

  /** The bureau and the organization's own members see everything; others only approved providers. */
  async get(actor: Actor | null, type: RegisteredType, id: string): Promise<OrgDto> {
    const doc = await this.load(type, id);
    const publicProvider = type === "provider" && doc?.status === "approved";
    // An organization invisible to the caller answers 404, not 403: its existence is not disclosed.
    if (!doc || !(publicProvider || isBureau(actor) || isMemberOf(actor, id))) throw new NotFoundError();
    return present(type, doc);
  }

  /** Loads the projection and applies any event written after it (a crash between the two writes). */
  private async load(type: RegisteredType, id: string): Promise<OrgDoc | null> {
    let doc = await this.model(type).findById(id).lean<OrgDoc>();
    while (doc) {
      const next = await readEvent(this.events, id, doc.version + 1);
      if (!next) break;
      doc = await this.project(type, doc, next.seq, next.data as { status: OrgDoc["status"]; reason?: string }, next);
    }
    return doc;
  }

  private async project(
    type: RegisteredType,
    doc: OrgDoc,
    seq: number,
    data: { status: OrgDoc["status"]; reason?: string },
    meta: { actorId: string | null; at: Date },
  ): Promise<OrgDoc> {
    const set = {
      status: data.status,
      version: seq,
      reviewReason: data.reason,
      reviewedAt: meta.at,
      reviewedBy: meta.actorId ?? undefined,
    };
    await this.model(type).updateOne({ _id: doc._id }, { $set: set });
    return { ...doc, ...set } as OrgDoc;
  }

  /** One review per registration: the review is event #2 of the organization, so racing reviewers get one winner. */
  async review(actor: Actor, type: RegisteredType, id: string, body: ReviewBody): Promise<OrgDto> {
    const reason = body.reason?.trim();
    if (body.decision === "reject" && !reason) {
      throw new ValidationError([{ field: "/body/reason", rule: "required", message: "reason is required to reject" }]);
    }
    const doc = await this.load(type, id);
    if (!doc) throw new NotFoundError();
    if (doc.status !== "pending") throw new ConflictError("ALREADY_REVIEWED", { status: doc.status });
    const status: OrgStatus = body.decision === "approve" ? "approved" : "rejected";
    const seq = doc.version + 1;
    const data = { status, ...(reason ? { reason } : {}) };
    if (!(await appendEvent(this.events, { aggregateId: id, seq, type: "reviewed", data, actorId: actor.userId }))) {
      const current = await this.load(type, id);
      throw new ConflictError("ALREADY_REVIEWED", { status: current?.status ?? "unknown" });
    }
    const reviewed = await this.project(type, doc, seq, data, { actorId: actor.userId, at: new Date() });
    this.bus.emit("organization.reviewed", { organizationId: id, type, status });
    return present(type, reviewed);
  }
}
