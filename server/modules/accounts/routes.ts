// HTTP adapter for accounts: parse (schemas), authorize (access), call the service, present.
import { ipKeyGenerator } from "express-rate-limit";
import { Ok, IdParams } from "../../../shared/schemas/common";
import * as S from "../../../shared/schemas/accounts";
import { clearSessionCookie, requestToken, setSessionCookie } from "../../http/auth";
import { limiter, type RedisCommand } from "../../http/rate-limit";
import { route, type RouteSpec } from "../../http/route";
import type { Actor } from "./actor";
import type { MembersService } from "./members";
import type { OrganizationsService } from "./organizations";
import type { AccountsService } from "./service";

export interface AccountsRouteDeps {
  accounts: AccountsService;
  organizations: OrganizationsService;
  members: MembersService;
  cookieSecure: boolean;
  sessionDays: number;
  loginAttemptsPer15Min: number;
  registrationsPerIpPerHour: number;
  /** With REDIS_URL: the limiters count in Redis, shared by every process. */
  redis?: RedisCommand;
}

const BUREAU = ["bureau_admin", "bureau_reviewer"] as const;
const ORG_ADMINS = ["enterprise_admin", "provider_admin", "bureau_admin"] as const;
const CORRECT = "Correct a rejected registration and send it back to the bureau (the next review round)";
const REVOKE = "Revoke a registration with a reason (closed for good; its credit code or name is released)";

