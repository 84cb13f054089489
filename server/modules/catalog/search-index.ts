// The per-process, in-memory copy of the catalog that search reads.
//
// Why: FerretDB evaluates every non-`_id` filter by reading the whole collection in Go; measured on
// the embedded server, one `find` over 1,200 instruments takes ~350 ms (projection or not), a
// lookup by `_id` ~0.5 ms. So search cannot ask the database per request. Each process keeps all
// instruments and packages in memory (a city catalog is a few MB) and, before answering, reads the
// catalog change log (changes.ts) by `_id`: if change `head + 1` exists it re-reads the changed
// documents by `_id`, otherwise its copy is exact. Every write — from any process — is therefore
// visible to the next search anywhere, for one indexed lookup per request. The full scan happens
// once per process start, after a bulk load (a change of kind "all"), and every FULL_RELOAD_AFTER_MS
// in the background as a safety net for documents written around the services.
import type { PackagePurpose } from "../../../shared/enums";
import type { Instrument, Package } from "../../../shared/schemas/catalog";
import type { CatalogChangeLog } from "./changes";
import type { CatalogModels, InstrumentDoc, PackageDoc } from "./model";
import { presentInstrument, presentPackage, type InstrumentData, type PackageData } from "./present";

const FULL_RELOAD_AFTER_MS = 10 * 60_000;

/** Case- and width-insensitive text: "ＳＥＭ", "Sem" and "sem" compare equal; CJK is unchanged. */
export function foldText(text: string | undefined): string {
  return (text ?? "").normalize("NFKC").toLowerCase();
}

/** The texts a query term is matched against, strongest first (see search.ts for the weights). */
export interface Haystack {
  name: string;
  secondary: string; // English name, model
  manufacturer: string;
  body: string; // description (and, for packages, the items' instrument names)
}

interface Entry {
  id: string;
  hay: Haystack;
  createdMs: number;
  /** Position in name order (zh collation), for the "name" sort and relevance ties. */
  nameRank: number;
  name: string;
  priceFen: number;
  providerId: string;
}

export interface InstrumentEntry extends Entry {
  data: InstrumentData;
  dto: Instrument;
}

export interface PackageEntry extends Entry {
  data: PackageData;
  dto: Package;
  purpose: PackagePurpose;
}

const collator = new Intl.Collator("zh-Hans-CN", { numeric: true });
const byName = (a: Entry, b: Entry) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function rankByName<E extends Entry>(entries: E[]): E[] {
  entries.sort(byName);
  entries.forEach((e, i) => (e.nameRank = i));
  return entries;
}

function instrumentEntry(data: InstrumentData): InstrumentEntry {
  return {
    id: data._id,
    data,
    dto: presentInstrument(data),
    hay: {
      name: foldText(data.name),
      secondary: foldText(`${data.nameEn ?? ""} \u0001 ${data.model}`),
      manufacturer: foldText(data.manufacturer),
      body: foldText(data.description),
    },
    createdMs: data.createdAt.getTime(),
    nameRank: 0,
    name: data.name,
    priceFen: data.priceFen,
    providerId: data.providerId,
  };
}

/** One consistent copy of the catalog, current up to change number `head`. */
export class CatalogSnapshot {
  private readonly instruments = new Map<string, InstrumentEntry>();
  private readonly packages = new Map<string, PackageData>();
  private instrumentList: InstrumentEntry[] | null = null;
  private packageList: PackageEntry[] | null = null;

  constructor(
    public head: number,
    instruments: InstrumentData[],
    packages: PackageData[],
    readonly loadedAt = Date.now(),
  ) {
    for (const doc of instruments) this.instruments.set(doc._id, instrumentEntry(doc));
    for (const doc of packages) this.packages.set(doc._id, doc);
  }

  setInstrument(id: string, data: InstrumentData | null): void {
    const before = this.instruments.get(id);
    const entry = data && instrumentEntry(data);
    if (entry) this.instruments.set(id, entry);
    else this.instruments.delete(id);
    if (entry && before && entry.name === before.name && this.instrumentList) {
      // Same name, same place in name order: swap it in rather than sort everything again.
      entry.nameRank = before.nameRank;
      this.instrumentList[before.nameRank] = entry;
    } else {
      this.instrumentList = null;
    }
    this.packageList = null; // package prices and texts come from their instruments
  }

  setPackage(id: string, data: PackageData | null): void {
    if (data) this.packages.set(id, data);
    else this.packages.delete(id);
    this.packageList = null;
  }

