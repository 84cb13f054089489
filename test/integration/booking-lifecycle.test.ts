// The lifecycle rules a lab expects, with the service clock moved: check-in from 30 minutes before
// the start until the end, completion only after check-in, no-show only after the start; and
// packages across providers, where each item is confirmed, checked in and completed by its own
// instrument's provider only.
import { expect } from "chai";
import { startTestServer, type TestServer } from "../support/server";
import { atTime } from "../support/clock";
import { apiClient, type ApiClient, expectStatus } from "../support/http";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { acceptAsPartners, publishInstrument, publishPackage, shanghai } from "../factories/catalog";

const MINUTE = 60_000;

describe("the booking lifecycle rules", function () {
  this.timeout(60_000);
  let t: TestServer;
  let api: ApiClient;
  let provider: TestUser;
  let partner: TestUser;
  let ent: TestUser;
  let day = 3;
  const scheduling = () => t.server.services.scheduling;
  const act = (who: TestUser, id: string, action: string, body: Record<string, unknown> = {}) => api.post(`/api/bookings/${id}/${action}`, body, { token: who.token });
  const at = <T>(ms: number, f: () => Promise<T>) => atTime(scheduling(), ms, f);

  before(async () => {
    t = await startTestServer("booking-lifecycle");
    api = apiClient(t.baseUrl);
    const bureau = await login(api, t.admin.email, t.admin.password);
    [provider, partner, ent] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau)]);
  });
  after(() => t.stop());

  async function confirmedBooking() {
    const inst = await publishInstrument(api, provider, { rules: { requiresConfirmation: false } });
    const d = day++;
    const res = await api.post("/api/bookings", { instrumentId: inst.id, start: shanghai(d, "09:00"), end: shanghai(d, "10:00") }, { token: ent.token });
    expectStatus(res, 201);
    expect(res.body.status).to.equal("confirmed");
    return { id: res.body.id as string, start: Date.parse(res.body.items[0].start), end: Date.parse(res.body.items[0].end) };
  }

  describe("check-in", () => {
    it("answers 422 CHECK_IN_TOO_EARLY until 30 minutes before the start, then checks in", async () => {
      const b = await confirmedBooking();
      const early = await at(b.start - 31 * MINUTE, () => act(provider, b.id, "check-in"));
      expectStatus(early, 422, "CHECK_IN_TOO_EARLY");
      expect(early.body.error.message).to.include("30");
      expectStatus(await act(provider, b.id, "check-in"), 422, "CHECK_IN_TOO_EARLY"); // days ahead, real clock
      const ok = await at(b.start - 30 * MINUTE, () => act(provider, b.id, "check-in"));
      expectStatus(ok, 200);
      expect(ok.body.status).to.equal("in_progress");
      expect(ok.body.items[0].checkedInAt).to.be.a("string");
    });

    it("answers 422 CHECK_IN_CLOSED from the end of the booked time on", async () => {
      const b = await confirmedBooking();
      expectStatus(await at(b.end, () => act(provider, b.id, "check-in")), 422, "CHECK_IN_CLOSED");
      expectStatus(await at(b.end + 3600_000, () => act(provider, b.id, "check-in")), 422, "CHECK_IN_CLOSED");
      expectStatus(await at(b.end - MINUTE, () => act(provider, b.id, "check-in")), 200);
    });

    it("answers in English too", async () => {
      const b = await confirmedBooking();
      const res = await at(b.start - 2 * 3600_000, () => api.post(`/api/bookings/${b.id}/check-in`, {}, { token: provider.token, headers: { "Accept-Language": "en" } }));
      expectStatus(res, 422, "CHECK_IN_TOO_EARLY");
      expect(res.body.error.message).to.equal("Check-in opens 30 minutes before the start");
    });
  });

  describe("completion and no-show", () => {
    it("completes only after check-in (409 while confirmed), and records no-show only after the start and before any check-in", async () => {
      const b = await confirmedBooking();
      expectStatus(await act(provider, b.id, "complete", { contractAmountFen: 100, reportNumber: "R" }), 409, "INVALID_TRANSITION");
      expectStatus(await at(b.start - MINUTE, () => act(provider, b.id, "no-show")), 422, "NOT_STARTED");
      expectStatus(await at(b.start, () => act(provider, b.id, "check-in")), 200);
      expectStatus(await at(b.start + MINUTE, () => act(provider, b.id, "no-show")), 409, "INVALID_TRANSITION");
      const done = await at(b.end, () => act(provider, b.id, "complete", { contractAmountFen: 30000, reportNumber: "LC-1" }));
      expectStatus(done, 200);
      expect(done.body).to.include({ status: "completed", contractAmountFen: 30000, reportNumber: "LC-1" });
    });
  });

  describe("a package across providers", () => {
    /** Provider's package: its own instrument (no confirmation) then the partner's (confirmation required). */
    async function crossPackage(partnerRules: Record<string, unknown> = {}, ownRules: Record<string, unknown> = { requiresConfirmation: false }) {
      const [own, theirs] = await Promise.all([
        publishInstrument(api, provider, { rules: ownRules }),
        publishInstrument(api, partner, { rules: { requiresConfirmation: true, ...partnerRules } }),
      ]);
      const pkg = await publishPackage(api, provider, [{ instrumentId: own.id, minutes: 60 }, { instrumentId: theirs.id, minutes: 60 }]);
      await acceptAsPartners(api, pkg.id, [partner]);
      const res = await api.post("/api/bookings", { packageId: pkg.id, start: shanghai(day++, "08:00") }, { token: ent.token });
      expectStatus(res, 201);
      const items = res.body.items as { instrumentId: string; providerId: string; start: string; end: string }[];
      const ownItem = items.findIndex((i) => i.instrumentId === own.id);
      const theirItem = items.findIndex((i) => i.instrumentId === theirs.id);
      return { booking: res.body, ownItem, theirItem, items };
    }

    it("waits for the partner's confirmation; the package's provider cannot confirm for it", async () => {
      const { booking } = await crossPackage();
      expect(booking.status).to.equal("pending");
      expect(booking.confirmationsRequired).to.deep.equal([partner.orgId]);
      expectStatus(await act(provider, booking.id, "confirm"), 403, "ITEM_NOT_YOURS");
      const confirmed = await act(partner, booking.id, "confirm");
      expectStatus(confirmed, 200);
      expect(confirmed.body.status).to.equal("confirmed");
      expect(confirmed.body.confirmedBy).to.deep.equal([partner.orgId]);
      expect(confirmed.body.history.at(-1)).to.include({ type: "confirmed", status: "confirmed", providerId: partner.orgId });
      expectStatus(await act(partner, booking.id, "confirm"), 409, "INVALID_TRANSITION");
    });

    it("stays pending until every provider whose items need confirmation has confirmed", async () => {
      const { booking } = await crossPackage({}, { requiresConfirmation: true });
      expect(booking.confirmationsRequired).to.have.members([provider.orgId, partner.orgId]);
      const first = await act(partner, booking.id, "confirm");
      expect(first.body).to.include({ status: "pending" });
      expectStatus(await act(partner, booking.id, "confirm"), 409, "INVALID_TRANSITION");
      const second = await act(provider, booking.id, "confirm");
      expect(second.body).to.include({ status: "confirmed" });
      expect(second.body.confirmedBy).to.have.members([provider.orgId, partner.orgId]);
    });

    it("records exactly one confirmation per provider when both providers' confirms race (20 each), and ends confirmed", async () => {
      const { booking } = await crossPackage({}, { requiresConfirmation: true });
      const results = await Promise.all([...Array(20).keys()].flatMap(() => [act(provider, booking.id, "confirm"), act(partner, booking.id, "confirm")]));
      expect(results.filter((r) => r.status >= 500)).to.deep.equal([]);
      expect(results.filter((r) => r.status === 200)).to.have.length(2);
      const final = await api.get(`/api/bookings/${booking.id}`, { token: partner.token });
      expect(final.body.status).to.equal("confirmed");
      const confirmations = final.body.history.filter((h: { type: string }) => h.type === "confirmed");
      expect(confirmations.map((h: { providerId: string }) => h.providerId)).to.have.members([provider.orgId, partner.orgId]);
      expect(confirmations.map((h: { status: string }) => h.status)).to.deep.equal(["pending", "confirmed"]);
    });

    it("is confirmed at once when no provider requires confirmation", async () => {
      const { booking } = await crossPackage({ requiresConfirmation: false });
      expect(booking.status).to.equal("confirmed");
      expect(booking.confirmationsRequired).to.deep.equal([]);
    });

    it("lets each provider check in and complete only its own item; the booking completes with the last item", async () => {
      const { booking, ownItem, theirItem, items } = await crossPackage();
      await act(partner, booking.id, "confirm");
      const startOf = (k: number) => Date.parse(items[k]!.start);
      // The package's provider may not act on the partner's instrument time.
      expectStatus(await at(startOf(theirItem), () => act(provider, booking.id, "check-in", { item: theirItem })), 403, "ITEM_NOT_YOURS");
      const checkedIn = await at(startOf(theirItem), () => act(partner, booking.id, "check-in"));
      expectStatus(checkedIn, 200);
      expect(checkedIn.body.status).to.equal("in_progress");
      expect(checkedIn.body.items[theirItem].checkedInAt).to.be.a("string");
      expect(checkedIn.body.items[ownItem].checkedInAt).to.equal(undefined);
      expectStatus(await act(provider, booking.id, "complete", { contractAmountFen: 1, reportNumber: "X", item: theirItem }), 403, "ITEM_NOT_YOURS");
      expectStatus(await act(provider, booking.id, "complete", { contractAmountFen: 1, reportNumber: "X" }), 422, "NOT_CHECKED_IN");
      const partDone = await act(partner, booking.id, "complete", { contractAmountFen: 8000, reportNumber: "Y-1" });
      expectStatus(partDone, 200);
      expect(partDone.body.status).to.equal("in_progress");
      expect(partDone.body.items[theirItem]).to.include({ contractAmountFen: 8000, reportNumber: "Y-1" });
      expectStatus(await act(partner, booking.id, "complete", { contractAmountFen: 1, reportNumber: "Y-2", item: theirItem }), 409, "INVALID_TRANSITION");
      expectStatus(await at(startOf(ownItem), () => act(provider, booking.id, "check-in", { item: ownItem })), 200);
      const done = await act(provider, booking.id, "complete", { contractAmountFen: 12000, reportNumber: "X-1" });
      expectStatus(done, 200);
      expect(done.body).to.include({ status: "completed", contractAmountFen: 20000 });
      expect(done.body.reportNumber.split(", ")).to.have.members(["X-1", "Y-1"]);
      const rebuilt = await scheduling().rebuildBooking(booking.id);
      expect(rebuilt!.status).to.equal("completed");
      expect(rebuilt!.items.every((i) => i.completedAt)).to.equal(true);
    });

    it("lets the package's provider cancel with a reason, and the partner reject its part", async () => {
      const a = await crossPackage();
      expectStatus(await act(provider, a.booking.id, "cancel", {}), 400, "VALIDATION_FAILED");
      const cancelled = await act(provider, a.booking.id, "cancel", { reason: "合作方仪器故障" });
      expect(cancelled.body.status).to.equal("cancelled");
      const b = await crossPackage();
      const rejected = await act(partner, b.booking.id, "reject", { reason: "样品不符" });
      expect(rejected.body.status).to.equal("rejected");
    });
  });
});
