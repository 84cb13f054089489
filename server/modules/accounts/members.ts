// Organization members and invitations. An admin invites by email; the invitee accepts with the
// secret link before it expires. The link is single-use: its fate is event #1 of the invitation,
// "accepted" or "revoked" (one winner). Removing a member is an event of the organization's member
// stream, so two admins removing each other cannot leave the organization without an admin.
import { MEMBER_ROLES } from "../../../shared/enums";
import type { Invitation, InvitationCreateBody, InvitationSummary, Member } from "../../../shared/schemas/accounts";
import { CoalescedReads } from "../../db/coalesced-reads";
import { appendEvent, eventId, type EventModel, type StoredEvent } from "../../db/event-store";
import { isDuplicateKeyError } from "../../db/errors";
import { newSecret, secretHash } from "../../db/ids";
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from "../../errors";
import type { DomainEventBus } from "../../events";
import type { Actor } from "./actor";
import type { AccountsModels, InvitationDoc, MembershipDoc, UserDoc } from "./model";
import { normalizeEmail, type AccountsService } from "./service";

export interface MembersOptions {
  /** How long an invitation link stays usable. */
  invitationDays: number;
}

type InvitationState = InvitationSummary["state"];

/** A removal that keeps losing the race to other removals gives up after this many tries. */
const REMOVE_ATTEMPTS = 8;

const memberStream = (orgId: string) => `members:${orgId}`;

export class MembersService {
  constructor(
    private readonly m: AccountsModels,
    private readonly events: EventModel,
    private readonly bus: DomainEventBus,
    private readonly accounts: AccountsService,
    private readonly options: MembersOptions = { invitationDays: 7 },
  ) {}

  private requireMembership(actor: Actor) {
    if (!actor.membership) throw new ForbiddenError();
    return actor.membership;
  }

  async list(actor: Actor): Promise<{ items: Member[] }> {
    const { orgId } = this.requireMembership(actor);
    await this.applyLastRemoval(orgId);
    const memberships = await this.m.memberships.find({ orgId }).sort({ joinedAt: 1, _id: 1 }).lean();
    const users = await this.m.users.find({ _id: { $in: memberships.map((x) => x._id) } }).lean<UserDoc[]>();
    const byId = new Map(users.map((u) => [u._id, u]));
    const items = memberships.flatMap((x) => {
      const u = byId.get(x._id);
      return u ? [{ userId: u._id, email: u.email, name: u.name, role: x.role, joinedAt: x.joinedAt.toISOString() }] : [];
    });
    return { items };
  }

  // ---- invitations ------------------------------------------------------------------------------

  private expiresAt(doc: InvitationDoc): Date {
    return doc.expiresAt ?? new Date(doc.createdAt.getTime() + this.options.invitationDays * 86_400_000);
  }

  /** The invitation's state from its event #1 (the projection may be behind it) and the clock. */
  private state(doc: InvitationDoc, first: StoredEvent | null | undefined): InvitationState {
    if (first?.type === "accepted") return "accepted";
    if (first?.type === "revoked") return "revoked";
    return this.expiresAt(doc).getTime() <= Date.now() ? "expired" : "pending";
  }

  /** The user ids of an organization's members (who its notifications go to). A scan of memberships, see docs/database.md. */
  /** The organization's members' user ids. A scan of memberships, so concurrent asks share one (coalesced-reads.ts). */
  async memberIds(orgId: string): Promise<string[]> {
    return [...(await this.memberReads.read(orgId, orgId))];
  }
  private readonly memberReads = new CoalescedReads<string, string[]>(async (orgId) =>
    (await this.m.memberships.find({ orgId }, { _id: 1 }).lean()).map((x) => x._id),
  );

