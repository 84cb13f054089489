// Users, sessions, organizations (enterprises, providers, the bureau), members and invitations.
import {
  COUNTY_CODES,
  ENTERPRISE_SIZES,
  INDUSTRY_CODES,
  LOCALES,
  ORG_STATUSES,
  ORG_TYPES,
  PROVIDER_KINDS,
  PROVIDER_LOCATION_CODES,
  REVIEW_DECISIONS,
  ROLES,
} from "../enums";
import { CREDIT_CODE_PATTERN } from "../credit-code";
import { PASSWORD_MIN } from "../limits";
import { DateTime, Email, Id, Page, PageQuery, StringEnum, Type, type Static } from "./common";

const Password = Type.String({ minLength: PASSWORD_MIN, maxLength: 128 });
const PersonName = Type.String({ minLength: 1, maxLength: 60, pattern: "\\S" });
const OrgName = Type.String({ minLength: 2, maxLength: 100, pattern: "\\S" });

export const User = Type.Object({
  id: Id,
  email: Email,
  name: Type.String(),
  locale: StringEnum(LOCALES),
  createdAt: DateTime,
});
export type User = Static<typeof User>;

export const RegisterBody = Type.Object(
  { email: Email, password: Password, name: PersonName, locale: Type.Optional(StringEnum(LOCALES)) },
  { additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBody>;

export const LoginBody = Type.Object(
  { email: Email, password: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const Session = Type.Object({ token: Type.String(), user: User });
export type Session = Static<typeof Session>;

export const UpdateMeBody = Type.Object(
  { name: Type.Optional(PersonName), locale: Type.Optional(StringEnum(LOCALES)) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateMeBody = Static<typeof UpdateMeBody>;

export const OrganizationSummary = Type.Object({
  id: Id,
  type: StringEnum(ORG_TYPES),
  name: Type.String(),
  status: StringEnum(ORG_STATUSES),
});
export type OrganizationSummary = Static<typeof OrganizationSummary>;

export const Me = Type.Object({
  user: User,
  organization: Type.Union([OrganizationSummary, Type.Null()]),
  roles: Type.Array(StringEnum(ROLES)),
});
export type Me = Static<typeof Me>;

const Review = {
  status: StringEnum(ORG_STATUSES),
  /** Review round: 1 at registration, +1 each time a rejected registration is resubmitted. */
  round: Type.Integer({ minimum: 1 }),
  reviewReason: Type.Optional(Type.String()),
  reviewedAt: Type.Optional(DateTime),
  createdAt: DateTime,
};

export const EnterpriseCreateBody = Type.Object(
  {
    name: OrgName,
    creditCode: Type.String({ minLength: 18, maxLength: 18, pattern: CREDIT_CODE_PATTERN }),
    county: StringEnum(COUNTY_CODES),
    industry: StringEnum(INDUSTRY_CODES),
    size: StringEnum(ENTERPRISE_SIZES),
  },
  { additionalProperties: false },
);
export type EnterpriseCreateBody = Static<typeof EnterpriseCreateBody>;
export const Enterprise = Type.Object({
  id: Id, ...EnterpriseCreateBody.properties, ...Review,
  /** Verified by the bureau; enterprises with the same one share one voucher quota (issue 10). */
  actualController: Type.Optional(Type.String()),
});
export type Enterprise = Static<typeof Enterprise>;

export const ProviderCreateBody = Type.Object(
  // county: one of the city's counties, or outside the city (issue 10: no city share, no provider subsidy).
  { name: OrgName, kind: StringEnum(PROVIDER_KINDS), county: StringEnum(PROVIDER_LOCATION_CODES) },
  { additionalProperties: false },
);
export type ProviderCreateBody = Static<typeof ProviderCreateBody>;
export const Provider = Type.Object({ id: Id, ...ProviderCreateBody.properties, ...Review });
export type Provider = Static<typeof Provider>;

export const ReviewBody = Type.Object(
  {
    decision: StringEnum(REVIEW_DECISIONS),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type ReviewBody = Static<typeof ReviewBody>;

/** The bureau revokes a registration: closed for good, its credit code or name released. */
export const RevokeBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500, pattern: "\\S" }) },
  { additionalProperties: false },
);
export type RevokeBody = Static<typeof RevokeBody>;

export const OrgListQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(ORG_STATUSES)),
    county: Type.Optional(StringEnum(COUNTY_CODES)),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type OrgListQuery = Static<typeof OrgListQuery>;

export const EnterprisePage = Page(Enterprise);
export const ProviderPage = Page(Provider);

export const Member = Type.Object({
  userId: Id,
  email: Email,
  name: Type.String(),
  role: StringEnum(ROLES),
  joinedAt: DateTime,
});
export type Member = Static<typeof Member>;
export const MemberList = Type.Object({ items: Type.Array(Member) });

export const InvitationCreateBody = Type.Object(
  { email: Email, role: StringEnum(ROLES) },
  { additionalProperties: false },
);
export type InvitationCreateBody = Static<typeof InvitationCreateBody>;

export const INVITATION_STATES = ["pending", "accepted", "revoked", "expired"] as const;

export const Invitation = Type.Object({
  token: Type.String(),
  email: Email,
  role: StringEnum(ROLES),
  organization: OrganizationSummary,
  state: StringEnum(INVITATION_STATES),
  createdAt: DateTime,
  expiresAt: DateTime,
  acceptedAt: Type.Optional(DateTime),
});
export type Invitation = Static<typeof Invitation>;

/** An invitation as its organization's admins see it: no token (it was shown once, at creation). */
export const InvitationSummary = Type.Object({
  id: Type.String(),
  email: Email,
  role: StringEnum(ROLES),
  state: StringEnum(INVITATION_STATES),
  createdAt: DateTime,
  expiresAt: DateTime,
  acceptedAt: Type.Optional(DateTime),
  revokedAt: Type.Optional(DateTime),
});
export type InvitationSummary = Static<typeof InvitationSummary>;
export const InvitationList = Type.Object({ items: Type.Array(InvitationSummary) });
export const InvitationIdParams = Type.Object(
  { id: Type.String({ pattern: "^[0-9a-f]{64}$" }) },
  { additionalProperties: false },
);
export const MemberParams = Type.Object({ userId: Id }, { additionalProperties: false });
export const InvitationParams = Type.Object(
  { token: Type.String({ minLength: 20, maxLength: 64, pattern: "^[A-Za-z0-9_-]+$" }) },
  { additionalProperties: false },
);

// Where and whom an enterprise delivers samples to (issue 11): a provider's address and contact,
// shown on its bookings and the booking slip (预约单). Set by the provider's admin.
const Phone = Type.String({ minLength: 5, maxLength: 30, pattern: "^\\+?[0-9][0-9 ()-]*[0-9]$" });
export const ProviderContactBody = Type.Object(
  {
    address: Type.String({ minLength: 2, maxLength: 200, pattern: "\\S" }),
    contactPerson: PersonName,
    phone: Phone,
    email: Type.Optional(Email),
    /** E.g. when samples are received: "工作日 9:00–17:00 收样". */
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type ProviderContactBody = Static<typeof ProviderContactBody>;
export const ProviderContact = Type.Object({ providerId: Id, ...ProviderContactBody.properties, updatedAt: DateTime });
export type ProviderContact = Static<typeof ProviderContact>;
/** A provider's contact, or null while its admin has not given one. */
export const ProviderContactAnswer = Type.Object({ contact: Type.Union([ProviderContact, Type.Null()]) });
export type ProviderContactAnswer = Static<typeof ProviderContactAnswer>;
