// The bureau's statistics pages in the browser (issue 12): a fixture with known bookings, vouchers
// and a settlement in March 2025 shows its exact figures in the dashboard's tiles and table views,
// the county table downloads as the CSV it shows, the page fits a 390 px phone without sideways
// scrolling, and the monthly report prints the article's paragraph with the fixture's numbers,
// in Chinese and in English. Screens with E2E_SHOTS.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { enterpriseBody, login, orgAdmin, registerUser, type TestUser } from "../factories/accounts";
import { publishInstrument } from "../factories/catalog";
import { insertBookings, insertSettlement, insertVouchers, sh } from "../factories/stats";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { browserSuite, shot } from "./browser";
import { asUser } from "./voucher-helpers";

const MARCH = "from=2025-03-01&to=2025-03-31";

describe("the bureau's statistics pages in the browser", function () {
  this.timeout(180_000);
  const suite = browserSuite("e2e-stats");
  let api: ApiClient;
  let bureau: string;
  const admin = () => suite.server.admin;

  async function enterprise(county: string, industry: string): Promise<TestUser> {
    const user = await registerUser(api, "enterprise");
    const res = await api.post("/api/enterprises", enterpriseBody({ county, industry }), { token: user.token });
    expectStatus(res, 201);
    expectStatus(await api.post(`/api/enterprises/${res.body.id}/review`, { decision: "approve" }, { token: bureau }), 200);
    return { ...user, orgId: res.body.id };
  }

  before(async () => {
    api = apiClient(suite.server.baseUrl);
    bureau = await login(api, admin().email, admin().password);
    const provider = await orgAdmin(api, "provider", bureau);
    const instrument = await publishInstrument(api, provider, { name: "热场发射扫描电镜" });
    const e1 = (await enterprise("linqing", "bearings")).orgId!;
    const e2 = (await enterprise("gaotang", "chemicals")).orgId!;
    const conn = suite.server.db.conn;
    // Registered in 2024, so the stocks at the end of March 2025 count them.
    for (const [collection, id] of [["enterprises", e1], ["enterprises", e2], ["instruments", instrument.id]] as const) {
      await conn.collection(collection).updateOne({ _id: id as never }, { $set: { createdAt: sh("2024-06-01T10:00"), reviewedAt: sh("2024-06-02T10:00") } });
    }
    await insertBookings(conn, e1, provider.orgId!, instrument.id, [
      { at: sh("2025-03-05T09:00"), priceFen: 100_000 },
      { at: sh("2025-03-06T09:00"), priceFen: 50_000, status: "cancelled" },
    ]);
    await insertVouchers(conn, provider.orgId!, [
      { enterpriseId: e1, county: "linqing", faceValueFen: 90_000, issuedAt: sh("2025-03-05T10:00"), status: "claimed" },
      { enterpriseId: e2, county: "gaotang", faceValueFen: 30_000, issuedAt: sh("2025-03-20T10:00"), status: "issued" },
    ]);
    // February's settlement, made on 3 March: one voucher paid 60,000 + 30,000.
    await insertSettlement(conn, "2025-02", sh("2025-03-03T10:00"), [{ voucherId: "v-e2e", enterpriseId: e1, provinceFen: 60_000, cityFen: 30_000 }], provider.orgId!);
  });

  async function openDashboard(page: Page) {
    await page.goto(`/stats?${MARCH}`);
    await page.getByTestId("stats-tiles").waitFor();
  }
  const tile = (page: Page, key: string) => page.getByTestId(`stats-tile-${key}`).locator('[data-role="value"]').textContent();
  const cells = (page: Page, card: string, col: string) => page.getByTestId(`stats-${card}-table`).locator(`[data-col="${col}"]`).allTextContents();

  it("shows March 2025's figures in the tiles and, in the table views, per month and per county", async () => {
    const page = await suite.openPage();
    await asUser(page, admin(), "zh-CN");
    await openDashboard(page);
    expect(await tile(page, "vouchersIssued")).to.equal("¥1,200.00");
    expect(await tile(page, "vouchersRedeemed")).to.equal("¥900.00");
    expect(await tile(page, "bookings")).to.equal("2");
    expect(await tile(page, "countiesCovered")).to.equal("2 / 11");
    expect(await tile(page, "enterprisesUsingVouchers")).to.equal("2");

    await page.getByTestId("stats-monthly-show-table").click();
    expect(await cells(page, "monthly", "month")).to.deep.equal(["2025-03"]);
    expect(await cells(page, "monthly", "bookingsCount")).to.deep.equal(["2"]);
    expect(await cells(page, "monthly", "bookingsAmount")).to.deep.equal(["¥1,500.00"]);
    expect(await cells(page, "monthly", "issuedAmount")).to.deep.equal(["¥1,200.00"]);
    expect(await cells(page, "monthly", "redeemedAmount")).to.deep.equal(["¥900.00"]);

    await page.getByTestId("stats-county-show-table").click();
    const counties = await cells(page, "county", "county");
    expect(counties.slice(0, 2)).to.deep.equal(["临清市", "高唐县"]);
    expect(counties).to.have.length(11); // every county, those without a voucher at 0
    expect((await cells(page, "county", "enterprises")).slice(0, 3)).to.deep.equal(["1", "1", "0"]);
    expect((await cells(page, "county", "amount")).slice(0, 2)).to.deep.equal(["¥900.00", "¥300.00"]);
    expect((await cells(page, "county", "share")).slice(0, 3)).to.deep.equal(["50.00%", "50.00%", "0.00%"]);

    await page.getByTestId("stats-top-show-table").click();
    expect(await cells(page, "top", "name")).to.deep.equal(["热场发射扫描电镜"]);
    expect(await cells(page, "top", "bookings")).to.deep.equal(["2"]);
    await shot(page, "stats-dashboard-desktop-zh");

    // The heat map's grid: the instrument open 08:00–18:00 every day, 31 × 10 h in March, no slot claimed.
    await page.getByTestId("stats-heatmap-show-table").click();
    expect(await cells(page, "heatmap", "name")).to.deep.equal(["热场发射扫描电镜"]);
    expect(await cells(page, "heatmap", "openHours")).to.deep.equal(["310"]);
    expect(await cells(page, "heatmap", "d2025-03-05")).to.deep.equal(["0.00%"]);
  });

  it("downloads the county table as the CSV it shows: yuan and percents with two decimals, every county", async () => {
    const page = await suite.openPage();
    await asUser(page, admin(), "zh-CN");
    await openDashboard(page);
    await page.getByTestId("stats-card-county").getByTestId("stats-county-csv").waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("stats-county-csv").click()]);
    expect(download.suggestedFilename()).to.equal("labshare-county.csv");
    const text = readFileSync((await download.path())!, "utf8");
    const lines = text.replace(/^\uFEFF/, "").split("\r\n");
    expect(lines.slice(0, 4)).to.deep.equal([
      "县（市、区）,受补助企业（家）,发放金额（元）,企业占比（%）",
      "临清市,1,900.00,50.00",
      "高唐县,1,300.00,50.00",
      "东昌府区,0,0.00,0.00",
    ]);
    expect(lines).to.have.length(13); // header, 11 counties, the final CRLF
  });

  it("fits a 390 px phone: no sideways scrolling, charts within the screen, in English", async () => {
    const page = await suite.openPage("en");
    await asUser(page, admin(), "en", 390);
    await openDashboard(page);
    await page.getByTestId("stats-card-industry").locator("canvas").first().waitFor();
    const widths = (await page.evaluate(
      `({ page: document.documentElement.scrollWidth, canvases: [...document.querySelectorAll("canvas")].map((c) => c.getBoundingClientRect().right) })`,
    )) as { page: number; canvases: number[] };
    expect(widths.page).to.be.at.most(390);
    for (const right of widths.canvases) expect(right).to.be.at.most(390);
    expect(await page.getByTestId("stats-card-monthly").textContent()).to.contain("Monthly trends");
    await shot(page, "stats-dashboard-390-en");
  });

  it("writes March 2025's report as the article's paragraph, with the fixture's numbers, in Chinese and in English", async () => {
    const page = await suite.openPage();
    await asUser(page, admin(), "zh-CN");
    await page.goto("/stats/report?month=2025-03");
    await page.getByTestId("report-article").waitFor();
    expect(await page.getByTestId("report-ytd").textContent()).to.equal(
      "2025年1—3月份，全市共发放创新券0.12万元（2张），去年同期未发放创新券；兑付创新券0.09万元（1张）。使用创新券的企业2家，覆盖全市2个县（市、区）（共11个）。",
    );
    expect(await page.getByTestId("report-bookings").textContent()).to.equal("3月份预约单达到2单，预约金额0.15万元。");
    expect(await page.getByTestId("report-industry").textContent()).to.equal("享受创新券补助的中小微企业中，轴承企业占50.00%。");
    expect(await page.getByTestId("report-stocks").textContent()).to.equal(
      "截至2025-03-31，平台注册企业2家，入网仪器设备1台套，科技型中小企业入库2家，较2019-12-31分别增长—、—和—。",
    );
    await shot(page, "stats-report-desktop-zh");
    // On paper: the report alone, no navigation.
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".shell-aside").isVisible()).to.equal(false);
    expect(await page.getByTestId("report-print").isVisible()).to.equal(false);
    expect(await page.getByTestId("report-ytd").isVisible()).to.equal(true);

    const en = await suite.openPage("en");
    await asUser(en, admin(), "en", 390);
    await en.goto("/stats/report?month=2025-03");
    await en.getByTestId("report-article").waitFor();
    expect(await en.getByTestId("report-ytd").textContent()).to.equal(
      "From January to March 2025, the city issued innovation vouchers worth ¥1,200.00 (vouchers: 2), none having been issued in the same period last year, and redeemed ¥900.00 (vouchers: 1). 2 enterprises used vouchers, covering 2 of the city's 11 counties.",
    );
    expect(await en.getByTestId("report-bookings").textContent()).to.equal("In March, bookings reached 2, worth ¥1,500.00.");
    expect(await en.getByTestId("report-industry").textContent()).to.equal("Of the small and micro enterprises subsidized, 50.00% are in Bearings.");
    expect(await en.evaluate("document.documentElement.scrollWidth")).to.be.at.most(390);
    await shot(en, "stats-report-390-en");
  });
});
