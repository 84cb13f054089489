// Stored catalog documents → the API's shapes (shared/schemas/catalog.ts).
import type { Blackout, Instrument, Package, PackageItem } from "../../../shared/schemas/catalog";
import { PHOTO_EXTENSIONS, type InstrumentPhoto } from "../../../shared/schemas/photos";
import type { BlackoutDoc, InstrumentDoc, PackageDoc, PhotoRef } from "./model";
import { itemListPriceFen } from "../../../shared/money";
import { packagePartners, partnerStatus } from "./partners";

/** What presenting needs of an instrument (search keeps these in memory, without `searchText`). */
export type InstrumentData = Omit<InstrumentDoc, "searchText">;

export function presentInstrument(doc: InstrumentData): Instrument {
  return {
    id: doc._id,
    name: doc.name,
    ...(doc.nameEn ? { nameEn: doc.nameEn } : {}),
    model: doc.model,
    manufacturer: doc.manufacturer,
    category: doc.category,
    description: doc.description,
    location: doc.location,
    priceFen: doc.priceFen,
    priceUnit: doc.priceUnit,
    timezone: doc.timezone,
    openHours: doc.openHours.map(({ weekday, start, end }) => ({ weekday, start, end })),
    slotMinutes: doc.slotMinutes,
    capacity: doc.capacity,
    status: doc.status,
    originalValueFen: doc.originalValueFen,
    ...(doc.rules ? { rules: { ...doc.rules } } : {}),
    providerId: doc.providerId,
    providerName: doc.providerName,
    providerKind: doc.providerKind,
    county: doc.county,
    photos: (doc.photos ?? []).map(presentPhoto),
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

/** A photo's file URLs: each names its content hash, so a URL always means the same bytes (cached for a year). */
export function presentPhoto(p: PhotoRef): InstrumentPhoto {
  const url = (variant: keyof PhotoRef["sha256"], ext: string) => `/api/photos/${p.id}/${variant}-${p.sha256[variant].slice(0, 16)}.${ext}`;
  return { id: p.id, width: p.width, height: p.height, thumbUrl: url("thumb", "webp"), largeUrl: url("large", "webp"), originalUrl: url("original", PHOTO_EXTENSIONS[p.type]) };
}

export function presentBlackout(doc: BlackoutDoc): Blackout {
  return {
    id: doc._id,
    instrumentId: doc.instrumentId,
    start: doc.start.toISOString(),
    end: doc.end.toISOString(),
    reason: doc.reason,
    createdAt: doc.createdAt.toISOString(),
  };
}

export type PackageData = Omit<PackageDoc, "searchText">;

/**
 * A package with its prices worked out from the items' current instrument prices: each item's
 * list price, their sum, and what the package saves against it. One application replaces one per
 * item (DESIGN.md: 打包服务, "one application, one price").
 */
export function presentPackage(doc: PackageData, instrument: (id: string) => InstrumentData | undefined): Package {
  const items: PackageItem[] = doc.items.map((item) => {
    const inst = instrument(item.instrumentId);
    // Instruments are retired, never deleted; a missing one means data written outside the service.
    if (!inst) throw new Error(`package ${doc._id}: instrument ${item.instrumentId} not found`);
    return {
      instrumentId: inst._id,
      instrumentName: inst.name,
      providerId: inst.providerId,
      providerName: inst.providerName,
      priceFen: inst.priceFen,
      priceUnit: inst.priceUnit,
      ...(inst.priceUnit === "hour" && item.minutes !== undefined ? { minutes: item.minutes } : {}),
      ...(inst.priceUnit === "sample" && item.samples !== undefined ? { samples: item.samples } : {}),
      listPriceFen: itemListPriceFen(inst.priceFen, inst.priceUnit, item),
    };
  });
  const listPriceFen = items.reduce((sum, item) => sum + item.listPriceFen, 0);
  const partners = packagePartners(doc, items);
  return {
    id: doc._id,
    name: doc.name,
    ...(doc.nameEn ? { nameEn: doc.nameEn } : {}),
    description: doc.description,
    purpose: doc.purpose,
    status: doc.status,
    items,
    priceFen: doc.priceFen,
    listPriceFen,
    savingsFen: listPriceFen - doc.priceFen,
    applicationsReplaced: items.length,
    partners,
    partnerStatus: partnerStatus(partners),
    providerId: doc.providerId,
    providerName: doc.providerName,
    providerKind: doc.providerKind,
    county: doc.county,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}
