import type { OrgType, Role } from "../../../shared/enums";

/** Who is calling: the authenticated user and their (single) organization membership. */
export interface Actor {
  userId: string;
  /** The session's id (the hash of its token); absent for actors built outside a request. */
  sessionId?: string;
  email: string;
  name: string;
  membership: { orgType: OrgType; orgId: string; role: Role } | null;
}

export function hasRole(actor: Actor | null, roles: readonly Role[]): boolean {
  return !!actor?.membership && roles.includes(actor.membership.role);
}

export function isBureau(actor: Actor | null): boolean {
  return actor?.membership?.orgType === "bureau";
}

export function isMemberOf(actor: Actor | null, orgId: string): boolean {
  return actor?.membership?.orgId === orgId;
}
