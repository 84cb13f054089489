// Enterprise ratings and provider scorecards (issue 12, oversight) against the real database and
// HTTP server: a completed booking is rated exactly once under 50 parallel requests; the other
// cases answer stable codes; a fixture year of bookings gives exactly the expected scorecards.
import { expect } from "chai";
import { login, orgAdmin, orgMember, type TestUser } from "../factories/accounts";
import { publishInstrument, shanghai } from "../factories/catalog";
import { insertBookings, sh } from "../factories/oversight";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";
import { as, completedVoucher } from "../support/voucher-flow";

describe("oversight: ratings and provider scorecards", function () {
  this.timeout(180_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: { token: string };
  let provider: TestUser;
  let ent: TestUser;
  let instrumentId: string;

  before(async () => {
    t = await startTestServer("oversight-scorecards");
    api = apiClient(t.baseUrl);
    bureau = { token: await login(api, t.admin.email, t.admin.password) };
    [provider, ent] = await Promise.all([orgAdmin(api, "provider", bureau.token), orgAdmin(api, "enterprise", bureau.token)]);
    instrumentId = (await publishInstrument(api, provider)).id;
  });
  after(() => t?.stop());

  describe("rating a completed booking", () => {
    let bookingId: string;
    before(async () => {
      bookingId = (await completedVoucher(t, api, ent, provider, instrumentId, 25_000)).bookingId;
    });

    it("stores exactly one rating of 50 parallel requests by the booker's members: one 201, 49 × 409 RATING_EXISTS", async () => {
      const member = await orgMember(api, ent, "enterprise_member");
      const results = await Promise.all(Array.from({ length: 50 }, (_, k) =>
        api.post(`/api/bookings/${bookingId}/rating`, { stars: 1 + (k % 5), comment: `第 ${k} 次` }, as(k % 2 ? member : ent))));
      const created = results.filter((r) => r.status === 201);
      expect(created).to.have.length(1);
      for (const r of results.filter((x) => x.status !== 201)) expectStatus(r, 409, "RATING_EXISTS");
      expect(await t.db.conn.collection("booking_ratings").countDocuments({ bookingId })).to.equal(1);
      const stored = await api.get(`/api/bookings/${bookingId}/rating`, as(provider));
      expectStatus(stored, 200);
      expect(stored.body.rating).to.deep.include({ bookingId, stars: created[0]!.body.stars, comment: created[0]!.body.comment, providerIds: [provider.orgId] });
    });

    it("answers 422 RATING_BOOKING_NOT_COMPLETED for a booking not completed yet, and stores nothing", async () => {
      const start = shanghai(3, "15:00");
      const res = await api.post("/api/bookings", { instrumentId, start, end: new Date(Date.parse(start) + 3_600_000).toISOString() }, as(ent));
      expectStatus(res, 201);
      const rated = await api.post(`/api/bookings/${res.body.id}/rating`, { stars: 5 }, as(ent));
      expectStatus(rated, 422, "RATING_BOOKING_NOT_COMPLETED");
      expect((await api.get(`/api/bookings/${res.body.id}/rating`, as(ent))).body).to.deep.equal({ rating: null });
    });

    it("answers 404 to another enterprise (the booking is not disclosed) and 403 to providers and the bureau", async () => {
      const other = await orgAdmin(api, "enterprise", bureau.token);
      expectStatus(await api.post(`/api/bookings/${bookingId}/rating`, { stars: 5 }, as(other)), 404, "NOT_FOUND");
      expectStatus(await api.get(`/api/bookings/${bookingId}/rating`, as(other)), 404, "NOT_FOUND");
      expectStatus(await api.post(`/api/bookings/${bookingId}/rating`, { stars: 5 }, as(provider)), 403, "FORBIDDEN");
      expectStatus(await api.post(`/api/bookings/${bookingId}/rating`, { stars: 5 }, bureau), 403, "FORBIDDEN");
      expectStatus(await api.post("/api/bookings/b-nope/rating", { stars: 5 }, as(ent)), 404, "NOT_FOUND");
    });

    for (const [what, body] of [
      ["0 stars", { stars: 0 }],
      ["6 stars", { stars: 6 }],
      ["half a star", { stars: 2.5 }],
      ["stars as text", { stars: "5" }],
      ["a comment over 500 characters", { stars: 4, comment: "好".repeat(501) }],
      ["an unknown field", { stars: 4, score: 4 }],
    ] as const) {
      it(`refuses ${what} with 400 VALIDATION_FAILED`, async () => {
        expectStatus(await api.post(`/api/bookings/${bookingId}/rating`, body, as(ent)), 400, "VALIDATION_FAILED");
      });
    }
  });

  describe("the scorecards of 2029", () => {
    let p2: TestUser;
    before(async () => {
      p2 = await orgAdmin(api, "provider", bureau.token);
      const [p, e] = [provider.orgId!, ent.orgId!];
      const day = (d: string) => sh(`2029-03-${d}T10:00`);
      const ids = await insertBookings(t.db.conn, [
        // P: three completed (two within 24 h of their end), confirmed after 30, 90 and 60 minutes.
        { enterpriseId: e, providerId: p, createdAt: day("01"), hours: 2, confirmAfterMin: 30, completedAfterEndH: 1 },
        { enterpriseId: e, providerId: p, createdAt: day("02"), hours: 2, confirmAfterMin: 90, completedAfterEndH: 30 },
        { enterpriseId: e, providerId: p, createdAt: day("03"), hours: 1, confirmAfterMin: 60, completedAfterEndH: 24 },
        // Confirmed after 10 minutes, then cancelled by the provider: no booked hours.
        { enterpriseId: e, providerId: p, createdAt: day("04"), confirmAfterMin: 10, status: "cancelled", endedBy: { type: "cancelled", userId: provider.id } },
        // Cancelled by the enterprise, rejected by the provider.
        { enterpriseId: e, providerId: p, createdAt: day("05"), status: "cancelled", endedBy: { type: "cancelled", userId: ent.id } },
        { enterpriseId: e, providerId: p, createdAt: day("06"), status: "rejected", endedBy: { type: "rejected", userId: provider.id } },
        // Confirmed at once (no confirmation needed), 3 hours ahead.
        { enterpriseId: e, providerId: p, createdAt: day("07"), hours: 3, status: "confirmed" },
        // P2: one, confirmed after 2 hours, completed on time, 1.5 hours.
        { enterpriseId: e, providerId: p2.orgId!, createdAt: sh("2029-06-01T10:00"), hours: 1.5, confirmAfterMin: 120, completedAfterEndH: 0 },
        // Another year: not counted.
        { enterpriseId: e, providerId: p, createdAt: sh("2028-12-31T23:00"), hours: 5, confirmAfterMin: 1, completedAfterEndH: 0 },
      ]);
      for (const [k, stars] of [[0, 5], [1, 2], [2, 4], [7, 3]] as const) {
        expectStatus(await api.post(`/api/bookings/${ids[k]}/rating`, { stars }, as(ent)), 201);
      }
    });

    it("gives each provider its bookings, booked hours, median time to confirm, on-time completions, cancellations and ratings", async () => {
      const res = await api.get("/api/oversight/scorecards?year=2029", bureau);
      expectStatus(res, 200);
      expect(res.body.year).to.equal(2029);
      const [first, second] = res.body.items;
      expect(res.body.items).to.have.length(2);
      expect(first).to.deep.include({
        providerId: provider.orgId, bookings: 7, bookedHours: 8, medianConfirmMinutes: 45, confirmations: 4,
        completedItems: 3, onTimeItems: 2, onTimePercent: 66.67, cancelledByProvider: 1, rejected: 1, ratings: 3, averageStars: 3.67,
      });
      expect(second).to.deep.include({
        providerId: p2.orgId, bookings: 1, bookedHours: 1.5, medianConfirmMinutes: 120, confirmations: 1,
        completedItems: 1, onTimeItems: 1, onTimePercent: 100, cancelledByProvider: 0, rejected: 0, ratings: 1, averageStars: 3,
      });
      expect(first.providerName).to.be.a("string").and.not.equal(provider.orgId);
    });

    it("shows a provider its own scorecard, an empty one for a year without bookings, and 404 to another provider", async () => {
      const own = await api.get(`/api/providers/${p2.orgId}/scorecard?year=2029`, as(p2));
      expectStatus(own, 200);
      expect(own.body.scorecard).to.deep.include({ bookings: 1, averageStars: 3 });
      const empty = await api.get(`/api/providers/${p2.orgId}/scorecard?year=2027`, as(p2));
      expect(empty.body.scorecard).to.deep.include({ bookings: 0, medianConfirmMinutes: null, onTimePercent: null, averageStars: null });
      expectStatus(await api.get(`/api/providers/${p2.orgId}/scorecard?year=2029`, as(provider)), 404, "NOT_FOUND");
      expectStatus(await api.get(`/api/providers/${p2.orgId}/scorecard?year=2029`, bureau), 200);
      expectStatus(await api.get("/api/oversight/scorecards?year=2029", as(provider)), 403, "FORBIDDEN");
      expectStatus(await api.get("/api/oversight/scorecards?year=20x9", bureau), 400, "VALIDATION_FAILED");
    });
  });
});