  instrument(id: string): InstrumentData | undefined {
    return this.instruments.get(id)?.data;
  }

  package(id: string): PackageData | undefined {
    return this.packages.get(id);
  }

  /** Every package (any status) that has the instrument among its items. */
  packagesUsing(instrumentId: string): PackageData[] {
    return [...this.packages.values()].filter((p) => p.items.some((item) => item.instrumentId === instrumentId));
  }

  /** All instruments (any status), in name order. */
  allInstruments(): InstrumentEntry[] {
    return (this.instrumentList ??= rankByName([...this.instruments.values()]));
  }

  /** All packages (any status), in name order, priced from the current instruments. */
  allPackages(): PackageEntry[] {
    if (!this.packageList) {
      const instrument = (id: string) => this.instrument(id);
      const entries: PackageEntry[] = [];
      for (const data of this.packages.values()) {
        // A package whose instrument is gone was written around the services: leave it out of search.
        if (!data.items.every((item) => instrument(item.instrumentId))) continue;
        const dto = presentPackage(data, instrument);
        entries.push({
          id: data._id,
          data,
          dto,
          purpose: data.purpose,
          hay: {
            name: foldText(data.name),
            secondary: foldText(data.nameEn),
            manufacturer: "",
            body: foldText(`${data.description} \u0001 ${dto.items.map((i) => i.instrumentName).join(" \u0001 ")}`),
          },
          createdMs: data.createdAt.getTime(),
          nameRank: 0,
          name: data.name,
          priceFen: data.priceFen,
          providerId: data.providerId,
        });
      }
      this.packageList = rankByName(entries);
    }
    return this.packageList;
  }
}

export class CatalogIndex {
  private snapshot: CatalogSnapshot | null = null;
  /** Catch-ups run one at a time, in arrival order (two interleaved ones could apply an older read last). */
  private chain: Promise<unknown> = Promise.resolve();
  /** A catch-up queued but not started yet: callers arriving now can share it. */
  private queued: Promise<CatalogSnapshot> | null = null;
  private reloading = false;

  constructor(
    private readonly m: CatalogModels,
    private readonly changes: CatalogChangeLog,
    /** Current versions by `_id`, pending edits applied (revisions.ts). */
    private readonly load: {
      instrument: (id: string) => Promise<InstrumentDoc | null>;
      package: (id: string) => Promise<PackageDoc | null>;
    },
  ) {}

  /** The catalog including every change recorded before this call (from any process). */
  current(): Promise<CatalogSnapshot> {
    if (!this.queued) {
      const next = this.chain.then(() => {
        this.queued = null; // from here on, new callers may have written after this check began
        return this.catchUp();
      });
      this.queued = next;
      this.chain = next.catch(() => undefined);
    }
    return this.queued;
  }

  private async catchUp(): Promise<CatalogSnapshot> {
    if (!this.snapshot) return (this.snapshot = await this.loadAll());
    const snap = this.snapshot;
    for (;;) {
      const change = await this.changes.read(snap.head + 1);
      if (!change) break;
      if (change.kind === "all") return (this.snapshot = await this.loadAll());
      if (change.kind === "instrument") snap.setInstrument(change.id, await this.load.instrument(change.id));
      else snap.setPackage(change.id, await this.load.package(change.id));
      snap.head = change.n;
    }
    if (Date.now() - snap.loadedAt > FULL_RELOAD_AFTER_MS) this.reloadInBackground();
    return snap;
  }

  /** The head is read before the documents, so every change after it is caught up later. */
  private async loadAll(): Promise<CatalogSnapshot> {
    const head = await this.changes.head();
    const [instruments, packages] = await Promise.all([
      this.m.instruments.find({}, { searchText: 0 }).batchSize(100_000).lean<InstrumentData[]>(),
      this.m.packages.find({}, { searchText: 0 }).batchSize(100_000).lean<PackageData[]>(),
    ]);
    return new CatalogSnapshot(head, instruments, packages);
  }

  /** Serves the current copy meanwhile; the next catch-up continues from the new copy's head. */
  private reloadInBackground(): void {
    if (this.reloading) return;
    this.reloading = true;
    this.loadAll()
      .then((snap) => (this.snapshot = snap))
      .catch(() => undefined) // the copy in use stays exact through the change log; retried next time
      .finally(() => (this.reloading = false));
  }
}
