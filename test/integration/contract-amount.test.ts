// The contract amount of a completed booking (issue 10): the provider records it at completion,
// never above the booked price by more than the extras it declares (with a reason); the booker
// acknowledges it, or disputes it and the provider records it again. Each decision is booking event
// `<id>:<n>`, so racing acknowledgements and disputes have exactly one winner.
import { expect } from "chai";
import { startTestServer, type TestServer } from "../support/server";
import { atTime } from "../support/clock";
import { apiClient, type ApiClient, expectStatus } from "../support/http";
import { login, orgAdmin, orgMember, type TestUser } from "../factories/accounts";
import { acceptAsPartners, publishInstrument, publishPackage, shanghai } from "../factories/catalog";

const PRICE_FEN = 30000; // one hour of the factory instrument

describe("the contract amount of a completed booking", function () {
  this.timeout(120_000);
  let t: TestServer;
  let api: ApiClient;
  let provider: TestUser;
  let ent: TestUser;
  let entMember: TestUser;
  let otherEnt: TestUser;
  let partner: TestUser;
  let day = 2;
  const act = (who: TestUser, id: string, action: string, body: Record<string, unknown> = {}) => api.post(`/api/bookings/${id}/${action}`, body, { token: who.token });

  before(async () => {
    t = await startTestServer("contract-amount");
    api = apiClient(t.baseUrl);
    const bureau = await login(api, t.admin.email, t.admin.password);
    [provider, ent, otherEnt] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau), orgAdmin(api, "enterprise", bureau)]);
    entMember = await orgMember(api, ent, "enterprise_member");
    partner = await orgAdmin(api, "provider", bureau);
  });
  after(() => t.stop());

  /** A booking of `ent` checked in at its start, ready to complete. */
  async function inProgress() {
    const inst = await publishInstrument(api, provider, { rules: { requiresConfirmation: false } });
    const d = day++;
    const res = await api.post("/api/bookings", { instrumentId: inst.id, start: shanghai(d, "09:00"), end: shanghai(d, "10:00") }, { token: ent.token });
    expectStatus(res, 201);
    const start = Date.parse(res.body.items[0].start);
    expectStatus(await atTime(t.server.services.scheduling, start, () => act(provider, res.body.id, "check-in")), 200);
    return res.body.id as string;
  }
  async function completed(amountFen = 28000) {
    const id = await inProgress();
    expectStatus(await act(provider, id, "complete", { contractAmountFen: amountFen, reportNumber: "LC-9" }), 200);
    return id;
  }

  describe("recording at completion", () => {
    it("records the amount as awaiting the booker's acknowledgement", async () => {
      const id = await inProgress();
      const res = await act(provider, id, "complete", { contractAmountFen: 28000, reportNumber: "LC-1" });
      expectStatus(res, 200);
      expect(res.body.contract).to.include({ status: "recorded", amountFen: 28000, extrasFen: 0 });
      expect(res.body.contract.recordedAt).to.be.a("string");
    });

    it("answers 422 CONTRACT_OVER_PRICE above the booked price and leaves the booking in progress", async () => {
      const id = await inProgress();
      const res = await api.post(`/api/bookings/${id}/complete`, { contractAmountFen: PRICE_FEN + 1, reportNumber: "LC-2" }, { token: provider.token, headers: { "Accept-Language": "en" } });
      expectStatus(res, 422, "CONTRACT_OVER_PRICE");
      expect(res.body.error.message).to.include("300.00 yuan");
      const now = await api.get(`/api/bookings/${id}`, { token: ent.token });
      expect(now.body.status).to.equal("in_progress");
      expect(now.body.contract).to.equal(undefined);
    });

    it("accepts the price plus declared extras with a reason, and refuses extras without one (400) or beyond them (422)", async () => {
      const id = await inProgress();
      const noReason = await act(provider, id, "complete", { contractAmountFen: PRICE_FEN + 5000, extrasFen: 5000, reportNumber: "LC-3" });
      expectStatus(noReason, 400, "VALIDATION_FAILED");
      expect(noReason.body.error.fields[0].field).to.equal("/body/extrasReason");
      expectStatus(await act(provider, id, "complete", { contractAmountFen: PRICE_FEN + 5001, extrasFen: 5000, extrasReason: "加测两个样品", reportNumber: "LC-3" }), 422, "CONTRACT_OVER_PRICE");
      const ok = await act(provider, id, "complete", { contractAmountFen: PRICE_FEN + 5000, extrasFen: 5000, extrasReason: "加测两个样品", reportNumber: "LC-3" });
      expectStatus(ok, 200);
      expect(ok.body.contract).to.include({ status: "recorded", amountFen: 35000, extrasFen: 5000, extrasReason: "加测两个样品" });
    });
  });

  describe("acknowledging and disputing", () => {
    it("lets any member of the booker acknowledge once (then 409 CONTRACT_NOT_AWAITING); the provider and other enterprises cannot", async () => {
      const id = await completed();
      expectStatus(await act(provider, id, "contract-amount/acknowledge"), 403, "FORBIDDEN");
      expectStatus(await act(otherEnt, id, "contract-amount/acknowledge"), 404, "NOT_FOUND");
      const ok = await act(entMember, id, "contract-amount/acknowledge");
      expectStatus(ok, 200);
      expect(ok.body.contract).to.include({ status: "acknowledged", amountFen: 28000 });
      expect(ok.body.history.at(-1)).to.include({ type: "contract_acknowledged", status: "completed" });
      expectStatus(await act(ent, id, "contract-amount/acknowledge"), 409, "CONTRACT_NOT_AWAITING");
      expectStatus(await act(ent, id, "contract-amount/dispute", { reason: "太贵" }), 409, "CONTRACT_NOT_AWAITING");
    });

    it("answers 409 INVALID_TRANSITION before completion", async () => {
      const id = await inProgress();
      expectStatus(await act(ent, id, "contract-amount/acknowledge"), 409, "INVALID_TRANSITION");
      expectStatus(await act(provider, id, "contract-amount", { contractAmountFen: 1 }), 409, "INVALID_TRANSITION");
    });

    it("returns a disputed amount to the provider, who records it again (capped the same way) for the booker to acknowledge", async () => {
      const id = await completed(PRICE_FEN);
      // The provider cannot change an amount the booker is looking at.
      expectStatus(await act(provider, id, "contract-amount", { contractAmountFen: 20000 }), 409, "CONTRACT_NOT_AWAITING");
      expectStatus(await act(ent, id, "contract-amount/dispute", {}), 400, "VALIDATION_FAILED");
      const disputed = await act(ent, id, "contract-amount/dispute", { reason: "只测了一个样品" });
      expectStatus(disputed, 200);
      expect(disputed.body.contract).to.include({ status: "disputed", disputeReason: "只测了一个样品" });
      expectStatus(await act(ent, id, "contract-amount/acknowledge"), 409, "CONTRACT_NOT_AWAITING");
      expectStatus(await act(entMember, id, "contract-amount", { contractAmountFen: 20000 }), 403, "FORBIDDEN");
      expectStatus(await act(provider, id, "contract-amount", { contractAmountFen: PRICE_FEN + 1 }), 422, "CONTRACT_OVER_PRICE");
      const again = await act(provider, id, "contract-amount", { contractAmountFen: 20000 });
      expectStatus(again, 200);
      expect(again.body).to.include({ contractAmountFen: 20000 });
      expect(again.body.contract).to.include({ status: "recorded", amountFen: 20000, extrasFen: 0 });
      expect(again.body.contract.disputeReason).to.equal(undefined);
      const acked = await act(ent, id, "contract-amount/acknowledge");
      expectStatus(acked, 200);
      expect(acked.body.contract).to.include({ status: "acknowledged", amountFen: 20000 });
      expect(acked.body.history.slice(-3).map((h: { type: string }) => h.type)).to.deep.equal(["contract_disputed", "contract_recorded", "contract_acknowledged"]);
    });
  });

  describe("a package across providers", () => {
    it("caps the items' amounts together by the package price plus every provider's extras; only the package's provider records again", async () => {
      const [own, theirs] = await Promise.all([
        publishInstrument(api, provider, { rules: { requiresConfirmation: false } }),
        publishInstrument(api, partner, { rules: { requiresConfirmation: false } }),
      ]);
      const pkg = await publishPackage(api, provider, [{ instrumentId: own.id, minutes: 60 }, { instrumentId: theirs.id, minutes: 60 }], { priceFen: 50000 });
      await acceptAsPartners(api, pkg.id, [partner]);
      const res = await api.post("/api/bookings", { packageId: pkg.id, start: shanghai(day++, "08:00") }, { token: ent.token });
      expectStatus(res, 201);
      const items = res.body.items as { providerId: string; start: string }[];
      const id = res.body.id as string;
      const run = (who: TestUser, item: number, action: string, body: Record<string, unknown> = {}) =>
        atTime(t.server.services.scheduling, Date.parse(items[item]!.start), () => act(who, id, action, { ...body, item }));
      const mine = items.findIndex((i) => i.providerId === provider.orgId);
      const theirsIdx = 1 - mine;
      expectStatus(await run(partner, theirsIdx, "check-in"), 200);
      expectStatus(await run(partner, theirsIdx, "complete", { contractAmountFen: 30000, reportNumber: "P-1" }), 200);
      expectStatus(await run(provider, mine, "check-in"), 200);
      expectStatus(await run(provider, mine, "complete", { contractAmountFen: 25000, reportNumber: "O-1" }), 422, "CONTRACT_OVER_PRICE");
      const done = await run(provider, mine, "complete", { contractAmountFen: 25000, reportNumber: "O-1", extrasFen: 5000, extrasReason: "加急" });
      expectStatus(done, 200);
      expect(done.body).to.include({ status: "completed", contractAmountFen: 55000 });
      expect(done.body.contract).to.include({ status: "recorded", amountFen: 55000, extrasFen: 5000, extrasReason: "加急" });
      expectStatus(await act(ent, id, "contract-amount/dispute", { reason: "加急未约定" }), 200);
      expectStatus(await act(partner, id, "contract-amount", { contractAmountFen: 50000 }), 403, "FORBIDDEN");
      const again = await act(provider, id, "contract-amount", { contractAmountFen: 50000 });
      expectStatus(again, 200);
      expect(again.body.contract).to.include({ status: "recorded", amountFen: 50000, extrasFen: 0 });
    });
  });

  describe("racing decisions", () => {
    it("gives 20 parallel acknowledgements and disputes exactly one winner, one event, and a projection that rebuilds the same", async () => {
      const id = await completed();
      const calls = Array.from({ length: 20 }, (_, k) =>
        k % 2 === 0 ? act(k % 4 === 0 ? ent : entMember, id, "contract-amount/acknowledge") : act(ent, id, "contract-amount/dispute", { reason: `异议 ${k}` }),
      );
      const answers = await Promise.all(calls);
      const winners = answers.filter((r) => r.status === 200);
      expect(winners, JSON.stringify(answers.map((r) => r.status))).to.have.length(1);
      for (const r of answers.filter((a) => a.status !== 200)) expectStatus(r, 409, "CONTRACT_NOT_AWAITING");
      const decisions = await t.server.services.scheduling.events.countDocuments({ aggregateId: id, type: { $in: ["contract_acknowledged", "contract_disputed"] } });
      expect(decisions).to.equal(1);
      const shown = (await api.get(`/api/bookings/${id}`, { token: ent.token })).body;
      expect(shown.contract.status).to.equal(winners[0]!.body.contract.status);
      const rebuilt = await t.server.services.scheduling.rebuildBooking(id);
      expect(rebuilt!.contract!.status).to.equal(shown.contract.status);
    });
  });
});
