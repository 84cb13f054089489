// Enterprise and provider registration and the bureau's review (入库审核). An approved enterprise
// is in the tech-SME registry and may use vouchers; an approved provider may publish instruments.
// A registration runs in review rounds on the organization's event stream (org-stream.ts): a
// rejected one is corrected and resubmitted; the bureau may revoke one, which releases its code.
import { MEMBER_ROLES, type OrgStatus } from "../../../shared/enums";
import { isValidCreditCode } from "../../../shared/credit-code";
import { cleanName, nameKey } from "../../../shared/normalize";
import type { PageOf } from "../../../shared/schemas/common";
import type {
  Enterprise,
  EnterpriseCreateBody,
  OrgListQuery,
  Provider,
  ProviderCreateBody,
  ReviewBody,
  RevokeBody,
} from "../../../shared/schemas/accounts";
import { appendEvent, type EventModel } from "../../db/event-store";
import { isDuplicateKeyError } from "../../db/errors";
import { escapeRegExp, newId } from "../../db/ids";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../errors";
import type { DomainEventBus } from "../../events";
import { isBureau, isMemberOf, type Actor } from "./actor";
import type { AccountsModels, EnterpriseDoc, ProviderDoc, RegistrationClaimDoc } from "./model";
import { OrgStream, type OrgDoc, type OrgFields, type RegisteredType } from "./org-stream";
import { ProviderContacts } from "./provider-contacts";
import { CLAIM_IN_FLIGHT_MS, creditCodeKey, providerNameClaimKey, RegistrationClaims } from "./registration-claims";

export type { RegisteredType } from "./org-stream";

function presentReview(doc: OrgDoc) {
  return {
    id: doc._id,
    status: doc.status,
    round: doc.round ?? 1,
    ...(doc.reviewReason ? { reviewReason: doc.reviewReason } : {}),
    ...(doc.reviewedAt ? { reviewedAt: new Date(doc.reviewedAt).toISOString() } : {}),
    createdAt: doc.createdAt.toISOString(),
  };
}

export function presentEnterprise(doc: EnterpriseDoc): Enterprise {
  const { name, creditCode, county, industry, size, actualController } = doc;
  return { ...presentReview(doc), name, creditCode, county, industry, size, ...(actualController ? { actualController } : {}) };
}

export function presentProvider(doc: ProviderDoc): Provider {
  const { name, kind, county } = doc;
  return { ...presentReview(doc), name, kind, county };
}

/** Provider names compare without case, spaces, format characters or full-width/half-width differences. */
export const providerNameKey = nameKey;

type OrgDto = Enterprise | Provider;
type OrgBody = EnterpriseCreateBody | ProviderCreateBody;

function present(type: RegisteredType, doc: OrgDoc): OrgDto {
  return type === "enterprise" ? presentEnterprise(doc as EnterpriseDoc) : presentProvider(doc as ProviderDoc);
}

const TAKEN = { enterprise: "CREDIT_CODE_TAKEN", provider: "PROVIDER_NAME_TAKEN" } as const;
const LIVE: readonly OrgStatus[] = ["pending", "approved"];

export class OrganizationsService {
  private readonly claims: RegistrationClaims;
  /** Providers' addresses and contacts for delivering samples (provider-contacts.ts). */
  readonly contacts: ProviderContacts;
  private legacyIndexes?: Promise<void>;

  constructor(
    private readonly m: AccountsModels,
    private readonly events: EventModel,
    private readonly bus: DomainEventBus,
    readonly stream: OrgStream = new OrgStream(m, events),
  ) {
    this.claims = new RegistrationClaims(m.registrationClaims);
    this.contacts = new ProviderContacts(m.providerContacts, stream);
  }

  /** The stored fields of a registration body: names cleaned, the key names compare by. */
  private fields(type: RegisteredType, body: OrgBody): OrgFields {
    const name = cleanName(body.name);
    if (nameKey(name).length < 2) {
      // Made of format characters and spaces only (e.g. U+200B): nothing visible to register.
      throw new ValidationError([{ field: "/body/name", rule: "pattern", message: "must not be blank", params: { expected: "notBlank" } }]);
    }
    if (type === "provider") return { ...body, name, nameKey: nameKey(name) };
    const creditCode = (body as EnterpriseCreateBody).creditCode;
    if (!isValidCreditCode(creditCode)) {
      throw new ValidationError(
        [{ field: "/body/creditCode", rule: "checksum", message: "unified social credit code checksum" }],
        "INVALID_CREDIT_CODE",
      );
    }
    return { ...body, name };
  }

  private claimKey(type: RegisteredType, fields: OrgFields): string {
    return type === "enterprise" ? creditCodeKey(fields.creditCode as string) : providerNameClaimKey(fields.nameKey as string);
  }

