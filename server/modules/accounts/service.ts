// Users, sessions and the resolution of a token into an Actor. No HTTP in here.
import type { Locale } from "../../../shared/enums";
import type { Me, OrganizationSummary, RegisterBody, UpdateMeBody, User } from "../../../shared/schemas/accounts";
import { isDuplicateKeyError } from "../../db/errors";
import { readById } from "../../db/batched-reads";
import { deleteMatching } from "../../db/by-ids";
import { newId, newSecret, secretHash } from "../../db/ids";
import { ConflictError, NotFoundError, UnauthenticatedError } from "../../errors";
import type { DomainEventBus } from "../../events";
import type { Actor } from "./actor";
import type { AccountsModels, MembershipDoc, SessionDoc, UserDoc } from "./model";
import type { OrgStream } from "./org-stream";
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from "./passwords";
import { assertPasswordAcceptable } from "./password-policy";

export const BUREAU_ORG_ID = "bureau";
const BUREAU_NAME = "市科学技术局";
/** A membership whose organization never got written (a crash in between) is dropped after this. */
const DANGLING_MEMBERSHIP_MS = 60_000;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function presentUser(u: UserDoc): User {
  return { id: u._id, email: u.email, name: u.name, locale: u.locale, createdAt: u.createdAt.toISOString() };
}

export interface AccountsOptions {
  sessionDays: number;
}

/**
 * LABSHARE_ADMIN_EMAIL names an account that exists and is not in the bureau: promoting it would
 * hand the bureau to whoever registered that email first. Start-up stops instead.
 */
export class BootstrapAdminError extends Error {}

export class AccountsService {
  constructor(
    private readonly m: AccountsModels,
    private readonly options: AccountsOptions,
    private readonly bus?: DomainEventBus,
    /** Organization reads heal projections that are behind their event stream. */
    private readonly orgs?: OrgStream,
  ) {}

  async register(body: RegisterBody): Promise<{ token: string; user: User }> {
    assertPasswordAcceptable(body.password, normalizeEmail(body.email));
    const user: UserDoc = {
      _id: newId(),
      email: normalizeEmail(body.email),
      passwordHash: await hashPassword(body.password),
      name: body.name.trim(),
      locale: body.locale ?? "zh-CN",
      createdAt: new Date(),
    };
    try {
      await this.m.users.create(user);
    } catch (err) {
      if (isDuplicateKeyError(err)) throw new ConflictError("EMAIL_TAKEN");
      throw err;
    }
    return { token: await this.openSession(user._id), user: presentUser(user) };
  }

  async login(email: string, password: string): Promise<{ token: string; user: User }> {
    const user = await this.m.users.findOne({ email: normalizeEmail(email) }).lean<UserDoc>();
    const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    if (!user || !ok) throw new UnauthenticatedError("INVALID_CREDENTIALS");
    return { token: await this.openSession(user._id), user: presentUser(user) };
  }

  async logout(token: string): Promise<void> {
    const sessionId = secretHash(token);
    await this.m.sessions.deleteOne({ _id: sessionId });
    this.bus?.emit("session.ended", { sessionId });
  }

  /** Ends every session of a user (removed from their organization): their sockets disconnect too. */
  async endSessionsOf(userId: string): Promise<number> {
    const sessions = await this.m.sessions.find({ userId }, { _id: 1 }).lean();
    for (const { _id } of sessions) {
      await this.m.sessions.deleteOne({ _id });
      this.bus?.emit("session.ended", { sessionId: _id });
    }
    return sessions.length;
  }

