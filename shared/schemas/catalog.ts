// Instruments, maintenance windows (blackouts), packaged services (打包服务) and catalog search.
import {
  CATALOG_SORTS,
  CATEGORIES,
  CATEGORY_CODES,
  COUNTY_CODES,
  INSTRUMENT_STATUSES,
  PACKAGE_PURPOSES,
  PACKAGE_STATUSES,
  PARTNER_DECISIONS,
  PARTNER_STATUSES,
  PROVIDER_LOCATION_CODES,
  PRICE_UNITS,
  PROVIDER_KINDS,
} from "../enums";
import { DateTime, Fen, Id, MAX_PAGE_SIZE, StringEnum, Type, type Static, type TSchema } from "./common";
import { BookingRules } from "./scheduling";
import { InstrumentPhoto } from "./photos";
import { notAbove } from "./cross-field";

export { Fen };
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: "\\S" });
const ClockTime = Type.String({ pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$" });

/** One opening range on a weekday (1 = Monday … 7 = Sunday, ISO), in the instrument's own zone. */
export const OpenRange = Type.Object(
  { weekday: Type.Integer({ minimum: 1, maximum: 7 }), start: ClockTime, end: ClockTime },
  { additionalProperties: false },
);
export type OpenRange = Static<typeof OpenRange>;

const instrumentFields = {
  name: Text(100),
  nameEn: Type.Optional(Type.String({ maxLength: 200 })),
  model: Type.String({ maxLength: 100 }),
  manufacturer: Type.String({ maxLength: 100 }),
  category: StringEnum(CATEGORY_CODES),
  description: Type.String({ maxLength: 5000 }),
  location: Type.String({ maxLength: 200 }),
  priceFen: Fen,
  priceUnit: StringEnum(PRICE_UNITS),
  timezone: Type.String({ minLength: 1, maxLength: 64, default: "Asia/Shanghai" }),
  openHours: Type.Array(OpenRange, { maxItems: 50 }),
  slotMinutes: Type.Integer({ minimum: 5, maximum: 480, default: 30 }),
  capacity: Type.Integer({ minimum: 1, maximum: 100, default: 1 }),
  status: StringEnum(INSTRUMENT_STATUSES, { default: "active" }),
  originalValueFen: Fen,
  /** Booking rules (minimum notice, buffer, confirmation…); a PATCH replaces the whole object. */
  rules: BookingRules,
};

export const InstrumentCreateBody = Type.Object(
  {
    ...instrumentFields,
    description: Type.Optional(instrumentFields.description),
    location: Type.Optional(instrumentFields.location),
    model: Type.Optional(instrumentFields.model),
    manufacturer: Type.Optional(instrumentFields.manufacturer),
    timezone: Type.Optional(instrumentFields.timezone),
    slotMinutes: Type.Optional(instrumentFields.slotMinutes),
    capacity: Type.Optional(instrumentFields.capacity),
    status: Type.Optional(instrumentFields.status),
    rules: Type.Optional(instrumentFields.rules),
    /** The bureau creates on behalf of a provider; a provider's own staff leave it out. */
    providerId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type InstrumentCreateBody = Static<typeof InstrumentCreateBody>;

/**
 * A PATCH changes only what it sends, so its fields carry no defaults: Ajv would fill them in and,
 * e.g., set a retired instrument back to "active" on a price change.
 */
function withoutDefaults<T extends Record<string, TSchema>>(fields: T): T {
  return Object.fromEntries(
    Object.entries(fields).map(([key, schema]) => {
      const { default: _unused, ...rest } = schema;
      return [key, rest];
    }),
  ) as T;
}

export const InstrumentPatchBody = Type.Partial(Type.Object(withoutDefaults(instrumentFields)), {
  additionalProperties: false,
  minProperties: 1,
});
export type InstrumentPatchBody = Static<typeof InstrumentPatchBody>;

const ProviderRef = {
  providerId: Id,
  providerName: Type.String(),
  providerKind: StringEnum(PROVIDER_KINDS),
  county: StringEnum(PROVIDER_LOCATION_CODES),
};

export const Instrument = Type.Object({
  id: Id,
  ...instrumentFields,
  nameEn: Type.Optional(Type.String()),
  rules: Type.Optional(BookingRules),
  ...ProviderRef,
  /** The provider's photos, the cover first (issue 11). */
  photos: Type.Array(InstrumentPhoto),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type Instrument = Static<typeof Instrument>;


const priceRange = notAbove(["minPriceFen", "maxPriceFen"]);
const searchQuery = {
  q: Type.Optional(Type.String({ maxLength: 100 })),
  county: Type.Optional(StringEnum(COUNTY_CODES)),
  providerId: Type.Optional(Id),
  providerKind: Type.Optional(StringEnum(PROVIDER_KINDS)),
  minPriceFen: Type.Optional(Fen),
  maxPriceFen: Type.Optional(Fen),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })),
  sort: Type.Optional(StringEnum(CATALOG_SORTS, { default: "relevance" })),
};

export const InstrumentSearchQuery = Type.Object(
  {
    ...searchQuery,
    category: Type.Optional(StringEnum(CATEGORY_CODES)),
    /** Default: active and maintenance (retired instruments are history, found only when asked for). */
    status: Type.Optional(StringEnum(INSTRUMENT_STATUSES)),
  },
  { additionalProperties: false, ...priceRange },
);
export type InstrumentSearchQuery = Static<typeof InstrumentSearchQuery>;

export const FacetCount = Type.Object({ value: Type.String(), count: Type.Integer({ minimum: 0 }) });
export const Facets = Type.Object({
  category: Type.Array(FacetCount),
  county: Type.Array(FacetCount),
  providerKind: Type.Array(FacetCount),
});
export type Facets = Static<typeof Facets>;

export const InstrumentSearchResult = Type.Object({
  items: Type.Array(Instrument),
  total: Type.Integer({ minimum: 0 }),
  page: Type.Integer({ minimum: 1 }),
  pageSize: Type.Integer({ minimum: 1 }),
  facets: Facets,
});
export type InstrumentSearchResult = Static<typeof InstrumentSearchResult>;

export const Category = Type.Object({ code: StringEnum(CATEGORY_CODES), zh: Type.String(), en: Type.String() });
export const CategoryList = Type.Object({ items: Type.Array(Category) });
export const CATEGORY_LIST = { items: CATEGORIES.map(({ code, zh, en }) => ({ code, zh, en })) };

export const BlackoutCreateBody = Type.Object(
  { start: DateTime, end: DateTime, reason: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type BlackoutCreateBody = Static<typeof BlackoutCreateBody>;
export const Blackout = Type.Object({
  id: Id,
  instrumentId: Id,
  start: DateTime,
  end: DateTime,
  reason: Type.String(),
  createdAt: DateTime,
});
export type Blackout = Static<typeof Blackout>;
export const BlackoutList = Type.Object({ items: Type.Array(Blackout) });
export const BlackoutParams = Type.Object({ id: Id, blackoutId: Id }, { additionalProperties: false });

/** One item of a package: an instrument and how much of it (minutes for hourly, samples for per-sample). */
export const PackageItemInput = Type.Object(
  {
    instrumentId: Id,
    minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 60 * 14 })),
    samples: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  },
  { additionalProperties: false },
);
export type PackageItemInput = Static<typeof PackageItemInput>;

const packageFields = {
  name: Text(100),
  nameEn: Type.Optional(Type.String({ maxLength: 200 })),
  description: Type.String({ maxLength: 5000 }),
  purpose: StringEnum(PACKAGE_PURPOSES),
  items: Type.Array(PackageItemInput, { minItems: 1, maxItems: 30 }),
  priceFen: Fen,
  status: StringEnum(PACKAGE_STATUSES, { default: "active" }),
};

export const PackageCreateBody = Type.Object(
  {
    ...packageFields,
    description: Type.Optional(packageFields.description),
    status: Type.Optional(packageFields.status),
    providerId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type PackageCreateBody = Static<typeof PackageCreateBody>;

export const PackagePatchBody = Type.Partial(Type.Object(withoutDefaults(packageFields)), {
  additionalProperties: false,
  minProperties: 1,
});
export type PackagePatchBody = Static<typeof PackagePatchBody>;

export const PackageItem = Type.Object({
  instrumentId: Id,
  instrumentName: Type.String(),
  providerId: Id,
  providerName: Type.String(),
  priceFen: Fen,
  priceUnit: StringEnum(PRICE_UNITS),
  minutes: Type.Optional(Type.Integer()),
  samples: Type.Optional(Type.Integer()),
  /**
   * What this item costs booked on its own: per sample, priceFen × samples; per hour,
   * priceFen × minutes / 60 rounded half up to a whole fen (server/modules/catalog/rules.ts).
   */
  listPriceFen: Fen,
});
export type PackageItem = Static<typeof PackageItem>;

export const Package = Type.Object({
  id: Id,
  name: Type.String(),
  nameEn: Type.Optional(Type.String()),
  description: Type.String(),
  purpose: StringEnum(PACKAGE_PURPOSES),
  status: StringEnum(PACKAGE_STATUSES),
  items: Type.Array(PackageItem),
  priceFen: Fen,
  /** Sum of the items' (each already rounded) list prices. */
  listPriceFen: Fen,
  savingsFen: Type.Integer(),
  /** Separate applications the package replaces (one per item). */
  applicationsReplaced: Type.Integer({ minimum: 1 }),
  /**
   * Other providers whose instruments the package uses, each with its answer to the current items
   * and price; the package is bookable only when `partnerStatus` is "accepted".
   */
  partners: Type.Array(Type.Object({ providerId: Id, providerName: Type.String(), decision: StringEnum(PARTNER_DECISIONS) })),
  partnerStatus: StringEnum(PARTNER_STATUSES),
  ...ProviderRef,
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type Package = Static<typeof Package>;

/** A partner provider answering a package that uses its instruments. */
export const PartnerParams = Type.Object({ id: Id, providerId: Id }, { additionalProperties: false });
/** Packages of other providers waiting for (or holding) the caller's provider's answer. */
/** A partner's answer may say why (shown to the package's provider with the history). */
export const PartnerAnswerBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export type PartnerAnswerBody = Static<typeof PartnerAnswerBody>;
export const PartnerRequestList = Type.Object({ items: Type.Array(Package) });
export type PartnerRequestList = Static<typeof PartnerRequestList>;

export const PackageSearchQuery = Type.Object(
  {
    ...searchQuery,
    purpose: Type.Optional(StringEnum(PACKAGE_PURPOSES)),
    status: Type.Optional(StringEnum(PACKAGE_STATUSES)),
  },
  { additionalProperties: false, ...priceRange },
);
export type PackageSearchQuery = Static<typeof PackageSearchQuery>;

export const PackageSearchResult = Type.Object({
  items: Type.Array(Package),
  total: Type.Integer({ minimum: 0 }),
  page: Type.Integer({ minimum: 1 }),
  pageSize: Type.Integer({ minimum: 1 }),
  facets: Type.Object({
    purpose: Type.Array(FacetCount),
    county: Type.Array(FacetCount),
    providerKind: Type.Array(FacetCount),
  }),
});
export type PackageSearchResult = Static<typeof PackageSearchResult>;
