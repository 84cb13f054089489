// Issue 10 in the browser: the contract amount of a completed booking — the provider completes with
// declared extras, the enterprise disputes, the provider records again, the enterprise acknowledges —
// and the public notices page (公示): a visitor reads it, a logged-in user objects, the bureau opens a
// notice and upholds an objection. Screens at 390 px and desktop, in Chinese and English, with E2E_SHOTS.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { atTime } from "../support/clock";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, registerUser, type TestUser } from "../factories/accounts";
import { browserSuite, loginInUi, shot } from "./browser";

const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
const HOUR = 3600_000;

async function asUser(page: Page, user: { email: string; password: string }, locale: "zh-CN" | "en", width?: number) {
  if (width) await page.setViewportSize({ width, height: 844 });
  await page.addInitScript(`localStorage.setItem("labshare.locale", ${JSON.stringify(locale)})`);
  await loginInUi(page, user.email, user.password);
  await page.waitForURL((url) => url.pathname === "/");
}

describe("contract amounts and public notices in the browser", function () {
  this.timeout(180_000);
  const suite = browserSuite("e2e-evidence");
  let api: ApiClient;
  let bureau: string;
  let provider: TestUser;
  let ent: TestUser;

  before(async () => {
    api = apiClient(suite.server.baseUrl);
    bureau = await login(api, suite.server.admin.email, suite.server.admin.password);
    [provider, ent] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau)]);
  });

  describe("the contract amount", () => {
    let bookingId: string;
    before(async () => {
      const inst = await api.post(
        "/api/instruments",
        {
          name: `电感耦合等离子体质谱仪 ${randomBytes(2).toString("hex")}`, category: "analytical", priceUnit: "hour", priceFen: 30000,
          originalValueFen: 85_000_000, openHours: ALL_DAY, slotMinutes: 60, capacity: 1, rules: { minNoticeMinutes: 0, requiresConfirmation: false },
        },
        { token: provider.token },
      );
      expect(inst.status, JSON.stringify(inst.body)).to.equal(201);
      const start = new Date(Math.ceil(Date.now() / HOUR) * HOUR + 2 * HOUR).toISOString();
      const res = await api.post("/api/bookings", { instrumentId: inst.body.id, start, end: new Date(Date.parse(start) + HOUR).toISOString() }, { token: ent.token });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      bookingId = res.body.id;
      const checkIn = await atTime(suite.server.server.services.scheduling, Date.parse(start), () => api.post(`/api/bookings/${bookingId}/check-in`, {}, { token: provider.token }));
      expect(checkIn.status, JSON.stringify(checkIn.body)).to.equal(200);
    });

    it("lets the provider complete with declared extras (390 px, Chinese) and shows the amount awaiting the enterprise", async () => {
      const page = await suite.openPage();
      await asUser(page, provider, "zh-CN", 390);
      await page.goto(`/bookings/${bookingId}`);
      await page.getByTestId("action-complete").click();
      await page.getByTestId("complete-amount").locator("input").fill("350");
      await page.getByTestId("complete-report").fill("LC-2026-088");
      await page.getByTestId("complete-extras").locator("input").fill("50");
      await page.getByTestId("action-submit").click();
      await page.getByTestId("action-error").waitFor();
      expect(await page.getByTestId("action-error").textContent()).to.contain("请说明额外费用的原因");
      await page.getByTestId("complete-extras-reason").fill("加测两个样品");
      await shot(page, "contract-complete-dialog-390-zh");
      await page.getByTestId("action-submit").click();
      await page.locator('[data-testid="contract-card"][data-status="recorded"]').waitFor();
      expect(await page.getByTestId("contract-amount").textContent()).to.equal("¥350.00");
      expect(await page.getByTestId("contract-extras").textContent()).to.contain("¥50.00").and.contain("加测两个样品");
      expect(await page.getByTestId("contract-status").textContent()).to.contain("待企业确认");
      await shot(page, "contract-recorded-provider-390-zh");
    });

    it("lets the enterprise dispute it (desktop, English), and the provider records it again", async () => {
      const page = await suite.openPage();
      await asUser(page, ent, "en");
      await page.goto(`/bookings/${bookingId}`);
      await page.getByTestId("contract-dispute").click();
      await page.getByTestId("contract-reason").fill("Only one extra sample was tested");
      await page.getByTestId("contract-submit").click();
      await page.locator('[data-testid="contract-card"][data-status="disputed"]').waitFor();
      expect(await page.getByTestId("contract-dispute-reason").textContent()).to.contain("Only one extra sample was tested");
      await shot(page, "contract-disputed-enterprise-desktop-en");

      const prov = await suite.openPage();
      await asUser(prov, provider, "zh-CN");
      await prov.goto(`/bookings/${bookingId}`);
      await prov.getByTestId("contract-record").click();
      await prov.getByTestId("contract-amount-input").locator("input").fill("325");
      await prov.getByTestId("contract-extras-input").locator("input").fill("25");
      await prov.getByTestId("contract-extras-reason").fill("加测一个样品");
      await prov.getByTestId("contract-submit").click();
      await prov.locator('[data-testid="contract-card"][data-status="recorded"]').waitFor();
      expect(await prov.getByTestId("contract-amount").textContent()).to.equal("¥325.00");
      await shot(prov, "contract-recorded-again-provider-desktop-zh");
    });

    it("lets the enterprise acknowledge the new amount (390 px, Chinese); the provider can no longer change it", async () => {
      const page = await suite.openPage();
      await asUser(page, ent, "zh-CN", 390);
      await page.goto(`/bookings/${bookingId}`);
      await page.locator('[data-testid="contract-card"][data-status="recorded"]').waitFor();
      expect(await page.getByTestId("contract-amount").textContent()).to.equal("¥325.00");
      await shot(page, "contract-awaiting-enterprise-390-zh");
      await page.getByTestId("contract-acknowledge").click();
      await page.locator(".el-popconfirm .el-button--primary").click();
      await page.locator('[data-testid="contract-card"][data-status="acknowledged"]').waitFor();
      expect(await page.getByTestId("contract-status").textContent()).to.contain("企业已确认");
      expect(await page.getByTestId("booking-history").textContent()).to.contain("确认合同金额");
      await shot(page, "contract-acknowledged-enterprise-390-zh");
      const shown = (await api.get(`/api/bookings/${bookingId}`, { token: ent.token })).body;
      expect(shown.contract).to.include({ status: "acknowledged", amountFen: 32500, extrasFen: 2500 });
      const prov = await suite.openPage();
      await asUser(prov, provider, "en");
      await prov.goto(`/bookings/${bookingId}`);
      await prov.locator('[data-testid="contract-card"][data-status="acknowledged"]').waitFor();
      expect(await prov.getByTestId("contract-record").count()).to.equal(0);
    });
  });

  describe("the public notices page", () => {
    let noticeProviderName: string;
    before(async () => {
      const p = await orgAdmin(api, "provider", bureau);
      noticeProviderName = (await api.get(`/api/providers/${p.orgId}`, { token: bureau })).body.name;
      expect((await api.post("/api/admissions", { providerId: p.orgId }, { token: bureau })).status).to.equal(201);
    });

    it("shows visitors the notices with their end date (390 px, Chinese) and lets a logged-in user object (English)", async () => {
      const page = await suite.openPage();
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto("/notices");
      const card = page.getByTestId("notice").filter({ hasText: noticeProviderName });
      await card.waitFor();
      expect(await card.getByTestId("notice-status").textContent()).to.contain("公示中");
      expect(await card.textContent()).to.contain("登录后可提出异议");
      await shot(page, "notices-visitor-390-zh");

      const citizen = await registerUser(api, "citizen");
      const user = await suite.openPage();
      await asUser(user, citizen, "en");
      await user.goto("/notices");
      const theirs = user.getByTestId("notice").filter({ hasText: noticeProviderName });
      await theirs.getByTestId("notice-object").click();
      await user.getByTestId("objection-reason").fill("The lab's CMA certificate expired last month.");
      await shot(user, "notices-objection-desktop-en");
      await user.getByTestId("objection-submit").click();
      await theirs.filter({ hasText: "Objections: 1 (undecided: 1)" }).waitFor();
    });

    it("lets the bureau open a notice and uphold an objection (390 px, Chinese)", async () => {
      const fresh = await orgAdmin(api, "provider", bureau);
      const freshName = (await api.get(`/api/providers/${fresh.orgId}`, { token: bureau })).body.name;
      const page = await suite.openPage();
      await asUser(page, suite.server.admin, "zh-CN", 390);
      await page.goto("/notices");
      await page.getByTestId("notice-provider").click();
      await page.locator(".el-select-dropdown__item").filter({ hasText: freshName }).click();
      await page.getByTestId("notice-open").click();
      await page.getByTestId("notice").filter({ hasText: freshName }).waitFor();
      const objected = page.getByTestId("notice").filter({ hasText: noticeProviderName });
      await objected.getByTestId("notice-objections").click();
      await objected.getByTestId("objection").first().waitFor();
      await shot(page, "notices-bureau-390-zh");
      await objected.getByTestId("objection-uphold").click();
      await page.locator(`[data-testid="notice"][data-status="rejected"]`).filter({ hasText: noticeProviderName }).waitFor();
      expect(await objected.getByTestId("notice-status").textContent()).to.contain("未准入");
      await shot(page, "notices-bureau-upheld-390-zh");
    });
  });
});
