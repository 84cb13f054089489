// Innovation vouchers in the browser (issue 10): the quote shown before an enterprise books with a
// voucher, the subsidy on the booking, My vouchers (the year's quota and the vouchers), the policy
// page and the actual controller. Screens at 390 px and desktop, Chinese and English, with E2E_SHOTS.
// Instruments are open around the clock with no minimum notice, so nothing depends on the hour.
import { expect } from "chai";
import { DateTime } from "luxon";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, providerBody, registerUser, type TestUser } from "../factories/accounts";
import { browserSuite, shot } from "./browser";
import { asUser, fen, hourAhead, hourlyInstrument, pickTwoHours } from "./voucher-helpers";

describe("innovation vouchers in the browser", function () {
  this.timeout(180_000);
  const suite = browserSuite("e2e-vouchers");
  let api: ApiClient;
  let bureau: string;
  let provider: TestUser;
  let instrumentId: string;

  before(async () => {
    api = apiClient(suite.server.baseUrl);
    bureau = await login(api, suite.server.admin.email, suite.server.admin.password);
    provider = await orgAdmin(api, "provider", bureau);
    instrumentId = await hourlyInstrument(api, provider);
  });


  describe("the quote before booking", () => {
    it("shows a phone user (390 px, Chinese) the split of two hours at 300 yuan — province 360, city 180, enterprise 60 — and the quota after, then the expected split on the booking", async () => {
      const ent = await orgAdmin(api, "enterprise", bureau);
      const page = await suite.openPage();
      await asUser(page, ent, "zh-CN", 390);
      await page.goto(`/instruments/${instrumentId}`);
      await pickTwoHours(page);
      expect(await page.getByTestId("booking-quote").count(), "no quote until the box is ticked").to.equal(0);
      await page.getByTestId("booking-voucher").click();
      const quote = page.getByTestId("booking-quote");
      await quote.getByTestId("subsidy-split").waitFor();
      expect(await fen(page, "split-list")).to.equal(60_000);
      expect(await fen(page, "split-province")).to.equal(36_000);
      expect(await fen(page, "split-city")).to.equal(18_000);
      expect(await fen(page, "split-enterprise")).to.equal(6_000);
      expect(await fen(page, "split-quota-after")).to.equal(65_000_000 - 54_000);
      expect(await quote.textContent()).to.contain("¥360.00").and.contain("¥180.00").and.contain("¥60.00").and.contain("¥649,460.00");
      await quote.scrollIntoViewIfNeeded();
      await shot(page, "voucher-quote-390-zh");

      await page.getByTestId("booking-submit").click();
      await page.getByTestId("booking-success").waitFor();
      const id = await page.getByTestId("booking-success").getAttribute("data-id");
      await page.goto(`/bookings/${id}`);
      const card = page.locator('[data-testid="subsidy-card"][data-voucher-status="expected"]');
      await card.waitFor();
      expect(await card.getByTestId("split-enterprise").getAttribute("data-fen")).to.equal("6000");
      expect(await card.getByTestId("voucher-status").textContent()).to.contain("预计");
      await shot(page, "voucher-booking-expected-390-zh");
    });

    it("explains in words why a provider outside the city gives no city share (desktop, English)", async () => {
      const user = await registerUser(api, "far");
      const far = await api.post("/api/providers", providerBody({ county: "outside_province" }), { token: user.token });
      expect(far.status, JSON.stringify(far.body)).to.equal(201);
      expect((await api.post(`/api/providers/${far.body.id}/review`, { decision: "approve" }, { token: bureau })).status).to.equal(200);
      const farInstrument = await hourlyInstrument(api, user);
      const ent = await orgAdmin(api, "enterprise", bureau);
      const page = await suite.openPage();
      await asUser(page, ent, "en");
      await page.goto(`/instruments/${farInstrument}`);
      await pickTwoHours(page);
      await page.getByTestId("booking-voucher").click();
      await page.getByTestId("booking-quote").getByTestId("subsidy-split").waitFor();
      expect(await fen(page, "split-province")).to.equal(36_000);
      expect(await fen(page, "split-city")).to.equal(0);
      expect(await fen(page, "split-enterprise")).to.equal(24_000);
      const reason = page.locator('[data-testid="split-reasons"] [data-reason="PROVIDER_NOT_LOCAL"]');
      expect(await reason.textContent()).to.equal("The provider is outside the city: no city share");
      await shot(page, "voucher-quote-not-local-desktop-en");
    });
    it("quotes a package at its one price (desktop, Chinese): 20,000 yuan → province 12,000, city 6,000, enterprise 2,000", async () => {
      const pkg = await api.post(
        "/api/packages",
        { name: `标准制定服务包 ${Date.now() % 10000}`, purpose: "standard_drafting", items: [{ instrumentId, minutes: 60 }], priceFen: 2_000_000 },
        { token: provider.token },
      );
      expect(pkg.status, JSON.stringify(pkg.body)).to.equal(201);
      const ent = await orgAdmin(api, "enterprise", bureau);
      const page = await suite.openPage();
      await asUser(page, ent, "zh-CN");
      await page.goto(`/packages/${pkg.body.id}`);
      await page.locator('[data-testid="package-schedule"][data-loading="false"]').waitFor();
      await page.getByTestId("package-voucher").click();
      await page.getByTestId("booking-quote").getByTestId("subsidy-split").waitFor();
      expect(await fen(page, "split-list")).to.equal(2_000_000);
      expect(await fen(page, "split-province")).to.equal(1_200_000);
      expect(await fen(page, "split-city")).to.equal(600_000);
      expect(await fen(page, "split-enterprise")).to.equal(200_000);
      expect(await page.getByTestId("split-enterprise").textContent()).to.equal("¥2,000.00");
      await shot(page, "voucher-quote-package-desktop-zh");
    });
  });

  describe("My vouchers", () => {
    let ent: TestUser;
    before(async () => {
      ent = await orgAdmin(api, "enterprise", bureau);
      // Two vouchers of one hour each (27,000 fen of subsidy each), issued when the provider confirms.
      for (const n of [30, 32]) {
        const res = await api.post("/api/bookings", { instrumentId, ...hourAhead(n), useVoucher: true }, { token: ent.token });
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
        expect((await api.post(`/api/bookings/${res.body.id}/confirm`, {}, { token: provider.token })).status).to.equal(200);
      }
      await suite.server.server.services.vouchers.idle();
    });

    it("shows a phone user (390 px, Chinese) the year's quota — cap 650,000 yuan, 540 held, the rest available — and both issued vouchers, through the drawer menu", async () => {
      const page = await suite.openPage();
      await asUser(page, ent, "zh-CN", 390);
      await page.getByTestId("nav-toggle").click();
      await page.getByTestId("nav-vouchers").click();
      await page.waitForURL((url) => url.pathname === "/vouchers");
      const serviceYear = DateTime.fromMillis(Date.parse(hourAhead(30).start)).setZone("Asia/Shanghai").year;
      const quota = page.getByTestId("quota-card");
      await quota.getByTestId("quota-available").waitFor();
      if (serviceYear !== DateTime.now().setZone("Asia/Shanghai").year) {
        await page.getByTestId("quota-year").click();
        await page.locator(".el-select-dropdown__item").filter({ hasText: String(serviceYear) }).click();
      }
      await page.locator(`[data-testid="quota-issued"][data-fen="54000"]`).waitFor();
      expect(await fen(page, "quota-cap")).to.equal(65_000_000);
      expect(await fen(page, "quota-available")).to.equal(65_000_000 - 54_000);
      expect(await quota.getByTestId("quota-available").textContent()).to.equal("¥649,460.00");
      await page.locator('[data-testid="voucher-row"]').nth(1).waitFor();
      const rows = page.getByTestId("voucher-row");
      expect(await rows.count()).to.equal(2);
      expect(await rows.first().getByTestId("voucher-face").textContent()).to.equal("¥270.00");
      expect(await rows.first().getByTestId("voucher-status").textContent()).to.contain("已发放");
      await shot(page, "my-vouchers-390-zh");
    });

    it("lists the vouchers in a table on desktop (English), filters them by status, and says when none match", async () => {
      const page = await suite.openPage();
      await asUser(page, ent, "en");
      await page.getByTestId("nav-vouchers").click();
      await page.getByTestId("vouchers-table").locator('[data-testid="voucher-row"]').nth(1).waitFor();
      await shot(page, "my-vouchers-desktop-en");
      await page.getByTestId("vouchers-status").click();
      await page.getByTestId("vouchers-status-redeemed").click();
      await page.getByTestId("vouchers-empty").waitFor();
      expect(await page.getByTestId("voucher-row").count()).to.equal(0);
    });

    it("shows a new enterprise its full quota and an empty list that says how vouchers come (390 px, Chinese)", async () => {
      const fresh = await orgAdmin(api, "enterprise", bureau);
      const page = await suite.openPage();
      await asUser(page, fresh, "zh-CN", 390);
      await page.goto("/vouchers");
      await page.locator('[data-testid="quota-available"][data-fen="65000000"]').waitFor();
      await page.getByTestId("vouchers-empty").waitFor();
      expect(await page.getByTestId("vouchers-empty").textContent()).to.contain("使用创新券");
      await shot(page, "my-vouchers-empty-390-zh");
    });
  });


  describe("the bureau's voucher policy and actual controllers", () => {
    it("lists the version in force and adds one from a future day with rates in % and money in yuan (desktop, Chinese; then 390 px)", async () => {
      const page = await suite.openPage();
      await asUser(page, suite.server.admin, "zh-CN");
      await page.getByTestId("nav-policy").click();
      const current = page.locator('[data-testid="policy-version"][data-when="current"]');
      await current.waitFor();
      expect(await current.textContent()).to.contain("60%").and.contain("30%").and.contain("¥650,000.00").and.contain("服务完成后 6 个月");
      await page.getByTestId("policy-add").click();
      await page.getByTestId("policy-city").locator("input").fill("25");
      await page.getByTestId("policy-annual-cap").locator("input").fill("500000.5");
      await page.getByTestId("policy-province-in-city").locator("input").fill("80");
      await page.getByTestId("policy-note").click(); // blur: the numbers settle
      await page.getByTestId("policy-shares-over").waitFor();
      await page.getByTestId("policy-province-in-city").locator("input").fill("60");
      await page.getByTestId("policy-note").fill("2027 年市级配套调整");
      await page.getByTestId("policy-admitted-only").click();
      await page.getByTestId("policy-shares-over").waitFor({ state: "detached" });
      await shot(page, "policy-form-desktop-zh");
      await page.getByTestId("policy-submit").click();
      const future = page.locator('[data-testid="policy-version"][data-when="future"]').first();
      await future.waitFor();
      expect(await future.textContent()).to.contain("25%").and.contain("¥500,000.50").and.contain("2027 年市级配套调整");
      const saved = (await api.get("/api/policies")).body.items.find((p: { note?: string }) => p.note === "2027 年市级配套调整");
      expect(saved).to.include({ cityBp: 2500, provinceBpInCity: 6000, annualCapFen: 50_000_050, admittedProvidersOnly: true });
      expect(await future.getByTestId("policy-admitted-only-shown").count()).to.equal(1);
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, "policy-list-390-zh");
    });

    it("lets the bureau record an enterprise's actual controller from the registrations list (desktop, English)", async () => {
      const ent = await orgAdmin(api, "enterprise", bureau);
      const name = (await api.get(`/api/enterprises/${ent.orgId}`, { token: bureau })).body.name as string;
      const page = await suite.openPage();
      await asUser(page, suite.server.admin, "en");
      await page.goto("/bureau/registrations");
      await page.getByTestId("status-approved").click();
      await page.getByTestId("review-search").fill(name);
      const row = page.locator(".el-table__row").filter({ hasText: name });
      await row.getByTestId("controller-edit").click();
      await page.getByTestId("controller-input").fill("张建国");
      await shot(page, "controller-dialog-desktop-en");
      await page.getByTestId("controller-save").click();
      await row.getByTestId("controller-value").filter({ hasText: "张建国" }).waitFor();
      expect((await api.get(`/api/enterprises/${ent.orgId}`, { token: bureau })).body.actualController).to.equal("张建国");
    });
  });
});

