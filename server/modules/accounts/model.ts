// Accounts data. Every exclusive fact is a unique `_id` or unique index (DESIGN.md "The database"):
// a user's one membership is `memberships._id = userId`; a session is `sessions._id = sha256(token)`.
import { Schema, type Connection } from "mongoose";
import { providerContactModel } from "./provider-contacts";
import {
  COUNTY_CODES,
  ENTERPRISE_SIZES,
  INDUSTRY_CODES,
  LOCALES,
  ORG_STATUSES,
  ORG_TYPES,
  PROVIDER_KINDS,
  PROVIDER_LOCATION_CODES,
  ROLES,
  type County,
  type EnterpriseSize,
  type Industry,
  type Locale,
  type OrgStatus,
  type OrgType,
  type ProviderKind,
  type ProviderLocation,
  type Role,
} from "../../../shared/enums";

const opts = { versionKey: false } as const;

export interface UserDoc {
  _id: string;
  email: string;
  passwordHash: string;
  name: string;
  locale: Locale;
  createdAt: Date;
}
const userSchema = new Schema<UserDoc>(
  {
    _id: String,
    email: { type: String, required: true, unique: true },
    passwordHash: { type: String, required: true },
    name: { type: String, required: true },
    locale: { type: String, enum: LOCALES, default: "zh-CN" },
    createdAt: { type: Date, required: true },
  },
  opts,
);

export interface SessionDoc {
  _id: string; // sha256 of the token: a stolen database does not yield usable tokens
  userId: string;
  createdAt: Date;
  expiresAt: Date;
}
const sessionSchema = new Schema<SessionDoc>(
  {
    _id: String,
    userId: { type: String, required: true, index: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  opts,
);

export interface MembershipDoc {
  _id: string; // the userId: one organization per user, enforced by the primary key
  orgType: OrgType;
  orgId: string;
  role: Role;
  joinedAt: Date;
}
const membershipSchema = new Schema<MembershipDoc>(
  {
    _id: String,
    orgType: { type: String, enum: ORG_TYPES, required: true },
    orgId: { type: String, required: true, index: true },
    role: { type: String, enum: ROLES, required: true },
    joinedAt: { type: Date, required: true },
  },
  opts,
);

interface ReviewFields {
  status: OrgStatus;
  version: number; // number of the last event applied from the org's stream
  round?: number; // review round: 1 at registration, +1 per resubmission (absent = 1)
  reviewReason?: string;
  reviewedAt?: Date;
  reviewedBy?: string;
  createdBy: string;
  createdAt: Date;
}
const reviewFields = {
  status: { type: String, enum: ORG_STATUSES, required: true },
  version: { type: Number, required: true },
  round: Number,
  reviewReason: String,
  reviewedAt: Date,
  reviewedBy: String,
  createdBy: { type: String, required: true },
  createdAt: { type: Date, required: true },
};

export interface EnterpriseDoc extends ReviewFields {
  _id: string;
  name: string;
  creditCode: string;
  county: County;
  industry: Industry;
  size: EnterpriseSize;
  /** Verified by the bureau (issue 10): enterprises with the same one share one voucher quota. */
  actualController?: string;
}
const enterpriseSchema = new Schema<EnterpriseDoc>(
  {
    _id: String,
    name: { type: String, required: true },
    // Not unique here: a rejected or revoked registration keeps its code; who holds a code is
    // decided by registration claims (registration-claims.ts).
    creditCode: { type: String, required: true },
    county: { type: String, enum: COUNTY_CODES, required: true },
    industry: { type: String, enum: INDUSTRY_CODES, required: true },
    size: { type: String, enum: ENTERPRISE_SIZES, required: true },
    actualController: String,
    ...reviewFields,
  },
  opts,
);

export interface ProviderDoc extends ReviewFields {
  _id: string;
  name: string;
  nameKey: string; // normalized name (shared/normalize.ts): one live registration per institution
  kind: ProviderKind;
  county: ProviderLocation;
}
const providerSchema = new Schema<ProviderDoc>(
  {
    _id: String,
    name: { type: String, required: true },
    nameKey: { type: String, required: true },
    kind: { type: String, enum: PROVIDER_KINDS, required: true },
    county: { type: String, enum: PROVIDER_LOCATION_CODES, required: true },
    ...reviewFields,
  },
  opts,
);

export interface InvitationDoc {
  _id: string; // the secret token
  orgType: OrgType;
  orgId: string;
  role: Role;
  email: string;
  createdBy: string;
  createdAt: Date;
  expiresAt?: Date; // absent on invitations made before expiry existed: createdAt + the default
  acceptedBy?: string;
  acceptedAt?: Date;
  revokedBy?: string;
  revokedAt?: Date;
}
const invitationSchema = new Schema<InvitationDoc>(
  {
    _id: String,
    orgType: { type: String, enum: ORG_TYPES, required: true },
    orgId: { type: String, required: true, index: true },
    role: { type: String, enum: ROLES, required: true },
    email: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: Date,
    acceptedBy: String,
    acceptedAt: Date,
    revokedBy: String,
    revokedAt: Date,
  },
  opts,
);

/**
 * Who holds a credit code or a provider name: the claim with the highest `gen` for its key. Taking
 * over a key from a dead holder (rejected, revoked, superseded) is the insert of `<key>:<gen+1>`,
 * so of racing registrants exactly one gets it (DESIGN.md: the decision is an insert).
 */
export interface RegistrationClaimDoc {
  _id: string; // `<key>:<gen>`
  key: string; // "credit:<code>" or "provider:<nameKey>"
  gen: number;
  orgId: string;
  round: number; // the holder's review round this claim was taken for
  at: Date;
}
const registrationClaimSchema = new Schema<RegistrationClaimDoc>(
  {
    _id: String,
    key: { type: String, required: true },
    gen: { type: Number, required: true },
    orgId: { type: String, required: true },
    round: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  opts,
);

export function accountsModels(conn: Connection) {
  return {
    users: conn.model<UserDoc>("User", userSchema, "users"),
    sessions: conn.model<SessionDoc>("Session", sessionSchema, "sessions"),
    memberships: conn.model<MembershipDoc>("Membership", membershipSchema, "memberships"),
    enterprises: conn.model<EnterpriseDoc>("Enterprise", enterpriseSchema, "enterprises"),
    providers: conn.model<ProviderDoc>("Provider", providerSchema, "providers"),
    invitations: conn.model<InvitationDoc>("Invitation", invitationSchema, "invitations"),
    registrationClaims: conn.model<RegistrationClaimDoc>("RegistrationClaim", registrationClaimSchema, "registration_claims"),
    providerContacts: providerContactModel(conn),
  };
}
export type AccountsModels = ReturnType<typeof accountsModels>;