  /** A claim holds its key while its organization is pending or approved in the claim's round. */
  private claimIsLive(type: RegisteredType) {
    return async (claim: RegistrationClaimDoc): Promise<boolean> => {
      const inFlight = Date.now() - claim.at.getTime() < CLAIM_IN_FLIGHT_MS;
      const org = await this.stream.load(type, claim.orgId);
      if (!org) return inFlight; // registering: the organization is written right after the claim
      const round = org.round ?? 1;
      if (round > claim.round) return false; // superseded by a later round's own claim
      if (round < claim.round) return inFlight; // resubmitting: the round's event comes next
      return LIVE.includes(org.status);
    };
  }

  /** Keys never claimed: held by a live organization registered before claims existed (or seeded). */
  private legacyHolder(type: RegisteredType, fields: OrgFields, self: string) {
    return async (): Promise<boolean> => {
      const filter = type === "enterprise" ? { creditCode: fields.creditCode } : { nameKey: fields.nameKey };
      const docs = await this.stream.model(type).find(filter).lean<OrgDoc[]>();
      const healed = await this.stream.healMany(type, docs.filter((d) => d._id !== self));
      return healed.some((d) => LIVE.includes(d.status));
    };
  }

  private async takeKey(type: RegisteredType, fields: OrgFields, orgId: string, round: number) {
    await (this.legacyIndexes ??= this.dropLegacyUniqueIndexes());
    const key = this.claimKey(type, fields);
    const claim = await this.claims.take(key, orgId, round, this.claimIsLive(type), this.legacyHolder(type, fields, orgId));
    if (!claim) throw new ConflictError(TAKEN[type]);
    return claim;
  }

  /** Databases made before claims have unique indexes on creditCode / nameKey; claims replace them. */
  private async dropLegacyUniqueIndexes(): Promise<void> {
    for (const [model, field] of [[this.m.enterprises, "creditCode"], [this.m.providers, "nameKey"]] as const) {
      const indexes = await model.collection.indexes().catch(() => []);
      for (const ix of indexes) {
        if (ix.unique && ix.name && Object.keys(ix.key).join() === field) await model.collection.dropIndex(ix.name).catch(() => undefined);
      }
    }
  }

  async createEnterprise(actor: Actor, body: EnterpriseCreateBody): Promise<Enterprise> {
    return (await this.register(actor, "enterprise", this.fields("enterprise", body))) as Enterprise;
  }

  async createProvider(actor: Actor, body: ProviderCreateBody): Promise<Provider> {
    return (await this.register(actor, "provider", this.fields("provider", body))) as Provider;
  }

  /**
   * Membership first (its `_id` is the user: one organization per user, decided by the insert),
   * then the claim on the credit code / name, then the organization. A loser undoes what it wrote;
   * if the process dies in between, the dangling membership and claim expire (see CLAIM_IN_FLIGHT_MS).
   */
  private async register(actor: Actor, type: RegisteredType, fields: OrgFields): Promise<OrgDto> {
    const orgId = newId();
    const now = new Date();
    try {
      await this.m.memberships.create({ _id: actor.userId, orgType: type, orgId, role: MEMBER_ROLES[type].admin, joinedAt: now });
    } catch (err) {
      if (isDuplicateKeyError(err)) throw new ConflictError("ALREADY_MEMBER");
      throw err;
    }
    let claim: { id: string; created: boolean } | undefined;
    try {
      claim = await this.takeKey(type, fields, orgId, 1);
      const doc = { _id: orgId, ...fields, status: "pending" as const, version: 1, round: 1, createdBy: actor.userId, createdAt: now };
      await this.stream.model(type).create(doc);
      await appendEvent(this.events, { aggregateId: orgId, seq: 1, type: "registered", data: { type, ...fields }, actorId: actor.userId });
      this.bus.emit("membership.created", { userId: actor.userId, orgId, orgType: type, role: MEMBER_ROLES[type].admin });
      return present(type, doc as unknown as OrgDoc);
    } catch (err) {
      await this.m.memberships.deleteOne({ _id: actor.userId });
      if (claim?.created) await this.claims.giveBack(claim.id);
      throw err;
    }
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
    const model = this.stream.model(type);
    const [total, items] = await Promise.all([
      model.countDocuments(filter),
      model.find(filter).sort({ createdAt: -1, _id: -1 }).skip((page - 1) * pageSize).limit(pageSize).lean<OrgDoc[]>(),
    ]);
    const healed = await this.stream.healMany(type, items);
    return { items: healed.map((doc) => present(type, doc)), total, page, pageSize };
  }

