// Instruments (大型仪器) and their maintenance windows (blackouts). No HTTP in here.
import { CoalescedReads } from "../../db/coalesced-reads";
import type {
  Blackout,
  BlackoutCreateBody,
  Instrument,
  InstrumentCreateBody,
  InstrumentPatchBody,
  InstrumentSearchQuery,
  InstrumentSearchResult,
} from "../../../shared/schemas/catalog";
import type { Slot } from "../../../shared/schemas/scheduling";
import type { FieldError } from "../../../shared/errors";
import { newId } from "../../db/ids";
import { BookingsInTheWayError, ConflictError, NotFoundError, ValidationError } from "../../errors";
import type { DomainEventBus } from "../../events";
import type { Actor } from "../accounts/actor";
import { searchTextOf, type BlackoutDoc, type CatalogModels, type InstrumentDoc, type PhotoRef } from "./model";
import { presentBlackout, presentInstrument } from "./present";
import type { ProviderCopy, Publishers } from "./publishers";
import type { RevisionStore } from "./revisions";
import { CalendarGuard, calendarLocked } from "./calendar-guard";
import type { InstrumentUsage } from "./usage";
import { blackoutErrors, field, openHoursErrors, timezoneErrors } from "./rules";
import { searchInstruments } from "./search";
import { foldText, type CatalogIndex } from "./search-index";

export const DEFAULT_TIMEZONE = "Asia/Shanghai";

type EditableFields = Omit<InstrumentDoc, keyof ProviderCopy | "_id" | "searchText" | "createdAt" | "updatedAt">;

/** The body's fields as stored: texts trimmed, a blank English name kept as "" (shown as absent). */
function editable(body: InstrumentPatchBody): Partial<EditableFields> {
  const fields: Partial<EditableFields> = {};
  for (const [key, value] of Object.entries(body) as [keyof EditableFields, unknown][]) {
    if (value === undefined || (key as string) === "providerId") continue;
    (fields as Record<string, unknown>)[key] = typeof value === "string" ? value.trim() : value;
  }
  return fields;
}

/** Rules the schema cannot check: the minimum duration does not exceed the maximum. */
function bookingRulesErrors(rules: InstrumentDoc["rules"]): FieldError[] {
  if (rules?.minDurationMinutes !== undefined && rules.maxDurationMinutes !== undefined && rules.minDurationMinutes > rules.maxDurationMinutes) {
    return [field("/body/rules/minDurationMinutes", "maximum", "must not exceed maxDurationMinutes", { limit: rules.maxDurationMinutes })];
  }
  return [];
}

/**
 * Publishing an instrument `active` needs open hours: otherwise it is listed but never bookable.
 * A well-formed request the rules refuse, so 422 (after the 400s of malformed fields).
 */
function refuseActiveWithoutHours(status: InstrumentDoc["status"], openHours: InstrumentDoc["openHours"], pointer: string): void {
  if (status === "active" && openHours.length === 0) {
    throw new ValidationError([field(pointer, "requiredWhenActive", "an active instrument needs open hours")], "OPEN_HOURS_REQUIRED");
  }
}

/** Slots of an instrument between two instants with their current free counts (set by scheduling). */
export type AvailabilityProbe = (instrumentId: string, start: Date, end: Date) => Promise<Slot[]>;

function searchTextFor(doc: Pick<InstrumentDoc, "name" | "nameEn" | "model" | "manufacturer" | "description">): string {
  return searchTextOf([doc.name, doc.nameEn, doc.model, doc.manufacturer, doc.description].map(foldText));
}

export class InstrumentsService {
  constructor(
    private readonly m: CatalogModels,
    private readonly revisions: RevisionStore<InstrumentDoc>,
    private readonly publishers: Publishers,
    private readonly index: CatalogIndex,
    private readonly bus: DomainEventBus,
  ) {
    this.guard = new CalendarGuard(revisions, () => this.usage);
  }

  private readonly guard: CalendarGuard;
  /** Concurrent availability reads of one instrument share one maintenance-window query. */
  private readonly blackoutReads = new CoalescedReads<{ start: Date; end: Date }, { start: Date; end: Date }[]>((id, ranges) =>
    this.m.blackouts
      .find(
        { instrumentId: id, start: { $lt: new Date(Math.max(...ranges.map((r) => r.end.getTime()))) }, end: { $gt: new Date(Math.min(...ranges.map((r) => r.start.getTime()))) } },
        { _id: 0, start: 1, end: 1 },
      )
      .lean<{ start: Date; end: Date }[]>(),
  );
  /** Scheduling knows the bookings a calendar, status or maintenance change would break. */
  private usage: InstrumentUsage | null = null;
  setUsage(usage: InstrumentUsage): void {
    this.usage = usage;
  }

