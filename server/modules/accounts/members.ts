// Organization members and invitations. An admin invites by email; the invitee accepts with the
// secret link. The link is single-use: acceptance is event #1 of the invitation (one winner).
import { MEMBER_ROLES } from "../../../shared/enums";
import type { Invitation, InvitationCreateBody, Member } from "../../../shared/schemas/accounts";
import { appendEvent, eventId, type EventModel } from "../../db/event-store";
import { isDuplicateKeyError } from "../../db/errors";
import { newSecret, secretHash } from "../../db/ids";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../errors";
import type { DomainEventBus } from "../../events";
import type { Actor } from "./actor";
import type { AccountsModels, InvitationDoc, UserDoc } from "./model";
import { normalizeEmail, type AccountsService } from "./service";

export class MembersService {
  constructor(
    private readonly m: AccountsModels,
    private readonly events: EventModel,
    private readonly bus: DomainEventBus,
    private readonly accounts: AccountsService,
  ) {}

  private requireMembership(actor: Actor) {
    if (!actor.membership) throw new ForbiddenError();
    return actor.membership;
  }

  async list(actor: Actor): Promise<{ items: Member[] }> {
    const { orgId } = this.requireMembership(actor);
    const memberships = await this.m.memberships.find({ orgId }).sort({ joinedAt: 1, _id: 1 }).lean();
    const users = await this.m.users.find({ _id: { $in: memberships.map((x) => x._id) } }).lean<UserDoc[]>();
    const byId = new Map(users.map((u) => [u._id, u]));
    const items = memberships.flatMap((x) => {
      const u = byId.get(x._id);
      return u ? [{ userId: u._id, email: u.email, name: u.name, role: x.role, joinedAt: x.joinedAt.toISOString() }] : [];
    });
    return { items };
  }

  async invite(actor: Actor, body: InvitationCreateBody): Promise<Invitation> {
    const { orgType, orgId } = this.requireMembership(actor);
    const allowed = Object.values(MEMBER_ROLES[orgType]);
    if (!allowed.includes(body.role)) {
      throw new ValidationError([{ field: "/body/role", rule: "enum", message: `one of ${allowed.join(", ")}`, params: { allowed: allowed.join(", ") } }]);
    }
    const token = newSecret();
    const doc: InvitationDoc = {
      _id: secretHash(token),
      orgType,
      orgId,
      role: body.role,
      email: normalizeEmail(body.email),
      createdBy: actor.userId,
      createdAt: new Date(),
    };
    await this.m.invitations.create(doc);
    return this.present(doc, token);
  }

  private async present(doc: InvitationDoc, token: string): Promise<Invitation> {
    const organization = await this.accounts.organizationSummary(doc.orgType, doc.orgId);
    if (!organization) throw new NotFoundError();
    return {
      token,
      email: doc.email,
      role: doc.role,
      organization,
      createdAt: doc.createdAt.toISOString(),
      ...(doc.acceptedAt ? { acceptedAt: doc.acceptedAt.toISOString() } : {}),
    };
  }

  async get(token: string): Promise<Invitation> {
    const doc = await this.m.invitations.findById(secretHash(token)).lean<InvitationDoc>();
    if (!doc) throw new NotFoundError();
    return this.present(doc, token);
  }

  async accept(actor: Actor, token: string): Promise<void> {
    const doc = await this.m.invitations.findById(secretHash(token)).lean<InvitationDoc>();
    if (!doc) throw new NotFoundError();
    if (doc.email !== normalizeEmail(actor.email)) throw new ForbiddenError("INVITATION_EMAIL_MISMATCH");
    if (doc.acceptedAt) throw new ConflictError("INVITATION_USED");
    if (await this.accounts.liveMembership(actor.userId)) throw new ConflictError("ALREADY_MEMBER");
    const claimed = await appendEvent(this.events, {
      aggregateId: doc._id,
      seq: 1,
      type: "accepted",
      data: {},
      actorId: actor.userId,
    });
    if (!claimed) throw new ConflictError("INVITATION_USED");
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
}
