// Packaged services (打包服务): several instrument tests sold as one service, one application, one
// price (DESIGN.md). Items are the provider's own instruments or any approved partner's.
import type { FieldError } from "../../../shared/errors";
import type {
  Package,
  PackageCreateBody,
  PackageItemInput,
  PackagePatchBody,
  PackageSearchQuery,
  PackageSearchResult,
} from "../../../shared/schemas/catalog";
import { newId } from "../../db/ids";
import { appendEvent, readEvent, type EventModel } from "../../db/event-store";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../errors";
import type { DomainEventBus } from "../../events";
import type { Actor } from "../accounts/actor";
import { searchTextOf, type InstrumentDoc, type PackageDoc, type PackageItemDoc } from "./model";
import { presentPackage } from "./present";
import type { Publishers } from "./publishers";
import type { RevisionStore } from "./revisions";
import { itemListPriceFen } from "../../../shared/money";
import { field, MAX_FEN } from "./rules";
import { searchPackages } from "./search";
import { foldText, type CatalogIndex } from "./search-index";
import { decisionStream, termsOf, type Decision } from "./partners";

type Instruments = Map<string, InstrumentDoc>;

function searchTextFor(doc: Pick<PackageDoc, "name" | "nameEn" | "description">): string {
  return searchTextOf([doc.name, doc.nameEn, doc.description].map(foldText));
}

/** Stored items: minutes or samples, whichever the body gave (checked against the unit separately). */
function storedItems(items: PackageItemInput[]): PackageItemDoc[] {
  return items.map(({ instrumentId, minutes, samples }) => ({
    instrumentId,
    ...(minutes !== undefined ? { minutes } : {}),
    ...(samples !== undefined ? { samples } : {}),
  }));
}

export class PackagesService {
  constructor(
    private readonly revisions: RevisionStore<PackageDoc>,
    private readonly instrumentRevisions: RevisionStore<InstrumentDoc>,
    private readonly publishers: Publishers,
    private readonly index: CatalogIndex,
    private readonly bus: DomainEventBus,
    private readonly events: EventModel,
  ) {}

  async create(actor: Actor, body: PackageCreateBody): Promise<Package> {
    const provider = await this.publishers.forCreate(actor, body.providerId);
    const items = storedItems(body.items);
    const instruments = await this.checkItems(items, provider.providerId);
    const now = new Date();
    const doc: PackageDoc = {
      _id: newId(),
      ...provider,
      name: body.name.trim(),
      ...(body.nameEn?.trim() ? { nameEn: body.nameEn.trim() } : {}),
      description: body.description?.trim() ?? "",
      purpose: body.purpose,
      status: body.status ?? "active",
      items,
      priceFen: body.priceFen,
      searchText: "",
      termsAt: now.getTime(),
      partnerDecisions: {},
      createdAt: now,
      updatedAt: now,
    };
    doc.searchText = searchTextFor(doc);
    await this.revisions.create(doc, actor.userId);
    this.bus.emit("package.changed", { packageId: doc._id, providerId: doc.providerId });
    return presentPackage(doc, (id) => instruments.get(id));
  }

  async update(actor: Actor, id: string, body: PackagePatchBody): Promise<Package> {
    let instruments: Instruments | undefined;
    const doc = await this.revisions.revise(id, actor.userId, async (current) => {
      const provider = await this.publishers.forEdit(actor, current.providerId);
      const set: Partial<PackageDoc> = { ...provider };
      if (body.name !== undefined) set.name = body.name.trim();
      if (body.nameEn !== undefined) set.nameEn = body.nameEn.trim();
      if (body.description !== undefined) set.description = body.description.trim();
      if (body.purpose !== undefined) set.purpose = body.purpose;
      if (body.status !== undefined) set.status = body.status;
      if (body.priceFen !== undefined) set.priceFen = body.priceFen;
      if (body.items !== undefined) {
        set.items = storedItems(body.items);
        instruments = await this.checkItems(set.items, current.providerId);
      }
      // New items or a new price are a new offer: every partner answers again (partners.ts).
      const items = set.items ?? current.items;
      const priceFen = set.priceFen ?? current.priceFen;
      if (JSON.stringify(items) !== JSON.stringify(current.items) || priceFen !== current.priceFen) {
        set.termsAt = Math.max(Date.now(), termsOf(current) + 1);
      }
      set.searchText = searchTextFor({ ...current, ...set });
      return set;
    });
    this.bus.emit("package.changed", { packageId: id, providerId: doc.providerId });
    const priced = instruments ?? (await this.loadInstruments(doc.items));
    return presentPackage(doc, (iid) => priced.get(iid));
  }

  async get(id: string): Promise<Package> {
    const doc = await this.revisions.load(id);
    if (!doc) throw new NotFoundError();
    const instruments = await this.loadInstruments(doc.items);
    return presentPackage(doc, (iid) => instruments.get(iid));
  }

