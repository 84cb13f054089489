// Packages across providers (issue 8): a package made of another provider's instruments is bookable
// only once that provider accepted its current items and price; answers are exclusive decisions.
import { expect } from "chai";
import { startTestServer, type TestServer } from "../support/server";
import { apiClient, type ApiClient, expectStatus } from "../support/http";
import { login, orgAdmin, orgMember, type TestUser } from "../factories/accounts";
import { publishInstrument, publishPackage, shanghai } from "../factories/catalog";

describe("package partners", function () {
  this.timeout(60_000);
  let t: TestServer;
  let api: ApiClient;
  let owner: TestUser;
  let partner: TestUser;
  let partnerStaff: TestUser;
  let ent: TestUser;
  let own: { id: string };
  let theirs: { id: string };

  const answer = (who: TestUser, pkgId: string, action: "accept" | "decline") =>
    api.post(`/api/packages/${pkgId}/partners/${partner.orgId}/${action}`, {}, { token: who.token });
  const bookPackage = (pkgId: string) => api.post("/api/bookings", { packageId: pkgId, start: shanghai(3, "08:00") }, { token: ent.token });

  before(async () => {
    t = await startTestServer("package-partners");
    api = apiClient(t.baseUrl);
    const bureau = await login(api, t.admin.email, t.admin.password);
    [owner, partner, ent] = await Promise.all([
      orgAdmin(api, "provider", bureau),
      orgAdmin(api, "provider", bureau),
      orgAdmin(api, "enterprise", bureau),
    ]);
    partnerStaff = await orgMember(api, partner, "provider_staff");
    const rules = { requiresConfirmation: false };
    own = await publishInstrument(api, owner, { rules });
    theirs = await publishInstrument(api, partner, { rules });
  });
  after(() => t.stop());

  const mixedPackage = () => publishPackage(api, owner, [{ instrumentId: own.id, minutes: 60 }, { instrumentId: theirs.id, minutes: 60 }], { priceFen: 40000 });

  it("keeps a package of another provider's instrument unbookable (422 PACKAGE_NOT_ACCEPTED) until that provider accepts", async () => {
    const pkg = await mixedPackage();
    const shown = await api.get(`/api/packages/${pkg.id}`);
    expect(shown.body.partnerStatus).to.equal("awaiting");
    expect(shown.body.partners).to.deep.equal([{ providerId: partner.orgId, providerName: shown.body.items[1].providerName, decision: "pending" }]);
    expectStatus(await bookPackage(pkg.id), 422, "PACKAGE_NOT_ACCEPTED");
    expectStatus(await api.get(`/api/packages/${pkg.id}/schedule?start=${encodeURIComponent(shanghai(3, "08:00"))}`), 422, "PACKAGE_NOT_ACCEPTED");

    const requests = await api.get("/api/partner-requests", { token: partnerStaff.token });
    expectStatus(requests, 200);
    expect(requests.body.items.map((p: { id: string }) => p.id)).to.include(pkg.id);

    const accepted = await answer(partnerStaff, pkg.id, "accept");
    expectStatus(accepted, 200);
    expect(accepted.body.partnerStatus).to.equal("accepted");
    expectStatus(await bookPackage(pkg.id), 201);
  });

  it("needs no acceptance for a package of the provider's own instruments", async () => {
    const pkg = await publishPackage(api, owner, [{ instrumentId: own.id, minutes: 60 }]);
    const shown = await api.get(`/api/packages/${pkg.id}`);
    expect(shown.body).to.include({ partnerStatus: "accepted" });
    expect(shown.body.partners).to.deep.equal([]);
  });

  it("lets only the partner's own members answer: the package's provider and others get 403", async () => {
    const pkg = await mixedPackage();
    expectStatus(await answer(owner, pkg.id, "accept"), 403);
    expectStatus(await api.post(`/api/packages/${pkg.id}/partners/${owner.orgId}/accept`, {}, { token: owner.token }), 404);
    expect((await api.get(`/api/packages/${pkg.id}`)).body.partnerStatus).to.equal("awaiting");
  });

  it("has exactly one answer when 10 accepts race 10 declines; repeating the winning answer is fine", async () => {
    const pkg = await mixedPackage();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => answer(i % 2 ? partner : partnerStaff, pkg.id, i % 2 ? "accept" : "decline")));
    const won = results.filter((r) => r.status === 200).map((r) => r.body.partners[0].decision);
    const lost = results.filter((r) => r.status !== 200);
    expect(new Set(won).size, "one decision wins").to.equal(1);
    for (const r of lost) expectStatus(r, 409, "PARTNER_ALREADY_DECIDED");
    const final = (await api.get(`/api/packages/${pkg.id}`)).body;
    expect(final.partners[0].decision).to.equal(won[0]);
    expect(final.partnerStatus).to.equal(won[0] === "accepted" ? "accepted" : "declined");
  });

  it("asks the partner again after the items or the price change, but not after a new description", async () => {
    const pkg = await mixedPackage();
    expectStatus(await answer(partner, pkg.id, "accept"), 200);
    const described = await api.patch(`/api/packages/${pkg.id}`, { description: "新的说明" }, { token: owner.token });
    expect(described.body.partnerStatus).to.equal("accepted");

    const cheaper = await api.patch(`/api/packages/${pkg.id}`, { priceFen: 10000 }, { token: owner.token });
    expectStatus(cheaper, 200);
    expect(cheaper.body.partnerStatus).to.equal("awaiting");
    expectStatus(await bookPackage(pkg.id), 422, "PACKAGE_NOT_ACCEPTED");
    expectStatus(await answer(partner, pkg.id, "decline"), 200);
    expect((await api.get(`/api/packages/${pkg.id}`)).body.partnerStatus).to.equal("declined");
    expectStatus(await bookPackage(pkg.id), 422, "PACKAGE_NOT_ACCEPTED");
  });
});
