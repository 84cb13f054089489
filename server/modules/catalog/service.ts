// The catalog module wired to one connection: instruments, packages, their shared search index.
import type { Connection } from "mongoose";
import type { EventModel } from "../../db/event-store";
import type { DomainEventBus } from "../../events";
import { CatalogChangeLog } from "./changes";
import { InstrumentsService } from "./instruments";
import { catalogModels, type InstrumentDoc, type PackageDoc } from "./model";
import { PackagesService } from "./packages";
import { Publishers, type ProviderLookup } from "./publishers";
import { RevisionStore } from "./revisions";
import { CatalogIndex } from "./search-index";

export function createCatalogServices(conn: Connection, providers: ProviderLookup, events: EventModel, bus: DomainEventBus) {
  const m = catalogModels(conn);
  const changes = new CatalogChangeLog(conn);
  const publishers = new Publishers(providers);
  const instrumentRevisions = new RevisionStore<InstrumentDoc>(m.instruments, events, async (id) => {
    await changes.append({ kind: "instrument", id });
  });
  const packageRevisions = new RevisionStore<PackageDoc>(m.packages, events, async (id) => {
    await changes.append({ kind: "package", id });
  });
  const index = new CatalogIndex(m, changes, {
    instrument: (id) => instrumentRevisions.load(id),
    package: (id) => packageRevisions.load(id),
  });
  return {
    instruments: new InstrumentsService(m, instrumentRevisions, publishers, index, bus),
    packages: new PackagesService(packageRevisions, instrumentRevisions, publishers, index, bus, events),
  };
}
