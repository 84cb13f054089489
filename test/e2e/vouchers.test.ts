// Innovation vouchers in the browser (issue 10): the quote shown before an enterprise books with a
// voucher, the subsidy on the booking, My vouchers (the year's quota and the vouchers), the policy
// page and the actual controller. Screens at 390 px and desktop, Chinese and English, with E2E_SHOTS.
// Instruments are open around the clock with no minimum notice, so nothing depends on the hour.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { DateTime } from "luxon";
import type { Page } from "playwright-core";
import { atTime } from "../support/clock";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, providerBody, registerUser, type TestUser } from "../factories/accounts";
import { browserSuite, loginInUi, shot } from "./browser";

const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
const HOUR = 3600_000;

async function asUser(page: Page, user: { email: string; password: string }, locale: "zh-CN" | "en", width?: number) {
  if (width) await page.setViewportSize({ width, height: 844 });
  await page.addInitScript(`localStorage.setItem("labshare.locale", ${JSON.stringify(locale)})`);
  await loginInUi(page, user.email, user.password);
  await page.waitForURL((url) => url.pathname === "/");
}

/** An instrument at 300 yuan an hour, bookable at any hour, confirmed by the provider. */
async function hourlyInstrument(api: ApiClient, owner: { token: string }): Promise<string> {
  const res = await api.post(
    "/api/instruments",
    {
      name: `X射线衍射仪 ${randomBytes(2).toString("hex")}`, category: "analytical", priceUnit: "hour", priceFen: 30000,
      originalValueFen: 85_000_000, openHours: ALL_DAY, slotMinutes: 60, capacity: 1,
      rules: { minNoticeMinutes: 0, requiresConfirmation: true, cancelDeadlineHours: 0 },
    },
    { token: owner.token },
  );
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.id;
}

/** A whole hour `n` hours from now (on the 60-minute grid). */
function hourAhead(n: number): { start: string; end: string } {
  const start = Math.ceil(Date.now() / HOUR) * HOUR + n * HOUR;
  return { start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString() };
}

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

const fen = async (page: Page, testId: string) => Number(await page.getByTestId(testId).first().getAttribute("data-fen"));