  async invite(actor: Actor, body: InvitationCreateBody): Promise<Invitation> {
    const { orgType, orgId } = this.requireMembership(actor);
    const allowed = Object.values(MEMBER_ROLES[orgType]);
    if (!allowed.includes(body.role)) {
      throw new ValidationError([{ field: "/body/role", rule: "enum", message: `one of ${allowed.join(", ")}`, params: { allowed: allowed.join(", ") } }]);
    }
    const token = newSecret();
    const createdAt = new Date();
    const doc: InvitationDoc = {
      _id: secretHash(token),
      orgType,
      orgId,
      role: body.role,
      email: normalizeEmail(body.email),
      createdBy: actor.userId,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + this.options.invitationDays * 86_400_000),
    };
    await this.m.invitations.create(doc);
    return this.present(doc, token, null);
  }

  private async present(doc: InvitationDoc, token: string, first: StoredEvent | null): Promise<Invitation> {
    const organization = await this.accounts.organizationSummary(doc.orgType, doc.orgId);
    if (!organization) throw new NotFoundError();
    const state = this.state(doc, first);
    return {
      token,
      email: doc.email,
      role: doc.role,
      organization,
      state,
      createdAt: doc.createdAt.toISOString(),
      expiresAt: this.expiresAt(doc).toISOString(),
      ...(state === "accepted" ? { acceptedAt: (doc.acceptedAt ?? first!.at).toISOString() } : {}),
    };
  }

  private firstEvent(id: string): Promise<StoredEvent | null> {
    return this.events.findById(eventId(id, 1)).lean<StoredEvent>();
  }

  async get(token: string): Promise<Invitation> {
    const doc = await this.m.invitations.findById(secretHash(token)).lean<InvitationDoc>();
    if (!doc) throw new NotFoundError();
    return this.present(doc, token, await this.firstEvent(doc._id));
  }

  /** The organization's invitations, newest first, with their state (one batched event look-up). */
  async listInvitations(actor: Actor): Promise<{ items: InvitationSummary[] }> {
    const { orgId } = this.requireMembership(actor);
    const docs = await this.m.invitations.find({ orgId }).sort({ createdAt: -1, _id: 1 }).limit(200).lean<InvitationDoc[]>();
    const firsts = await this.events.find({ _id: { $in: docs.map((d) => eventId(d._id, 1)) } }).lean<StoredEvent[]>();
    const byId = new Map(firsts.map((e) => [e.aggregateId, e]));
    const items = docs.map((doc): InvitationSummary => {
      const first = byId.get(doc._id);
      const state = this.state(doc, first);
      return {
        id: doc._id,
        email: doc.email,
        role: doc.role,
        state,
        createdAt: doc.createdAt.toISOString(),
        expiresAt: this.expiresAt(doc).toISOString(),
        ...(state === "accepted" ? { acceptedAt: (doc.acceptedAt ?? first!.at).toISOString() } : {}),
        ...(state === "revoked" ? { revokedAt: (doc.revokedAt ?? first!.at).toISOString() } : {}),
      };
    });
    return { items };
  }

  /** An admin withdraws a pending invitation; racing an acceptance, exactly one of the two wins. */
  async revokeInvitation(actor: Actor, id: string): Promise<InvitationSummary> {
    const { orgId } = this.requireMembership(actor);
    const doc = await this.m.invitations.findById(id).lean<InvitationDoc>();
    if (!doc || doc.orgId !== orgId) throw new NotFoundError();
    const won = await appendEvent(this.events, { aggregateId: doc._id, seq: 1, type: "revoked", data: {}, actorId: actor.userId });
    if (!won) throw this.usedError(await this.firstEvent(doc._id));
    const now = new Date();
    await this.m.invitations.updateOne({ _id: doc._id }, { $set: { revokedBy: actor.userId, revokedAt: now } });
    return (await this.listInvitations(actor)).items.find((x) => x.id === doc._id)!;
  }

  private usedError(first: StoredEvent | null): DomainError {
    return first?.type === "revoked" ? new DomainError("INVITATION_REVOKED") : new ConflictError("INVITATION_USED");
  }

  async accept(actor: Actor, token: string): Promise<void> {
    const doc = await this.m.invitations.findById(secretHash(token)).lean<InvitationDoc>();
    if (!doc) throw new NotFoundError();
    if (doc.email !== normalizeEmail(actor.email)) throw new ForbiddenError("INVITATION_EMAIL_MISMATCH");
    const first = await this.firstEvent(doc._id);
    if (first) throw this.usedError(first);
    if (this.state(doc, null) === "expired") throw new DomainError("INVITATION_EXPIRED");
    if (await this.accounts.liveMembership(actor.userId)) throw new ConflictError("ALREADY_MEMBER");
    const claimed = await appendEvent(this.events, { aggregateId: doc._id, seq: 1, type: "accepted", data: {}, actorId: actor.userId });
    if (!claimed) throw this.usedError(await this.firstEvent(doc._id));
    const now = new Date();
    try {
      await this.m.memberships.create({ _id: actor.userId, orgType: doc.orgType, orgId: doc.orgId, role: doc.role, joinedAt: now });
    } catch (err) {
      // Joined another organization meanwhile: give the invitation back.
      await this.events.deleteOne({ _id: eventId(doc._id, 1) });
      if (isDuplicateKeyError(err)) throw new ConflictError("ALREADY_MEMBER");
      throw err;
    }
    await this.m.invitations.updateOne({ _id: doc._id }, { $set: { acceptedBy: actor.userId, acceptedAt: now } });
    this.bus.emit("membership.created", { userId: actor.userId, orgId: doc.orgId, orgType: doc.orgType, role: doc.role });
  }

  // ---- removing members -------------------------------------------------------------------------

  private async lastRemoval(orgId: string): Promise<StoredEvent | null> {
    return this.events.findOne({ aggregateId: memberStream(orgId) }).sort({ seq: -1 }).lean<StoredEvent>();
  }

  /**
   * Applies the newest removal of the organization's member stream (idempotent): a removal whose
   * writer died before deleting the membership takes effect on the next read. A member who was
   * removed and has joined again since keeps the new membership.
   */
  private async applyLastRemoval(orgId: string, last?: StoredEvent | null): Promise<number> {
    const e = last === undefined ? await this.lastRemoval(orgId) : last;
    if (!e) return 0;
    const userId = (e.data as { userId: string }).userId;
    const membership = await this.m.memberships.findById(userId).lean<MembershipDoc>();
    if (membership?.orgId === orgId && membership.joinedAt.getTime() <= e.at.getTime()) {
      await this.m.memberships.deleteOne({ _id: userId });
      await this.accounts.endSessionsOf(userId);
    }
    return e.seq;
  }

  /**
   * An admin removes a member: the membership goes, the member's sessions end and their sockets are
   * disconnected. The last admin cannot be removed. Each removal is the next event of the member
   * stream, decided after applying the previous one, so concurrent removals are serialized.
   */
  async remove(actor: Actor, userId: string): Promise<void> {
    const { orgId, orgType } = this.requireMembership(actor);
    const adminRole = MEMBER_ROLES[orgType].admin;
    for (let attempt = 0; attempt < REMOVE_ATTEMPTS; attempt++) {
      const seq = await this.applyLastRemoval(orgId);
      const members = await this.m.memberships.find({ orgId }).lean<MembershipDoc[]>();
      const target = members.find((x) => x._id === userId);
      if (!target) throw new NotFoundError();
      if (target.role === adminRole && !members.some((x) => x._id !== userId && x.role === adminRole)) {
        throw new ConflictError("LAST_ADMIN");
      }
      const data = { userId, role: target.role };
      if (await appendEvent(this.events, { aggregateId: memberStream(orgId), seq: seq + 1, type: "member.removed", data, actorId: actor.userId })) {
        await this.applyLastRemoval(orgId, await this.events.findById(eventId(memberStream(orgId), seq + 1)).lean<StoredEvent>());
        return;
      }
    }
    throw new ConflictError("CONFLICT");
  }
}
