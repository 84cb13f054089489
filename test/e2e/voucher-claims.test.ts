// Voucher claims in the browser (issue 10): the claim form (deadline, validation, uploads), the whole
// journey from booking with a voucher to the monthly settlement with the amounts checked on every
// screen, and a claim returned by the bureau then corrected. 390 px and desktop, Chinese and English.
import { expect } from "chai";
import { DateTime } from "luxon";
import { atTime } from "../support/clock";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { browserSuite, shot } from "./browser";
import { asUser, claimableBooking, fen, fileClaim, hourAhead, hourlyInstrument, pickTwoHours, PDF, PNG, type VoucherWorld } from "./voucher-helpers";

describe("voucher claims in the browser", function () {
  this.timeout(180_000);
  const suite = browserSuite("e2e-voucher-claims");
  let api: ApiClient;
  let bureau: string;
  let provider: TestUser;
  let instrumentId: string;

  const world = (): VoucherWorld => ({ api, server: suite.server, provider, instrumentId });

  before(async () => {
    api = apiClient(suite.server.baseUrl);
    bureau = await login(api, suite.server.admin.email, suite.server.admin.password);
    provider = await orgAdmin(api, "provider", bureau);
    instrumentId = await hourlyInstrument(api, provider);
  });


  describe("the claim form", () => {
    it("shows a phone user (390 px, Chinese) the deadline countdown, asks for both numbers and all three documents, refuses a file that is not a PDF, JPEG or PNG, and uploads the rest", async () => {
      const ent = await orgAdmin(api, "enterprise", bureau);
      const pendingId = (await api.post("/api/bookings", { instrumentId, ...hourAhead(60), useVoucher: true }, { token: ent.token })).body.id;
      expect((await api.post(`/api/bookings/${pendingId}/confirm`, {}, { token: provider.token })).status).to.equal(200);
      await claimableBooking(world(), ent, 40);
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

  describe("a returned claim", () => {
    it("is returned by a reviewer on a phone with a reason (390 px, Chinese), and the enterprise reads it, corrects the numbers and resubmits (desktop, English)", async () => {
      const ent = await orgAdmin(api, "enterprise", bureau);
      const entName = (await api.get(`/api/enterprises/${ent.orgId}`, { token: bureau })).body.name as string;
      const bookingId = await claimableBooking(world(), ent, 70);
      const claim = await fileClaim(world(), ent, bookingId);

      const reviewer = await suite.openPage();
      await asUser(reviewer, suite.server.admin, "zh-CN", 390);
      await reviewer.getByTestId("nav-toggle").click();
      await reviewer.getByTestId("nav-claim-review").click();
      const card = reviewer.locator(`[data-testid="claim-review-row"][data-id="${claim.id}"]`);
      await card.waitFor();
      expect(await card.getByTestId("claim-review-amount").textContent()).to.equal("¥270.00");
      await card.getByTestId("claim-return").click();
      const dialog = reviewer.getByTestId("claim-decision-dialog");
      await dialog.getByTestId("claim-decision-submit").click();
      expect(await dialog.getByTestId("claim-decision-error").textContent()).to.equal("请填写原因");
      await dialog.getByTestId("claim-decision-reason").fill("发票号码与发票影像不一致");
      await shot(reviewer, "claim-return-390-zh");
      await dialog.getByTestId("claim-decision-submit").click();
      await card.waitFor({ state: "detached" }); // the queue shows claims awaiting review only
      expect(await reviewer.locator("[data-testid=claim-review-row]").filter({ hasText: entName }).count()).to.equal(0);

      const page = await suite.openPage();
      await asUser(page, ent, "en");
      await page.goto("/vouchers");
      await page.getByRole("tab", { name: "Claims" }).click();
      const row = page.locator(`[data-testid="claim-row"][data-id="${claim.id}"]`);
      expect(await row.getByTestId("claim-reason").textContent()).to.contain("发票号码与发票影像不一致");
      await row.getByTestId("claim-resubmit").click();
      const form = page.getByTestId("claim-dialog");
      await form.getByTestId("evidence-invoice-done").waitFor();
      expect(await form.getByTestId("claim-invoice-no").inputValue()).to.equal("37009999");
      await form.getByTestId("claim-invoice-no").fill("37009998");
      await shot(page, "claim-resubmit-desktop-en");
      await form.getByTestId("claim-submit").click();
      await page.locator(`[data-testid="claim-row"][data-id="${claim.id}"][data-status="submitted"]`).waitFor();
      const after = (await api.get(`/api/claims/${claim.id}`, { token: ent.token })).body;
      expect(after).to.include({ status: "submitted", invoiceNo: "37009998" });
      expect(after.history.map((h: { type: string }) => h.type)).to.deep.equal(["submitted", "returned", "resubmitted"]);
    });
  });
});