  /** The bureau and the organization's own members see everything; others only approved providers. */
  async get(actor: Actor | null, type: RegisteredType, id: string): Promise<OrgDto> {
    const doc = await this.stream.load(type, id);
    const publicProvider = type === "provider" && doc?.status === "approved";
    // An organization invisible to the caller answers 404, not 403: its existence is not disclosed.
    if (!doc || !(publicProvider || isBureau(actor) || isMemberOf(actor, id))) throw new NotFoundError();
    return present(type, doc);
  }

  /**
   * Appends the next event of the organization's stream if `allowed` holds for its current state;
   * of racing decisions (two reviewers, a resubmission and a revocation) exactly one gets in.
   */
  private async decide(
    type: RegisteredType,
    id: string,
    allowed: (doc: OrgDoc) => void,
    event: (doc: OrgDoc) => { type: string; data: Record<string, unknown> },
    actor: Actor,
    onLost: (doc: OrgDoc | null) => never,
  ): Promise<OrgDoc> {
    const doc = await this.stream.load(type, id);
    if (!doc) throw new NotFoundError();
    allowed(doc);
    const e = event(doc);
    const seq = doc.version + 1;
    if (!(await appendEvent(this.events, { aggregateId: id, seq, ...e, actorId: actor.userId }))) {
      onLost(await this.stream.load(type, id));
    }
    return this.stream.heal(type, doc);
  }

  /** One decision per round: the review is the next event after the round's submission. */
  async review(actor: Actor, type: RegisteredType, id: string, body: ReviewBody): Promise<OrgDto> {
    const reason = body.reason?.trim();
    if (body.decision === "reject" && !reason) {
      throw new ValidationError([{ field: "/body/reason", rule: "required", message: "reason is required to reject" }]);
    }
    const status: OrgStatus = body.decision === "approve" ? "approved" : "rejected";
    const reviewed = await this.decide(
      type, id,
      (doc) => { if (doc.status !== "pending") throw new ConflictError("ALREADY_REVIEWED", { status: doc.status }); },
      () => ({ type: "reviewed", data: { status, ...(reason ? { reason } : {}) } }),
      actor,
      (now) => { throw new ConflictError("ALREADY_REVIEWED", { status: now?.status ?? "unknown" }); },
    );
    this.bus.emit("organization.reviewed", { organizationId: id, type, status });
    return present(type, reviewed);
  }

  /**
   * A rejected registration, corrected by its admin, goes back to the bureau as the next round. The
   * (possibly new) credit code or name is claimed for that round first, so a code given up while
   * rejected can have been taken by the real company meanwhile (409 *_TAKEN).
   */
  async resubmit(actor: Actor, type: RegisteredType, id: string, body: OrgBody): Promise<OrgDto> {
    if (!isMemberOf(actor, id) || actor.membership?.orgType !== type) throw new NotFoundError();
    if (actor.membership.role !== MEMBER_ROLES[type].admin) throw new ForbiddenError();
    const fields = this.fields(type, body);
    const current = await this.stream.load(type, id);
    if (!current) throw new NotFoundError();
    if (current.status !== "rejected") throw new ConflictError("REGISTRATION_NOT_REJECTED", { status: current.status });
    const round = (current.round ?? 1) + 1;
    const claim = await this.takeKey(type, fields, id, round);
    try {
      const doc = await this.decide(
        type, id,
        (doc) => { if (doc.status !== "rejected") throw new ConflictError("REGISTRATION_NOT_REJECTED", { status: doc.status }); },
        () => ({ type: "resubmitted", data: { round, fields } }),
        actor,
        (now) => { throw new ConflictError("REGISTRATION_NOT_REJECTED", { status: now?.status ?? "unknown" }); },
      );
      return present(type, doc);
    } catch (err) {
      // Give the claim back unless this round happened after all (a concurrent resubmission of ours).
      const now = await this.stream.load(type, id);
      if (claim.created && (now?.round ?? 1) !== round) await this.claims.giveBack(claim.id);
      throw err;
    }
  }

  /** The bureau closes a registration for good (any state but revoked); its code or name is free again. */
  async revoke(actor: Actor, type: RegisteredType, id: string, body: RevokeBody): Promise<OrgDto> {
    const reason = body.reason.trim();
    if (!reason) throw new ValidationError([{ field: "/body/reason", rule: "required", message: "a reason is required" }]);
    const revoked = await this.decide(
      type, id,
      (doc) => { if (doc.status === "revoked") throw new ConflictError("REGISTRATION_REVOKED"); },
      () => ({ type: "revoked", data: { status: "revoked", reason } }),
      actor,
      // Lost to a concurrent decision (a review, a resubmission): the bureau looks again.
      (now) => { throw new ConflictError(now?.status === "revoked" ? "REGISTRATION_REVOKED" : "CONFLICT"); },
    );
    this.bus.emit("organization.reviewed", { organizationId: id, type, status: "revoked" });
    return present(type, revoked);
  }
}
