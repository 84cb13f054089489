// Accounts data. Every exclusive fact is a unique `_id` or unique index (DESIGN.md "The database"):
// a user's one membership is `memberships._id = userId`; a session is `sessions._id = sha256(token)`.
import { Schema, type Connection } from "mongoose";
import {
  COUNTY_CODES,
  ENTERPRISE_SIZES,
  INDUSTRY_CODES,
  LOCALES,
  ORG_STATUSES,
  ORG_TYPES,
  PROVIDER_KINDS,
  ROLES,
  type County,
  type EnterpriseSize,
  type Industry,
  type Locale,
  type OrgStatus,
  type OrgType,
  type ProviderKind,
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
  reviewReason?: string;
  reviewedAt?: Date;
  reviewedBy?: string;
  createdBy: string;
  createdAt: Date;
}
const reviewFields = {
  status: { type: String, enum: ORG_STATUSES, required: true },
  version: { type: Number, required: true },
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
}
const enterpriseSchema = new Schema<EnterpriseDoc>(
  {
    _id: String,
    name: { type: String, required: true },
    creditCode: { type: String, required: true, unique: true },
    county: { type: String, enum: COUNTY_CODES, required: true },
    industry: { type: String, enum: INDUSTRY_CODES, required: true },
    size: { type: String, enum: ENTERPRISE_SIZES, required: true },
    ...reviewFields,
  },
  opts,
);

export interface ProviderDoc extends ReviewFields {
  _id: string;
  name: string;
  nameKey: string; // normalized name, unique: one registration per institution
  kind: ProviderKind;
  county: County;
}
const providerSchema = new Schema<ProviderDoc>(
  {
    _id: String,
    name: { type: String, required: true },
    nameKey: { type: String, required: true, unique: true },
    kind: { type: String, enum: PROVIDER_KINDS, required: true },
    county: { type: String, enum: COUNTY_CODES, required: true },
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
  acceptedBy?: string;
  acceptedAt?: Date;
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
    acceptedBy: String,
    acceptedAt: Date,
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
  };
}
export type AccountsModels = ReturnType<typeof accountsModels>;