  /** Scheduling computes free counts; the catalog announces the slots a maintenance window changes. */
  private availabilityProbe: AvailabilityProbe | null = null;
  setAvailabilityProbe(probe: AvailabilityProbe): void {
    this.availabilityProbe = probe;
  }

  private async announceAvailability(instrumentId: string, start: Date, end: Date): Promise<void> {
    if (!this.availabilityProbe) return;
    const changes = await this.availabilityProbe(instrumentId, start, end);
    if (changes.length > 0) this.bus.emit("availability.changed", { instrumentId, changes });
  }

  async create(actor: Actor, body: InstrumentCreateBody): Promise<Instrument> {
    const provider = await this.publishers.forCreate(actor, body.providerId);
    const fields = editable(body);
    const now = new Date();
    const doc: InstrumentDoc = {
      _id: newId(),
      ...provider,
      name: fields.name!,
      ...(fields.nameEn ? { nameEn: fields.nameEn } : {}),
      model: fields.model ?? "",
      manufacturer: fields.manufacturer ?? "",
      category: fields.category!,
      description: fields.description ?? "",
      location: fields.location ?? "",
      priceFen: fields.priceFen!,
      priceUnit: fields.priceUnit!,
      timezone: fields.timezone ?? DEFAULT_TIMEZONE,
      openHours: fields.openHours ?? [],
      slotMinutes: fields.slotMinutes ?? 30,
      capacity: fields.capacity ?? 1,
      status: fields.status ?? "active",
      originalValueFen: fields.originalValueFen!,
      ...(fields.rules ? { rules: fields.rules } : {}),
      searchText: "",
      createdAt: now,
      updatedAt: now,
    };
    doc.searchText = searchTextFor(doc);
    const errors = [
      ...timezoneErrors(doc.timezone, "/body/timezone"),
      ...openHoursErrors(doc.openHours, doc.slotMinutes, "/body/openHours"),
      ...bookingRulesErrors(doc.rules),
    ];
    if (errors.length > 0) throw new ValidationError(errors);
    refuseActiveWithoutHours(doc.status, doc.openHours, "/body/openHours");
    await this.revisions.create(doc, actor.userId);
    this.bus.emit("instrument.changed", { instrumentId: doc._id, providerId: doc.providerId });
    return presentInstrument(doc);
  }

  async update(actor: Actor, id: string, body: InstrumentPatchBody): Promise<Instrument> {
    const fields = editable(body);
    const doc = await this.guard.revise(id, actor.userId, async (current) => {
      const provider = await this.publishers.forEdit(actor, current.providerId);
      const next = { ...current, ...fields };
      const errors = [
        ...(fields.timezone !== undefined ? timezoneErrors(next.timezone, "/body/timezone") : []),
        ...(fields.openHours !== undefined || fields.slotMinutes !== undefined
          ? openHoursErrors(next.openHours, next.slotMinutes, "/body/openHours", fields.openHours ? undefined : "/body/slotMinutes")
          : []),
        ...(fields.rules !== undefined ? bookingRulesErrors(fields.rules) : []),
      ];
      if (errors.length > 0) throw new ValidationError(errors);
      if (fields.status !== undefined || fields.openHours !== undefined) {
        refuseActiveWithoutHours(next.status, next.openHours, fields.openHours !== undefined ? "/body/openHours" : "/body/status");
      }
      if (fields.priceUnit && fields.priceUnit !== current.priceUnit) {
        // A package's items are minutes or samples of their instrument's unit.
        if ((await this.index.current()).packagesUsing(id).length > 0) throw new ConflictError("PRICE_UNIT_IN_USE");
      }
      return { ...fields, ...provider, searchText: searchTextFor(next) };
    });
    this.bus.emit("instrument.changed", { instrumentId: id, providerId: doc.providerId });
    return presentInstrument(doc);
  }

  /**
   * Changes an instrument's photo list as one revision (photos/service.ts says how and checks who):
   * concurrent changes take turns, each `change` seeing the list the one before it left.
   */
  async revisePhotos(id: string, actorId: string, change: (photos: PhotoRef[]) => PhotoRef[]): Promise<PhotoRef[]> {
    const doc = await this.revisions.revise(id, actorId, async (current) => ({ photos: change(current.photos ?? []) }));
    this.bus.emit("instrument.changed", { instrumentId: id, providerId: doc.providerId });
    return doc.photos ?? [];
  }

  /** An instrument's photo list as stored, for serving its files (photos/service.ts). */
  async photoRefs(id: string): Promise<{ providerId: string; photos: PhotoRef[] } | null> {
    const data = (await this.index.current()).instrument(id) ?? (await this.revisions.load(id));
    return data ? { providerId: data.providerId, photos: data.photos ?? [] } : null;
  }

