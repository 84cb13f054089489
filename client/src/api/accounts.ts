// Typed calls for the accounts module: auth, me, organizations, members, invitations.
import type {
  Enterprise,
  EnterpriseCreateBody,
  Invitation,
  InvitationCreateBody,
  InvitationSummary,
  LoginBody,
  Me,
  Member,
  OrgListQuery,
  Provider,
  ProviderCreateBody,
  RegisterBody,
  ReviewBody,
  RevokeBody,
  Session,
  UpdateMeBody,
  User,
} from "@shared/schemas/accounts";
import type { PageOf } from "@shared/schemas/common";
import { http } from "./http";

export type OrgKind = "enterprises" | "providers";

export const authApi = {
  register: (body: RegisterBody) => http.post<Session>("/api/auth/register", body),
  login: (body: LoginBody) => http.post<Session>("/api/auth/login", body),
  logout: () => http.post<{ ok: true }>("/api/auth/logout"),
};

export const meApi = {
  get: () => http.get<Me>("/api/me"),
  update: (body: UpdateMeBody) => http.patch<User>("/api/me", body),
};

export const enterpriseApi = {
  create: (body: EnterpriseCreateBody) => http.post<Enterprise>("/api/enterprises", body),
  get: (id: string) => http.get<Enterprise>(`/api/enterprises/${encodeURIComponent(id)}`),
  resubmit: (id: string, body: EnterpriseCreateBody) =>
    http.post<Enterprise>(`/api/enterprises/${encodeURIComponent(id)}/resubmit`, body),
};

export const providerApi = {
  create: (body: ProviderCreateBody) => http.post<Provider>("/api/providers", body),
  get: (id: string) => http.get<Provider>(`/api/providers/${encodeURIComponent(id)}`),
  resubmit: (id: string, body: ProviderCreateBody) => http.post<Provider>(`/api/providers/${encodeURIComponent(id)}/resubmit`, body),
};

/** The bureau's registration lists and decisions, the same shape for both kinds. */
export const registrationsApi = {
  list: <K extends OrgKind>(kind: K, query: OrgListQuery) =>
    http.get<PageOf<K extends "enterprises" ? Enterprise : Provider>>(`/api/${kind}`, query),
  review: (kind: OrgKind, id: string, body: ReviewBody) =>
    http.post<Enterprise | Provider>(`/api/${kind}/${encodeURIComponent(id)}/review`, body),
  revoke: (kind: OrgKind, id: string, body: RevokeBody) =>
    http.post<Enterprise | Provider>(`/api/${kind}/${encodeURIComponent(id)}/revoke`, body),
};

export const organizationApi = {
  members: () => http.get<{ items: Member[] }>("/api/organization/members"),
  invite: (body: InvitationCreateBody) => http.post<Invitation>("/api/organization/invitations", body),
  removeMember: (userId: string) => http.delete<{ ok: true }>(`/api/organization/members/${encodeURIComponent(userId)}`),
  invitations: () => http.get<{ items: InvitationSummary[] }>("/api/organization/invitations"),
  revokeInvitation: (id: string) => http.delete<InvitationSummary>(`/api/organization/invitations/${encodeURIComponent(id)}`),
};

export const invitationApi = {
  get: (token: string) => http.get<Invitation>(`/api/invitations/${encodeURIComponent(token)}`),
  accept: (token: string) => http.post<Me>(`/api/invitations/${encodeURIComponent(token)}/accept`),
};
