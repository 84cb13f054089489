// Catalog data. Provider name, kind and county are copied onto instruments and packages so that
// search and facets read one collection (FerretDB has no $lookup; see docs/database.md).
import { Schema, type Connection } from "mongoose";
import {
  CATEGORY_CODES,
  INSTRUMENT_STATUSES,
  PACKAGE_PURPOSES,
  PACKAGE_STATUSES,
  PRICE_UNITS,
  PROVIDER_KINDS,
  PROVIDER_LOCATION_CODES,
  type Category,
  type ProviderLocation,
  type InstrumentStatus,
  type PackagePurpose,
  type PackageStatus,
  type PriceUnit,
  type ProviderKind,
} from "../../../shared/enums";
import type { OpenRange } from "../../../shared/schemas/catalog";
import type { PhotoType } from "../../../shared/schemas/photos";
import type { BookingRules } from "../../../shared/schemas/scheduling";

const opts = { versionKey: false } as const;

interface ProviderCopy {
  providerId: string;
  providerName: string;
  providerKind: ProviderKind;
  county: ProviderLocation;
}
const providerCopy = {
  providerId: { type: String, required: true, index: true },
  providerName: { type: String, required: true },
  providerKind: { type: String, enum: PROVIDER_KINDS, required: true },
  county: { type: String, enum: PROVIDER_LOCATION_CODES, required: true },
};

/** One photo of an instrument, as listed on it (the files are photos/service.ts's): sha256 of each file. */
export interface PhotoRef {
  id: string;
  type: PhotoType;
  width: number;
  height: number;
  sha256: { original: string; thumb: string; large: string };
}

export interface InstrumentDoc extends ProviderCopy {
  _id: string;
  name: string;
  nameEn?: string;
  model: string;
  manufacturer: string;
  category: Category;
  description: string;
  location: string;
  priceFen: number;
  priceUnit: PriceUnit;
  timezone: string;
  openHours: OpenRange[];
  slotMinutes: number;
  capacity: number;
  status: InstrumentStatus;
  originalValueFen: number;
  /** Booking rules; absent fields take BOOKING_RULE_DEFAULTS (scheduling). */
  rules?: BookingRules;
  /** Lower-cased name, English name, model, manufacturer and description: one field to search. */
  searchText: string;
  /** In display order, the cover first; absent on instruments from before photos. */
  photos?: PhotoRef[];
  /**
   * Set while a calendar or status change checks the bookings it could break (calendar-guard.ts):
   * no booking may take this instrument's time meanwhile. Null (or stale) when none is under way.
   */
  calendarEdit?: { token: string; at: Date; until?: Date } | null;
  createdAt: Date;
  updatedAt: Date;
}
const instrumentSchema = new Schema<InstrumentDoc>(
  {
    _id: String,
    ...providerCopy,
    name: { type: String, required: true },
    nameEn: String,
    model: { type: String, default: "" },
    manufacturer: { type: String, default: "" },
    category: { type: String, enum: CATEGORY_CODES, required: true },
    description: { type: String, default: "" },
    location: { type: String, default: "" },
    priceFen: { type: Number, required: true },
    priceUnit: { type: String, enum: PRICE_UNITS, required: true },
    timezone: { type: String, required: true },
    openHours: [{ _id: false, weekday: Number, start: String, end: String }],
    slotMinutes: { type: Number, required: true },
    capacity: { type: Number, required: true },
    status: { type: String, enum: INSTRUMENT_STATUSES, required: true },
    originalValueFen: { type: Number, required: true },
    rules: { type: Schema.Types.Mixed },
    searchText: { type: String, required: true },
    photos: {
      type: [{ _id: false, id: String, type: { type: String }, width: Number, height: Number, sha256: { original: String, thumb: String, large: String } }],
      default: undefined,
    },
    calendarEdit: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  opts,
);
instrumentSchema.index({ category: 1, county: 1 });

export interface BlackoutDoc {
  _id: string;
  instrumentId: string;
  start: Date;
  end: Date;
  reason: string;
  createdBy: string;
  createdAt: Date;
}
const blackoutSchema = new Schema<BlackoutDoc>(
  {
    _id: String,
    instrumentId: { type: String, required: true, index: true },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    reason: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  opts,
);

export interface PackageItemDoc {
  instrumentId: string;
  minutes?: number;
  samples?: number;
}

export interface PackageDoc extends ProviderCopy {
  _id: string;
  name: string;
  nameEn?: string;
  description: string;
  purpose: PackagePurpose;
  status: PackageStatus;
  items: PackageItemDoc[];
  priceFen: number;
  searchText: string;
  /**
   * When the items or the price last changed (ms; absent: at creation). A partner's acceptance is of
   * these terms: a change asks every partner again (partners.ts).
   */
  termsAt?: number;
  /** Partners' answers by provider id, each for the terms of its `termsAt` (a projection of their decision events). */
  partnerDecisions?: Record<string, { decision: "accepted" | "declined"; termsAt: number }>;
  createdAt: Date;
  updatedAt: Date;
}
const packageSchema = new Schema<PackageDoc>(
  {
    _id: String,
    ...providerCopy,
    name: { type: String, required: true },
    nameEn: String,
    description: { type: String, default: "" },
    purpose: { type: String, enum: PACKAGE_PURPOSES, required: true },
    status: { type: String, enum: PACKAGE_STATUSES, required: true },
    items: [{ _id: false, instrumentId: String, minutes: Number, samples: Number }],
    priceFen: { type: Number, required: true },
    searchText: { type: String, required: true },
    termsAt: Number,
    partnerDecisions: { type: Schema.Types.Mixed, default: {} },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { ...opts, minimize: false },
);

export function catalogModels(conn: Connection) {
  return {
    instruments: conn.model<InstrumentDoc>("Instrument", instrumentSchema, "instruments"),
    blackouts: conn.model<BlackoutDoc>("Blackout", blackoutSchema, "blackouts"),
    packages: conn.model<PackageDoc>("Package", packageSchema, "packages"),
  };
}
export type CatalogModels = ReturnType<typeof catalogModels>;

/** What `searchText` holds, lower-cased so a case-insensitive match is a plain substring test. */
export function searchTextOf(parts: (string | undefined)[]): string {
  return parts.filter(Boolean).join(" \u0001 ").toLowerCase();
}