  /** Packages of other providers that use the caller's provider's instruments: its partner requests. */
  async partnerRequests(actor: Actor): Promise<{ items: Package[] }> {
    const m = actor.membership;
    if (m?.orgType !== "provider") throw new ForbiddenError();
    const entries = (await this.index.current()).allPackages();
    return { items: entries.map((e) => e.dto).filter((p) => p.partners.some((partner) => partner.providerId === m.orgId)) };
  }

  /**
   * A partner's answer to the package's current terms, by a member of that partner. The event insert
   * decides (partners.ts); repeating the same answer is fine, the opposite answer is 409.
   */
  async decide(actor: Actor, id: string, providerId: string, decision: Decision, reason?: string): Promise<Package> {
    const m = actor.membership;
    if (m?.orgType !== "provider" || m.orgId !== providerId) throw new ForbiddenError();
    const current = await this.revisions.load(id);
    if (!current) throw new NotFoundError();
    if (!(await this.get(id)).partners.some((p) => p.providerId === providerId)) throw new NotFoundError();
    const terms = termsOf(current);
    const stream = decisionStream(id, providerId);
    const data = { items: current.items, priceFen: current.priceFen, ...(reason ? { reason } : {}) };
    if (!(await appendEvent(this.events, { aggregateId: stream, seq: terms, type: decision, data, actorId: actor.userId }))) {
      const prior = await readEvent(this.events, stream, terms);
      if (prior && prior.type !== decision) throw new ConflictError("PARTNER_ALREADY_DECIDED", { decision: prior.type });
    }
    const doc = await this.revisions.revise(id, actor.userId, async (cur) =>
      // Terms changed since: this answer was to the older ones and stays in the history only.
      termsOf(cur) === terms ? { partnerDecisions: { ...(cur.partnerDecisions ?? {}), [providerId]: { decision, termsAt: terms } } } : {},
    );
    this.bus.emit("package.changed", { packageId: id, providerId: doc.providerId });
    return this.get(id);
  }

  /**
   * The package as the in-memory catalog holds it (current with every recorded change, like
   * `InstrumentsService.get`): no database read beyond the change log, for the booking paths.
   */
  async current(id: string): Promise<Package> {
    const snap = await this.index.current();
    const data = snap.package(id);
    if (!data || !data.items.every((item) => snap.instrument(item.instrumentId))) return this.get(id);
    return presentPackage(data, (iid) => snap.instrument(iid));
  }

  async search(query: PackageSearchQuery): Promise<PackageSearchResult> {
    return searchPackages(await this.index.current(), query);
  }

  private async loadInstruments(items: PackageItemDoc[]): Promise<Instruments> {
    const ids = [...new Set(items.map((item) => item.instrumentId))];
    const docs = await Promise.all(ids.map((iid) => this.instrumentRevisions.load(iid)));
    return new Map(docs.flatMap((doc) => (doc ? [[doc._id, doc] as const] : [])));
  }

  /**
   * Every item names an instrument in service (not retired) of this provider or of an approved
   * partner, with minutes for an hourly instrument or samples for a per-sample one; list prices stay
   * within the money range. Reports every failing item at once.
   */
  private async checkItems(items: PackageItemDoc[], providerId: string): Promise<Instruments> {
    const instruments = await this.loadInstruments(items);
    const partners = new Map<string, Promise<boolean>>();
    const approved = (pid: string) => {
      if (!partners.has(pid)) partners.set(pid, this.publishers.isApproved(pid));
      return partners.get(pid)!;
    };
    const errors: FieldError[] = [];
    let total = 0;
    for (const [i, item] of items.entries()) {
      const at = `/body/items/${i}`;
      const inst = instruments.get(item.instrumentId);
      if (!inst) {
        errors.push(field(`${at}/instrumentId`, "exists", "no such instrument"));
        continue;
      }
      if (inst.status === "retired") errors.push(field(`${at}/instrumentId`, "inService", "the instrument is retired"));
      if (inst.providerId !== providerId && !(await approved(inst.providerId))) {
        errors.push(field(`${at}/instrumentId`, "providerApproved", "the instrument's provider is not approved"));
      }
      const [needed, other] = inst.priceUnit === "hour" ? (["minutes", "samples"] as const) : (["samples", "minutes"] as const);
      if (item[needed] === undefined) {
        errors.push(field(`${at}/${needed}`, "required", `the instrument is priced per ${inst.priceUnit}: give ${needed}`, { priceUnit: inst.priceUnit }));
        continue;
      }
      if (item[other] !== undefined) {
        errors.push(field(`${at}/${other}`, "notApplicable", `the instrument is priced per ${inst.priceUnit}`, { priceUnit: inst.priceUnit }));
      }
      const listPriceFen = itemListPriceFen(inst.priceFen, inst.priceUnit, item);
      if (listPriceFen > MAX_FEN) errors.push(field(`${at}/${needed}`, "maximum", "list price out of range", { limit: MAX_FEN }));
      total += listPriceFen;
    }
    if (errors.length === 0 && total > MAX_FEN) errors.push(field("/body/items", "maximum", "list price out of range", { limit: MAX_FEN }));
    if (errors.length > 0) throw new ValidationError(errors);
    return instruments;
  }
}