/** Picks two adjacent free hours on the open calendar (next week's if this week has none left). */
async function pickTwoHours(page: Page): Promise<void> {
  await page.locator('[data-testid="calendar-wrap"][data-loading="false"]').waitFor();
  const pair = async () => {
    const starts = await page.locator('[data-testid="slot"][data-state="free"]').evaluateAll((cells) => cells.map((c) => c.getAttribute("data-start")!));
    const sorted = starts.sort((a, b) => Date.parse(a) - Date.parse(b));
    for (let i = 1; i + 1 < sorted.length; i++) if (Date.parse(sorted[i + 1]!) - Date.parse(sorted[i]!) === HOUR) return [sorted[i]!, sorted[i + 1]!];
    return null;
  };
  let found = await pair();
  if (!found) {
    await page.getByTestId("week-next").click();
    await page.locator('[data-testid="calendar-wrap"][data-loading="false"]').waitFor();
    found = await pair();
  }
  expect(found, "two adjacent free hours").to.not.equal(null);
  for (const start of found!) await page.locator(`[data-testid="slot"][data-start="${start}"]`).click();
}

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

  /**
   * A voucher booking of `ent` one hour long (300 yuan), confirmed, checked in at its start, completed
   * with a contract amount and that amount acknowledged: its voucher can be claimed.
   */
  async function claimableBooking(ent: TestUser, hoursAhead: number, contractAmountFen = 30_000): Promise<string> {
    const when = hourAhead(hoursAhead);
    const res = await api.post("/api/bookings", { instrumentId, ...when, useVoucher: true }, { token: ent.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const id = res.body.id as string;
    expect((await api.post(`/api/bookings/${id}/confirm`, {}, { token: provider.token })).status).to.equal(200);
    const scheduling = suite.server.server.services.scheduling;
    const checkIn = await atTime(scheduling, Date.parse(when.start), () => api.post(`/api/bookings/${id}/check-in`, {}, { token: provider.token }));
    expect(checkIn.status, JSON.stringify(checkIn.body)).to.equal(200);
    const done = await api.post(`/api/bookings/${id}/complete`, { contractAmountFen, reportNumber: "LC-2026-101" }, { token: provider.token });
    expect(done.status, JSON.stringify(done.body)).to.equal(200);
    expect((await api.post(`/api/bookings/${id}/contract-amount/acknowledge`, {}, { token: ent.token })).status).to.equal(200);
    await suite.server.server.services.vouchers.idle();
    return id;
  }

  describe("the claim form", () => {
    it("shows a phone user (390 px, Chinese) the deadline countdown, asks for both numbers and all three documents, refuses a file that is not a PDF, JPEG or PNG, and uploads the rest", async () => {
      const ent = await orgAdmin(api, "enterprise", bureau);
      const pendingId = (await api.post("/api/bookings", { instrumentId, ...hourAhead(60), useVoucher: true }, { token: ent.token })).body.id;
      expect((await api.post(`/api/bookings/${pendingId}/confirm`, {}, { token: provider.token })).status).to.equal(200);
      await claimableBooking(ent, 40);
      const page = await suite.openPage();
      await asUser(page, ent, "zh-CN", 390);
      await page.goto("/vouchers");
      await page.locator('[data-testid="voucher-row"]').nth(1).waitFor();
      // The voucher whose service is still to come says why it cannot be claimed yet.
      await page.getByTestId("voucher-waiting").filter({ hasText: "服务完成后可申请兑付" }).waitFor();
      await page.getByTestId("voucher-claim").click();
      const dialog = page.getByTestId("claim-dialog");
      await dialog.getByTestId("claim-countdown").waitFor();
      expect(await dialog.getByTestId("claim-countdown").textContent()).to.match(/剩余 1[78][0-9] 天/);
      expect(await dialog.getByTestId("claim-contract-amount").textContent()).to.equal("¥300.00");

      await dialog.getByTestId("claim-submit").click();
      await dialog.locator(".el-form-item__error").filter({ hasText: "请填写发票号码" }).waitFor();
      expect(await dialog.locator(".el-form-item__error").filter({ hasText: "请填写合同编号" }).count()).to.equal(1);
      expect(await dialog.getByText("请上传此材料").count()).to.equal(3);

      await dialog.getByTestId("evidence-contract-input").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
      expect(await dialog.getByTestId("evidence-contract-error").textContent()).to.equal("只能上传 PDF、JPG 或 PNG 文件");
      // Named .pdf but not one: the server reads the content and refuses it.
      await dialog.getByTestId("evidence-contract-input").setInputFiles({ name: "contract.pdf", mimeType: "application/pdf", buffer: Buffer.from("not really a pdf") });
      await dialog.getByTestId("evidence-contract-error").filter({ hasText: /PDF/ }).waitFor();
      expect(await dialog.getByTestId("evidence-contract").getAttribute("data-upload")).to.equal("");

      await dialog.getByTestId("evidence-contract-input").setInputFiles({ name: "技术服务合同.pdf", mimeType: "application/pdf", buffer: PDF });
      await dialog.getByTestId("evidence-invoice-input").setInputFiles({ name: "invoice.png", mimeType: "image/png", buffer: PNG });
      await dialog.getByTestId("evidence-payment_proof-input").setInputFiles({ name: "转账凭证.pdf", mimeType: "application/pdf", buffer: PDF });
      for (const kind of ["contract", "invoice", "payment_proof"]) await dialog.getByTestId(`evidence-${kind}-done`).waitFor();
      expect(await dialog.getByTestId("evidence-contract-done").textContent()).to.contain("技术服务合同.pdf");
      await dialog.getByTestId("claim-invoice-no").fill("37001234");
      await dialog.getByTestId("claim-contract-no").fill("LCHT-2026-018");
      expect(await dialog.getByText("请上传此材料").count()).to.equal(0);
      await shot(page, "claim-form-390-zh");
    });
  });

  describe("the whole journey", () => {
    it("books with a voucher (390 px), confirms and completes at 500 yuan, acknowledges, claims with three uploads, approves, and next month's settlement pays 300 + 150 to the enterprise and 25 to the provider; every screen shows the same amounts", async () => {
      const ent = await orgAdmin(api, "enterprise", bureau);
      const entName = (await api.get(`/api/enterprises/${ent.orgId}`, { token: bureau })).body.name as string;

      // The enterprise books two hours (600 yuan) with a voucher on its phone, seeing the split first.
      const phone = await suite.openPage();
      await asUser(phone, ent, "zh-CN", 390);
      await phone.goto(`/instruments/${instrumentId}`);
      await pickTwoHours(phone);
      await phone.getByTestId("booking-voucher").click();
      await phone.getByTestId("booking-quote").getByTestId("subsidy-split").waitFor();
      expect(await fen(phone, "split-province")).to.equal(36_000);
      expect(await fen(phone, "split-city")).to.equal(18_000);
      await phone.getByTestId("booking-submit").click();
      await phone.getByTestId("booking-success").waitFor();
      const bookingId = (await phone.getByTestId("booking-success").getAttribute("data-id"))!;

      // The provider confirms on its desk: the voucher is issued for the expected split.
      const desk = await suite.openPage();
      await asUser(desk, provider, "zh-CN");
      await desk.goto(`/bookings/${bookingId}`);
      await desk.getByTestId("action-confirm").click();
      await desk.locator('[data-testid="subsidy-card"][data-voucher-status="issued"]').waitFor();
      expect(await desk.getByTestId("subsidy-card").getByTestId("split-enterprise").getAttribute("data-fen")).to.equal("6000");
      // Checked in at the start (the clock moved there), then completed at 500 yuan.
      const start = (await api.get(`/api/bookings/${bookingId}`, { token: ent.token })).body.items[0].start as string;
      const checkIn = await atTime(suite.server.server.services.scheduling, Date.parse(start), () => api.post(`/api/bookings/${bookingId}/check-in`, {}, { token: provider.token }));
      expect(checkIn.status, JSON.stringify(checkIn.body)).to.equal(200);
      await desk.reload();
      await desk.getByTestId("action-complete").click();
      await desk.getByTestId("complete-amount").locator("input").fill("500");
      await desk.getByTestId("complete-report").fill("LC-2026-120");
      await desk.getByTestId("action-submit").click();
      await desk.locator('[data-testid="contract-card"][data-status="recorded"]').waitFor();

      // The enterprise acknowledges the amount, then claims from My vouchers with the three documents.
      await phone.goto(`/bookings/${bookingId}`);
      await phone.getByTestId("contract-acknowledge").click();
      await phone.locator(".el-popconfirm .el-button--primary").click();
      await phone.locator('[data-testid="contract-card"][data-status="acknowledged"]').waitFor();
      await suite.server.server.services.vouchers.idle();
      await phone.goto("/vouchers");
      const row = phone.locator(`[data-testid="voucher-row"][data-booking="${bookingId}"]`);
      await row.getByTestId("voucher-claim").click();
      const dialog = phone.getByTestId("claim-dialog");
      await dialog.getByTestId("claim-countdown").waitFor();
      expect(await dialog.getByTestId("claim-contract-amount").textContent()).to.equal("¥500.00");
      await dialog.getByTestId("claim-invoice-no").fill("37005678");
      await dialog.getByTestId("claim-contract-no").fill("LCHT-2026-120");
      await dialog.getByTestId("evidence-contract-input").setInputFiles({ name: "合同.pdf", mimeType: "application/pdf", buffer: PDF });
      await dialog.getByTestId("evidence-invoice-input").setInputFiles({ name: "发票.png", mimeType: "image/png", buffer: PNG });
      await dialog.getByTestId("evidence-payment_proof-input").setInputFiles({ name: "付款凭证.pdf", mimeType: "application/pdf", buffer: PDF });
      for (const kind of ["contract", "invoice", "payment_proof"]) await dialog.getByTestId(`evidence-${kind}-done`).waitFor();
      await dialog.getByTestId("claim-submit").click();
      await dialog.waitFor({ state: "hidden" });
      await row.getByTestId("claim-status").filter({ hasText: "待审核" }).waitFor();
      await phone.getByRole("tab", { name: "兑付申请" }).click();
      const claimRow = phone.locator('[data-testid="claim-row"]').first();
      await claimRow.waitFor();
      expect(await claimRow.getByTestId("claim-amount").getAttribute("data-fen")).to.equal("45000");
      await shot(phone, "journey-claim-filed-390-zh");

      // The bureau approves it in one click; its documents open.
      const bureauPage = await suite.openPage();
      await asUser(bureauPage, suite.server.admin, "en");
      await bureauPage.getByTestId("nav-claim-review").click();
      const pending = bureauPage.locator('[data-testid="claim-review-table"] .el-table__row').filter({ hasText: entName });
      await pending.waitFor();
      expect(await pending.getByTestId("claim-review-amount").textContent()).to.equal("¥450.00");
      expect(await pending.getByTestId("claim-attachment").count()).to.equal(3);
      const doc = await bureauPage.request.get(await pending.locator('[data-kind="invoice"]').getAttribute("href") as string);
      expect(doc.status()).to.equal(200);
      await shot(bureauPage, "journey-review-desktop-en");
      await pending.getByTestId("claim-approve").click();
      await bureauPage.locator(".el-message-box .el-button--primary").click();
      await bureauPage.locator(".el-message--success").waitFor();
      const approved = (await api.get(`/api/claims?status=approved`, { token: bureau })).body.items.find((c: { bookingId: string }) => c.bookingId === bookingId);
      expect(approved).to.include({ amountFen: 45_000, provinceFen: 30_000, cityFen: 15_000, enterpriseFen: 5_000, contractAmountFen: 50_000 });
      const period = approved.approvedPeriod as string;

      // The month after: the bureau settles the approval month (server and browser clocks moved on).
      const nextMonth = DateTime.fromFormat(period, "yyyy-MM", { zone: "Asia/Shanghai" }).plus({ months: 1, days: 1 });
      const settler = await suite.openPage();
      await settler.clock.setFixedTime(nextMonth.toJSDate());
      await asUser(settler, suite.server.admin, "zh-CN", 390);
      await atTime(suite.server.server.services.claims, nextMonth.toMillis(), async () => {
        await settler.goto("/bureau/settlements");
        expect(await settler.getByTestId("settlement-period").getAttribute("data-value"), "the month just over is proposed").to.equal(period);
        await settler.getByTestId("settlement-run").click();
        await settler.locator(".el-message-box .el-button--primary").click();
        await settler.locator(`[data-testid="settlement-detail"][data-period="${period}"]`).waitFor();
      });
      expect(await fen(settler, "settlement-totalFen")).to.equal(47_500);
      expect(await fen(settler, "settlement-provinceFen")).to.equal(30_000);
      expect(await fen(settler, "settlement-cityFen")).to.equal(17_500);
      expect(await settler.getByTestId("settlement-totalFen").textContent()).to.equal("¥475.00");
      const lines = await settler.getByTestId("settlement-line").evaluateAll((els) => els.map((e) => `${e.getAttribute("data-kind")}:${e.getAttribute("data-source")}:${e.getAttribute("data-fen")}`));
      expect(lines.sort()).to.deep.equal(["provider_subsidy:city:2500", "voucher_subsidy:city:15000", "voucher_subsidy:province:30000"]);
      const csv = await settler.request.get(`/api/settlements/${period}/export?format=csv`);
      expect(csv.status()).to.equal(200);
      expect(await csv.text()).to.contain("300.00").and.contain("150.00").and.contain("25.00");
      await shot(settler, "journey-settlement-390-zh");

      // The provider reads its 5% subsidy (25 yuan of the 500) under Subsidies.
      await desk.getByTestId("nav-provider-subsidies").click();
      await desk.locator('[data-testid="subsidy-line"][data-kind="provider_subsidy"]').first().waitFor();
      expect(await fen(desk, "subsidies-provider-total")).to.equal(2_500);
      expect(await desk.getByTestId("subsidies-provider-total").textContent()).to.equal("¥25.00");
      await shot(desk, "journey-provider-subsidies-desktop-zh");

      // The enterprise sees its voucher redeemed, the quota moved from held to redeemed, the claim paid.
      await phone.goto("/vouchers");
      await row.getByTestId("voucher-status").filter({ hasText: "已兑付" }).waitFor();
      const serviceYear = DateTime.fromISO(start).setZone("Asia/Shanghai").year;
      const quota = (await api.get(`/api/enterprises/${ent.orgId}/quota?year=${serviceYear}`, { token: ent.token })).body;
      expect(quota).to.include({ redeemedFen: 45_000, issuedFen: 0 });
      if (serviceYear === DateTime.now().setZone("Asia/Shanghai").year) expect(await fen(phone, "quota-redeemed")).to.equal(45_000);
      await phone.getByRole("tab", { name: "兑付申请" }).click();
      await phone.getByTestId("claim-paid-in").filter({ hasText: period }).waitFor();
      await shot(phone, "journey-redeemed-390-zh");
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
      await page.getByTestId("policy-shares-over").waitFor({ state: "detached" });
      await shot(page, "policy-form-desktop-zh");
      await page.getByTestId("policy-submit").click();
      const future = page.locator('[data-testid="policy-version"][data-when="future"]').first();
      await future.waitFor();
      expect(await future.textContent()).to.contain("25%").and.contain("¥500,000.50").and.contain("2027 年市级配套调整");
      const saved = (await api.get("/api/policies")).body.items.find((p: { note?: string }) => p.note === "2027 年市级配套调整");
      expect(saved).to.include({ cityBp: 2500, provinceBpInCity: 6000, annualCapFen: 50_000_050 });
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
