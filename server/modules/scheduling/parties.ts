// Who a booking brings together, for its detail page and its slip (预约单): the enterprise, each
// provider with its address and contact, each instrument with its location and zone. Read by `_id`
// (the providers' projections and contacts) and from the in-memory catalog (the instruments).
import type { BookingParties } from "../../../shared/schemas/scheduling";
import { NotFoundError } from "../../errors";
import type { Actor } from "../accounts/actor";
import { DEFAULT_TIMEZONE } from "../catalog/instruments";
import type { SchedulingCore } from "./core";
import { load, relation } from "./reads";

export async function bookingParties(core: SchedulingCore, actor: Actor, id: string): Promise<BookingParties> {
  const doc = await load(core, id);
  if (!doc || !relation(actor, doc).visible) throw new NotFoundError();
  const orgs = core.d.organizations;
  // The acting provider first: it is the one the enterprise deals with.
  const providerIds = [doc.actingProviderId, ...doc.providerIds.filter((p) => p !== doc.actingProviderId)];
  const [providers, contacts, instruments] = await Promise.all([
    Promise.all(providerIds.map((p) => orgs.stream.load("provider", p))),
    orgs.contacts.many(providerIds),
    Promise.all(doc.instrumentIds.map((i) => core.d.instruments.get(i).catch(() => null))),
  ]);
  return {
    bookingId: doc._id,
    enterprise: { id: doc.enterpriseId, name: doc.enterpriseName },
    providers: providerIds.map((p, k) => ({ id: p, name: providers[k]?.name ?? "", contact: contacts.get(p) ?? null })),
    instruments: doc.instrumentIds.map((i, k) => {
      const inst = instruments[k];
      const name = inst?.name ?? doc.items.find((item) => item.instrumentId === i)?.instrumentName ?? "";
      return { id: i, name, ...(inst?.location ? { location: inst.location } : {}), timezone: inst?.timezone ?? DEFAULT_TIMEZONE };
    }),
  };
}