  private async openSession(userId: string): Promise<string> {
    const token = newSecret();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.options.sessionDays * 86_400_000);
    await this.m.sessions.create({ _id: secretHash(token), userId, createdAt: now, expiresAt });
    return token;
  }

  /** Three lookups by `_id` (session, user, membership): cheap on every backend. */
  async actorForToken(token: string): Promise<Actor | null> {
    if (token.length > 200) return null;
    const session = await readById<SessionDoc>(this.m.sessions, secretHash(token));
    if (!session) return null;
    if (session.expiresAt.getTime() <= Date.now()) {
      await this.m.sessions.deleteOne({ _id: session._id });
      return null;
    }
    const [user, membership] = await Promise.all([
      readById<UserDoc>(this.m.users, session.userId),
      readById<MembershipDoc>(this.m.memberships, session.userId),
    ]);
    if (!user) return null;
    return {
      userId: user._id,
      sessionId: session._id,
      email: user.email,
      name: user.name,
      membership: membership ? { orgType: membership.orgType, orgId: membership.orgId, role: membership.role } : null,
    };
  }

  /**
   * The actor a user would be with their live membership, and their language: for requests that
   * carry no session but a secret naming the user (calendar feeds). Null for an unknown user.
   */
  async actorOf(userId: string): Promise<{ actor: Actor; locale: UserDoc["locale"] } | null> {
    const [user, membership] = await Promise.all([this.m.users.findById(userId).lean<UserDoc>(), this.liveMembership(userId)]);
    if (!user) return null;
    const actor: Actor = {
      userId: user._id,
      email: user.email,
      name: user.name,
      membership: membership ? { orgType: membership.orgType, orgId: membership.orgId, role: membership.role } : null,
    };
    return { actor, locale: user.locale ?? "zh-CN" };
  }

  async me(actor: Actor): Promise<Me> {
    const user = await this.m.users.findById(actor.userId).lean<UserDoc>();
    if (!user) throw new UnauthenticatedError();
    const membership = await this.liveMembership(actor.userId);
    const organization = membership ? await this.organizationSummary(membership.orgType, membership.orgId) : null;
    return { user: presentUser(user), organization, roles: organization && membership ? [membership.role] : [] };
  }

  async updateMe(actor: Actor, body: UpdateMeBody): Promise<User> {
    const set: Partial<UserDoc> = {};
    if (body.name !== undefined) set.name = body.name.trim();
    if (body.locale !== undefined) set.locale = body.locale as Locale;
    const user = await this.m.users
      .findByIdAndUpdate(actor.userId, { $set: set }, { returnDocument: "after" })
      .lean<UserDoc>();
    if (!user) throw new NotFoundError();
    return presentUser(user);
  }

  async organizationSummary(orgType: MembershipDoc["orgType"], orgId: string): Promise<OrganizationSummary | null> {
    if (orgType === "bureau") return { id: BUREAU_ORG_ID, type: "bureau", name: BUREAU_NAME, status: "approved" };
    const org = this.orgs
      ? await this.orgs.load(orgType, orgId)
      : await ((orgType === "enterprise" ? this.m.enterprises : this.m.providers) as typeof this.m.providers).findById(orgId).lean();
    return org ? { id: org._id, type: orgType, name: org.name, status: org.status } : null;
  }

  /**
   * The user's membership, if its organization exists. Joining writes the membership first and
   * the organization second; a crash between leaves a dangling membership, dropped here once old.
   */
  async liveMembership(userId: string): Promise<MembershipDoc | null> {
    const membership = await this.m.memberships.findById(userId).lean<MembershipDoc>();
    if (!membership || membership.orgType === "bureau") return membership;
    if (await this.organizationSummary(membership.orgType, membership.orgId)) return membership;
    if (Date.now() - membership.joinedAt.getTime() > DANGLING_MEMBERSHIP_MS) {
      await this.m.memberships.deleteOne({ _id: userId, orgId: membership.orgId });
    }
    return null;
  }

  /**
   * Creates the configured bureau administrator if missing (idempotent; safe on every start). An
   * existing account is used only if it already is the bureau's: an enterprise's or provider's
   * member, or a plain user, is never promoted (BootstrapAdminError).
   */
  async ensureBureauAdmin(email: string, password: string): Promise<"created" | "exists"> {
    const normalized = normalizeEmail(email);
    const user = await this.m.users.findOne({ email: normalized }).lean<UserDoc>();
    if (user) {
      const membership = await this.m.memberships.findById(user._id).lean<MembershipDoc>();
      if (membership?.orgType !== "bureau") {
        const what = membership ? `a member of ${membership.orgType} ${membership.orgId}` : "an ordinary user account";
        throw new BootstrapAdminError(
          `LABSHARE_ADMIN_EMAIL=${normalized} is ${what}, not a bureau account; it is not promoted. ` +
            `Use another email for the bureau administrator.`,
        );
      }
      return "exists";
    }
    // The bureau membership is written before the user, so an existing user without it is never
    // our own half-made admin (a crash in between leaves only an unused membership).
    const id = newId();
    await this.m.memberships.create({ _id: id, orgType: "bureau", orgId: BUREAU_ORG_ID, role: "bureau_admin", joinedAt: new Date() });
    try {
      await this.m.users.create({
        _id: id,
        email: normalized,
        passwordHash: await hashPassword(password),
        name: "管理员 Administrator",
        locale: "zh-CN",
        createdAt: new Date(),
      });
    } catch (err) {
      await this.m.memberships.deleteOne({ _id: id });
      if (!isDuplicateKeyError(err)) throw err;
      return this.ensureBureauAdmin(email, password); // another process created it first
    }
    return "created";
  }

  /** Periodic clean-up: expired sessions and dangling memberships. */
  async sweep(now = new Date()): Promise<{ sessions: number; memberships: number }> {
    const deletedCount = await deleteMatching(this.m.sessions, { expiresAt: { $lte: now } });
    let memberships = 0;
    const cutoff = new Date(now.getTime() - DANGLING_MEMBERSHIP_MS);
    for (const m of await this.m.memberships.find({ orgType: { $ne: "bureau" }, joinedAt: { $lte: cutoff } }).lean()) {
      if (!(await this.organizationSummary(m.orgType, m.orgId))) {
        memberships += (await this.m.memberships.deleteOne({ _id: m._id, orgId: m.orgId })).deletedCount;
      }
    }
    return { sessions: deletedCount, memberships };
  }
}
