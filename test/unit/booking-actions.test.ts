// The provider's buttons as a pure function of (booking, provider, now): only what the server allows.
import { expect } from "chai";
import { bookerMayCancel, providerOffers } from "../../shared/booking-actions";
import type { Booking } from "../../shared/schemas/scheduling";

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const START = Date.parse("2026-12-10T01:00:00Z");
const item = (providerId: string, startMs: number, extra: Record<string, unknown> = {}) => ({
  instrumentId: `i-${providerId}-${startMs}`, instrumentName: "SEM", providerId, unit: 0,
  start: new Date(startMs).toISOString(), end: new Date(startMs + 60 * MIN).toISOString(),
  parts: [{ start: new Date(startMs).toISOString(), end: new Date(startMs + 60 * MIN).toISOString() }], ...extra,
});
function booking(over: Partial<Booking>): Booking {
  return {
    id: "b", kind: "instrument", status: "confirmed", enterpriseId: "e", enterpriseName: "E", providerIds: ["p"], actingProviderId: "p",
    title: "t", items: [item("p", START)], confirmationsRequired: [], confirmedBy: [], priceFen: 1, useVoucher: false, history: [],
    createdAt: "2026-12-01T00:00:00Z", updatedAt: "2026-12-01T00:00:00Z", ...over,
  } as Booking;
}
const actions = (b: Booking, org: string, now: number) => providerOffers(b, org, now).offers.map((o) => o.item === undefined ? o.action : `${o.action}#${o.item}`);

describe("the provider's booking actions", () => {
  it("offers check-in from 30 minutes before the start until the end, with the opening time before", () => {
    const b = booking({});
    expect(actions(b, "p", START - 31 * MIN)).to.deep.equal(["cancel"]);
    expect(providerOffers(b, "p", START - 31 * MIN).checkInOpensAt).to.equal(START - 30 * MIN);
    expect(actions(b, "p", START - 30 * MIN)).to.deep.equal(["check-in#0", "cancel"]);
    expect(actions(b, "p", START)).to.deep.equal(["check-in#0", "no-show", "cancel"]);
    expect(actions(b, "p", START + 60 * MIN)).to.deep.equal(["no-show", "cancel"]);
  });

  it("offers completion only for a checked-in item, and no no-show once someone checked in", () => {
    const b = booking({ status: "in_progress", items: [item("p", START, { checkedInAt: new Date(START).toISOString() })] });
    expect(actions(b, "p", START + MIN)).to.deep.equal(["complete#0"]);
  });

  it("in a package across providers, offers each provider its own part only", () => {
    const b = booking({
      kind: "package", status: "pending", providerIds: ["x", "y"], actingProviderId: "x",
      items: [item("x", START), item("y", START + 120 * MIN, { requiresConfirmation: true })], confirmationsRequired: ["y"],
    });
    expect(actions(b, "x", START - DAY)).to.deep.equal(["reject", "cancel"]);
    expect(actions(b, "y", START - DAY)).to.deep.equal(["confirm", "reject", "cancel"]);
    const confirmed = { ...b, status: "confirmed" as const, confirmedBy: ["y"] };
    expect(actions(confirmed, "x", START)).to.deep.equal(["check-in#0", "no-show", "cancel"]);
    expect(actions(confirmed, "y", START)).to.deep.equal(["no-show", "cancel"]);
    expect(actions(confirmed, "y", START + 100 * MIN)).to.deep.equal(["check-in#1", "no-show", "cancel"]);
    expect(actions(confirmed, "z", START)).to.deep.equal([]);
  });
});

describe("the booker's cancel action", () => {
  it("is offered while pending, while confirmed until the deadline, and never once the booking runs or has ended", () => {
    const deadline = new Date(START - DAY).toISOString();
    expect(bookerMayCancel(booking({ status: "pending", cancelDeadline: deadline }), START)).to.equal(true);
    expect(bookerMayCancel(booking({ status: "confirmed", cancelDeadline: deadline }), START - DAY), "at the deadline").to.equal(true);
    expect(bookerMayCancel(booking({ status: "confirmed", cancelDeadline: deadline }), START - DAY + 1)).to.equal(false);
    expect(bookerMayCancel(booking({ status: "confirmed" }), START)).to.equal(true);
    for (const status of ["in_progress", "completed", "cancelled", "rejected", "expired", "no_show"] as const) {
      expect(bookerMayCancel(booking({ status }), START - 2 * DAY), status).to.equal(false);
    }
  });
});
