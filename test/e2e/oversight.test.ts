// Oversight in the browser (issue 12): an enterprise member rates a completed booking on its page
// (390 px, Chinese) and sees the rating stored; the bureau's signals page (desktop, English) shows a
// repeated enterprise–provider pair with its evidence, and a reviewer refers it with a note. The
// budget and scorecard pages render at both sizes (screenshots with E2E_SHOTS).
import { expect } from "chai";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { insertVoucherBooking } from "../factories/oversight";
import { apiClient, type ApiClient } from "../support/http";
import { completedVoucher } from "../support/voucher-flow";
import { browserSuite, shot } from "./browser";
import { asUser, hourlyInstrument } from "./voucher-helpers";

const DAY = 86_400_000;

describe("oversight in the browser", function () {
  this.timeout(180_000);
  const suite = browserSuite("e2e-oversight");
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

  it("lets an enterprise member (390 px, Chinese) rate a completed booking once, with stars and a comment, on the booking's page", async () => {
    const ent = await orgAdmin(api, "enterprise", bureau);
    const { bookingId } = await completedVoucher(suite.server, api, ent, provider, instrumentId, 30_000);
    const page = await suite.openPage();
    await asUser(page, ent, "zh-CN", 390);
    await page.goto(`/bookings/${bookingId}`);
    const card = page.getByTestId("booking-rating");
    await card.getByText("服务已完成，请为本次服务打分").waitFor();
    await card.locator(".el-rate__item").nth(3).click();
    await card.getByTestId("rating-comment").fill("报告出得快，工程师讲解清楚");
    await shot(page, "oversight-rating-390-zh");
    await card.getByTestId("rating-submit").click();
    await card.locator('[data-testid="rating-shown"][data-stars="4"]').waitFor();
    await card.getByText("报告出得快，工程师讲解清楚").waitFor();
    expect(await card.getByTestId("rating-submit").count()).to.equal(0);
    const stored = await api.get(`/api/bookings/${bookingId}/rating`, { token: provider.token });
    expect(stored.body.rating).to.include({ stars: 4, comment: "报告出得快，工程师讲解清楚" });
    await shot(page, "oversight-rated-390-zh");
  });

  it("shows the bureau (desktop, English) a repeated enterprise–provider pair with its evidence, and records a referral with a note", async () => {
    const ent = await orgAdmin(api, "enterprise", bureau);
    for (let k = 1; k <= 5; k++) {
      await insertVoucherBooking(suite.server.db.conn, { enterpriseId: ent.orgId!, providerId: provider.orgId!, createdAt: new Date(Date.now() - k * DAY), confirmAfterMin: 20 });
    }
    const page = await suite.openPage("en");
    await asUser(page, suite.server.admin, "en");
    await page.getByTestId("nav-signals").click();
    const signal = page.locator(`[data-testid="signal"][data-id="repeat_pair:${ent.orgId}:${provider.orgId}"]`);
    await signal.waitFor();
    await signal.getByText("Same enterprise and provider again and again").waitFor();
    expect(await signal.getByTestId("signal-status").textContent()).to.contain("Open");
    expect(await signal.locator("dd").first().textContent()).to.equal("5");
    await shot(page, "oversight-signals-desktop-en");
    await signal.getByTestId("signal-review").click();
    await page.getByTestId("review-decision").getByText("Refer").click();
    await page.getByTestId("review-note").fill("Five vouchers in a week: ask the enterprise for the contracts");
    await page.getByTestId("review-save").click();
    await page.locator(`[data-testid="signal"][data-id="repeat_pair:${ent.orgId}:${provider.orgId}"][data-status="referred"]`).waitFor();
    await signal.getByTestId("signal-review-entry").getByText("Five vouchers in a week").waitFor();

    // The other oversight pages render for the bureau at both sizes (looked at through E2E_SHOTS).
    // The bureau admin sets this year's budgets (in yuan); the bars show what is used of them.
    await page.getByTestId("nav-budget").click();
    await page.getByTestId("budget-forecast").waitFor();
    await page.getByTestId("budget-edit").click();
    await page.getByTestId("budget-province-input").locator("input").fill("3000.5");
    await page.getByTestId("budget-city-input").locator("input").fill("1000");
    await page.getByTestId("budget-save").click();
    await page.getByTestId("budget-province").locator(".el-progress").waitFor();
    const report = await api.get("/api/oversight/budget", { token: bureau });
    expect(report.body.budget).to.include({ version: 1, provinceBudgetFen: 300_050, cityBudgetFen: 100_000 });
    await shot(page, "oversight-budget-desktop-en");
    await page.getByTestId("nav-scorecards").click();
    await page.getByTestId("scorecards-table").locator(".el-table__row").first().waitFor();
    await shot(page, "oversight-scorecards-desktop-en");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/bureau/budget");
    await page.getByTestId("budget-forecast").waitFor();
    await shot(page, "oversight-budget-390-en");
    await page.goto("/bureau/signals");
    await signal.waitFor();
    await shot(page, "oversight-signals-390-en");
    await page.goto("/bureau/scorecards");
    await page.getByTestId("scorecard-card").first().waitFor();
    await shot(page, "oversight-scorecards-390-en");
    // And in Chinese on a desktop.
    const zh = await suite.openPage();
    await asUser(zh, suite.server.admin, "zh-CN");
    await zh.goto("/bureau/signals");
    await zh.locator('[data-testid="signal"][data-status="referred"]').getByText("同一企业与机构反复交易").waitFor();
    await shot(zh, "oversight-signals-desktop-zh");
    await zh.goto("/bureau/budget");
    await zh.getByTestId("budget-forecast").getByText("逐月预测（至年底）").waitFor();
    await shot(zh, "oversight-budget-desktop-zh");
  });
});