  /**
   * Any instrument, retired ones too (they stay readable for history). Served from the search
   * index, which is exact after its change-log check: on FerretDB even a lookup by `_id` scans the
   * collection, and availability and bookings read the instrument on every request.
   */
  async get(id: string): Promise<Instrument> {
    const data = (await this.index.current()).instrument(id);
    return presentInstrument(data ?? (await this.load(id)));
  }

  /** Every instrument (any status) from the in-memory index, in name order (statistics read these). */
  async all(): Promise<Instrument[]> {
    return (await this.index.current()).allInstruments().map((e) => e.dto);
  }

  async search(query: InstrumentSearchQuery): Promise<InstrumentSearchResult> {
    return searchInstruments(await this.index.current(), query);
  }

  /**
   * The instrument as of its latest revision event (not the search index, which follows the change
   * log a moment later), and whether a calendar change is being checked: booking re-reads this after
   * claiming its slots.
   */
  async fresh(id: string): Promise<{ instrument: Instrument; locked: boolean }> {
    const doc = await this.load(id);
    return { instrument: presentInstrument(doc), locked: calendarLocked(doc) };
  }

  private async load(id: string): Promise<InstrumentDoc> {
    const doc = await this.revisions.load(id);
    if (!doc) throw new NotFoundError();
    return doc;
  }

  async listBlackouts(id: string): Promise<{ items: Blackout[] }> {
    await this.load(id);
    const docs = await this.m.blackouts.find({ instrumentId: id }).sort({ start: 1, _id: 1 }).lean<BlackoutDoc[]>();
    return { items: docs.map(presentBlackout) };
  }

  /** Maintenance windows of an instrument that overlap [start, end) (scheduling reads these). */
  async blackoutsBetween(id: string, start: Date, end: Date): Promise<{ start: Date; end: Date }[]> {
    const windows = await this.blackoutReads.read(id, { start, end });
    return windows.filter((b) => b.start < end && b.end > start);
  }

  /** The same for several instruments in one query (package planning), by instrument id. */
  async blackoutsOfMany(ids: readonly string[], start: Date, end: Date): Promise<Map<string, { start: Date; end: Date }[]>> {
    const docs = await this.m.blackouts
      .find({ instrumentId: { $in: [...ids] }, start: { $lt: end }, end: { $gt: start } }, { _id: 0, instrumentId: 1, start: 1, end: 1 })
      .lean<{ instrumentId: string; start: Date; end: Date }[]>();
    const byInstrument = new Map<string, { start: Date; end: Date }[]>(ids.map((id) => [id, []]));
    for (const d of docs) byInstrument.get(d.instrumentId)?.push({ start: d.start, end: d.end });
    return byInstrument;
  }

  async addBlackout(actor: Actor, id: string, body: BlackoutCreateBody): Promise<Blackout> {
    const instrument = await this.load(id);
    await this.publishers.forEdit(actor, instrument.providerId);
    const start = new Date(body.start);
    const end = new Date(body.end);
    const reason = body.reason.trim();
    const errors = [...blackoutErrors(start, end), ...(reason ? [] : [field("/body/reason", "pattern", "must not be blank", { expected: "notBlank" })])];
    if (errors.length > 0) throw new ValidationError(errors);
    const doc: BlackoutDoc = { _id: newId(), instrumentId: id, start, end, reason, createdBy: actor.userId, createdAt: new Date() };
    // Bookings in the window must be cancelled first. Checked again after the insert: a booking that
    // claimed meanwhile is seen then, and one claiming later sees the window (it re-reads them).
    await this.refuseIfBooked(id, start, end);
    await this.m.blackouts.create(doc);
    try {
      await this.refuseIfBooked(id, start, end);
    } catch (err) {
      await this.m.blackouts.deleteOne({ _id: doc._id });
      throw err;
    }
    this.bus.emit("instrument.changed", { instrumentId: id, providerId: instrument.providerId });
    await this.announceAvailability(id, start, end);
    return presentBlackout(doc);
  }

  private async refuseIfBooked(id: string, start: Date, end: Date): Promise<void> {
    const booked = this.usage ? await this.usage.inside(id, start, end) : [];
    if (booked.length > 0) throw new BookingsInTheWayError("BOOKINGS_AFFECTED", booked);
  }

  async removeBlackout(actor: Actor, id: string, blackoutId: string): Promise<void> {
    const instrument = await this.load(id);
    await this.publishers.forEdit(actor, instrument.providerId);
    const blackout = await this.m.blackouts.findById(blackoutId).lean<BlackoutDoc>();
    if (!blackout || blackout.instrumentId !== id) throw new NotFoundError();
    await this.m.blackouts.deleteOne({ _id: blackoutId });
    this.bus.emit("instrument.changed", { instrumentId: id, providerId: instrument.providerId });
    await this.announceAvailability(id, blackout.start, blackout.end);
  }
}