export function accountsRoutes(d: AccountsRouteDeps): RouteSpec[] {
  // Failed logins per (address, email) in a 15-minute window; a success does not count.
  const loginLimiter = limiter({
    name: "login", windowMs: 15 * 60_000, limit: d.loginAttemptsPer15Min, code: "RATE_LIMITED", skipSuccessfulRequests: true, redis: d.redis,
    key: (req) => `${ipKeyGenerator(req.ip ?? "")}|${String(req.body?.email ?? "").toLowerCase()}`,
  });
  // Accounts created per address in an hour: a script cannot mint accounts (or probe emails) in bulk.
  const registrationLimiter = limiter({
    name: "register", windowMs: 60 * 60_000, limit: d.registrationsPerIpPerHour, code: "REGISTRATION_RATE_LIMITED", redis: d.redis,
    key: (req) => ipKeyGenerator(req.ip ?? ""),
  });

  const startSession = (res: Parameters<typeof setSessionCookie>[0], token: string) =>
    setSessionCookie(res, token, d.cookieSecure, d.sessionDays);

  return [
    route({
      method: "post", path: "/api/auth/register", tag: "auth", access: "public", status: 201,
      summary: "Create a user account and log in (rate-limited per address; common and trivial passwords refused)",
      body: S.RegisterBody, response: S.Session, errors: ["EMAIL_TAKEN", "PASSWORD_TOO_WEAK", "REGISTRATION_RATE_LIMITED"],
      before: [registrationLimiter],
      handler: async ({ body, res }) => {
        const session = await d.accounts.register(body);
        startSession(res, session.token);
        return session;
      },
    }),
    route({
      method: "post", path: "/api/auth/login", tag: "auth", access: "public",
      summary: "Log in with email and password (rate-limited)",
      body: S.LoginBody, response: S.Session, errors: ["INVALID_CREDENTIALS", "RATE_LIMITED"],
      before: [loginLimiter],
      handler: async ({ body, res }) => {
        const session = await d.accounts.login(body.email, body.password);
        startSession(res, session.token);
        return session;
      },
    }),
    route({
      method: "post", path: "/api/auth/logout", tag: "auth", access: "public",
      summary: "End the current session",
      response: Ok,
      handler: async ({ req, res }) => {
        const token = requestToken(req);
        if (token) await d.accounts.logout(token);
        clearSessionCookie(res, d.cookieSecure);
        return { ok: true };
      },
    }),
    route({
      method: "get", path: "/api/me", tag: "accounts", access: "user",
      summary: "The current user, their organization and roles",
      response: S.Me,
      handler: async ({ actor }) => d.accounts.me(actor!),
    }),
    route({
      method: "patch", path: "/api/me", tag: "accounts", access: "user",
      summary: "Change my name or language",
      body: S.UpdateMeBody, response: S.User,
      handler: async ({ actor, body }) => d.accounts.updateMe(actor!, body),
    }),

    route({
      method: "post", path: "/api/enterprises", tag: "organizations", access: "user", status: 201,
      summary: "Register an enterprise; the caller becomes its admin; pending until the bureau reviews it",
      body: S.EnterpriseCreateBody, response: S.Enterprise,
      errors: ["INVALID_CREDIT_CODE", "CREDIT_CODE_TAKEN", "ALREADY_MEMBER"],
      handler: async ({ actor, body }) => d.organizations.createEnterprise(actor!, body),
    }),
    route({
      method: "get", path: "/api/enterprises", tag: "organizations", access: BUREAU,
      summary: "List enterprises (bureau)",
      query: S.OrgListQuery, response: S.EnterprisePage,
      handler: async ({ actor, query }) => d.organizations.list(actor, "enterprise", query),
    }),
    route({
      method: "get", path: "/api/enterprises/:id", tag: "organizations", access: "user",
      summary: "One enterprise (the bureau, or the enterprise's own members)",
      params: IdParams, response: S.Enterprise, errors: ["NOT_FOUND"],
      handler: async ({ actor, params }) => d.organizations.get(actor, "enterprise", params.id),
    }),
    route({
      method: "post", path: "/api/enterprises/:id/review", tag: "organizations", access: BUREAU,
      summary: "Approve (into the tech-SME registry) or reject an enterprise registration",
      params: IdParams, body: S.ReviewBody, response: S.Enterprise, errors: ["NOT_FOUND", "ALREADY_REVIEWED"],
      handler: async ({ actor, params, body }) => d.organizations.review(actor!, "enterprise", params.id, body),
    }),
    route({
      method: "post", path: "/api/enterprises/:id/resubmit", tag: "organizations", access: ["enterprise_admin"],
      summary: CORRECT,
      params: IdParams, body: S.EnterpriseCreateBody, response: S.Enterprise,
      errors: ["NOT_FOUND", "INVALID_CREDIT_CODE", "CREDIT_CODE_TAKEN", "REGISTRATION_NOT_REJECTED"],
      handler: async ({ actor, params, body }) => d.organizations.resubmit(actor!, "enterprise", params.id, body),
    }),
    route({
      method: "post", path: "/api/enterprises/:id/revoke", tag: "organizations", access: BUREAU,
      summary: REVOKE,
      params: IdParams, body: S.RevokeBody, response: S.Enterprise, errors: ["NOT_FOUND", "REGISTRATION_REVOKED", "CONFLICT"],
      handler: async ({ actor, params, body }) => d.organizations.revoke(actor!, "enterprise", params.id, body),
    }),

    route({
      method: "post", path: "/api/providers", tag: "organizations", access: "user", status: 201,
      summary: "Register a service provider; the caller becomes its admin; pending until reviewed",
      body: S.ProviderCreateBody, response: S.Provider, errors: ["PROVIDER_NAME_TAKEN", "ALREADY_MEMBER"],
      handler: async ({ actor, body }) => d.organizations.createProvider(actor!, body),
    }),
    route({
      method: "get", path: "/api/providers", tag: "organizations", access: "public",
      summary: "List providers (approved ones; the bureau sees and filters all)",
      query: S.OrgListQuery, response: S.ProviderPage,
      handler: async ({ actor, query }) => d.organizations.list(actor, "provider", query),
    }),
    route({
      method: "get", path: "/api/providers/:id", tag: "organizations", access: "public",
      summary: "One provider (approved ones are public)",
      params: IdParams, response: S.Provider, errors: ["NOT_FOUND"],
      handler: async ({ actor, params }) => d.organizations.get(actor, "provider", params.id),
    }),
    route({
      method: "post", path: "/api/providers/:id/review", tag: "organizations", access: BUREAU,
      summary: "Approve or reject a provider registration",
      params: IdParams, body: S.ReviewBody, response: S.Provider, errors: ["NOT_FOUND", "ALREADY_REVIEWED"],
      handler: async ({ actor, params, body }) => d.organizations.review(actor!, "provider", params.id, body),
    }),
    route({
      method: "post", path: "/api/providers/:id/resubmit", tag: "organizations", access: ["provider_admin"],
      summary: CORRECT,
      params: IdParams, body: S.ProviderCreateBody, response: S.Provider,
      errors: ["NOT_FOUND", "PROVIDER_NAME_TAKEN", "REGISTRATION_NOT_REJECTED"],
      handler: async ({ actor, params, body }) => d.organizations.resubmit(actor!, "provider", params.id, body),
    }),
    route({
      method: "post", path: "/api/providers/:id/revoke", tag: "organizations", access: BUREAU,
      summary: REVOKE,
      params: IdParams, body: S.RevokeBody, response: S.Provider, errors: ["NOT_FOUND", "REGISTRATION_REVOKED", "CONFLICT"],
      handler: async ({ actor, params, body }) => d.organizations.revoke(actor!, "provider", params.id, body),
    }),
    route({
      method: "get", path: "/api/providers/:id/contact", tag: "organizations", access: "user",
      summary: "A provider's address and contact for delivering samples (null until its admin gives one)",
      params: IdParams, response: S.ProviderContactAnswer, errors: ["NOT_FOUND"],
      handler: async ({ actor, params }) => ({ contact: await d.organizations.contacts.get(actor!, params.id) }),
    }),
    route({
      method: "put", path: "/api/providers/:id/contact", tag: "organizations", access: ["provider_admin"],
      summary: "Set my provider's address and contact (person, phone, optional email and note), shown on its bookings",
      params: IdParams, body: S.ProviderContactBody, response: S.ProviderContact, errors: ["NOT_FOUND"],
      handler: async ({ actor, params, body }) => d.organizations.contacts.set(actor!, params.id, body),
    }),

    route({
      method: "get", path: "/api/organization/members", tag: "members", access: "user",
      summary: "Members of my organization",
      response: S.MemberList, errors: ["FORBIDDEN"],
      handler: async ({ actor }) => d.members.list(actor!),
    }),
    route({
      method: "delete", path: "/api/organization/members/:userId", tag: "members", access: ORG_ADMINS,
      summary: "Remove a member from my organization: their sessions end and their sockets disconnect",
      params: S.MemberParams, response: Ok, errors: ["NOT_FOUND", "LAST_ADMIN"],
      handler: async ({ actor, params }) => {
        await d.members.remove(actor!, params.userId);
        return { ok: true };
      },
    }),
    route({
      method: "get", path: "/api/organization/invitations", tag: "members", access: ORG_ADMINS,
      summary: "My organization's invitations with their state (pending, accepted, revoked, expired)",
      response: S.InvitationList,
      handler: async ({ actor }) => d.members.listInvitations(actor!),
    }),
    route({
      method: "delete", path: "/api/organization/invitations/:id", tag: "members", access: ORG_ADMINS,
      summary: "Revoke a pending invitation (its link stops working)",
      params: S.InvitationIdParams, response: S.InvitationSummary, errors: ["NOT_FOUND", "INVITATION_USED", "INVITATION_REVOKED"],
      handler: async ({ actor, params }) => d.members.revokeInvitation(actor!, params.id),
    }),
    route({
      method: "post", path: "/api/organization/invitations", tag: "members", access: ORG_ADMINS, status: 201,
      summary: "Invite someone into my organization (the answer holds the single-use link token)",
      body: S.InvitationCreateBody, response: S.Invitation,
      handler: async ({ actor, body }) => d.members.invite(actor!, body),
    }),
    route({
      method: "get", path: "/api/invitations/:token", tag: "members", access: "user",
      summary: "Look at an invitation",
      params: S.InvitationParams, response: S.Invitation, errors: ["NOT_FOUND"],
      handler: async ({ params }) => d.members.get(params.token),
    }),
    route({
      method: "post", path: "/api/invitations/:token/accept", tag: "members", access: "user",
      summary: "Accept an invitation and join its organization",
      params: S.InvitationParams, response: S.Me,
      errors: ["NOT_FOUND", "INVITATION_USED", "INVITATION_EMAIL_MISMATCH", "ALREADY_MEMBER", "INVITATION_EXPIRED", "INVITATION_REVOKED"],
      handler: async ({ actor, params }) => {
        await d.members.accept(actor!, params.token);
        return d.accounts.me({ ...actor!, membership: null } as Actor);
      },
    }),
  ];
}
