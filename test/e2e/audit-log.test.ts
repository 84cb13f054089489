// The bureau's audit log in the browser (issue 13): the table on a desktop in English, filtered by
// kind, its export link carrying the same filters; the cards on a 390 px phone in Chinese.
// Screens with E2E_SHOTS.
import { expect } from "chai";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { browserSuite, pick, shot } from "./browser";
import { asUser } from "./voucher-helpers";
import { publishInstrument } from "../factories/catalog";
import { completedVoucher } from "../support/voucher-flow";

describe("the audit log in the browser", function () {
  this.timeout(180_000);
  const suite = browserSuite("e2e-audit");
  let api: ApiClient;
  let bureau: { email: string; password: string; token: string };

  before(async () => {
    api = apiClient(suite.server.baseUrl);
    const { email, password } = suite.server.admin;
    bureau = { email, password, token: await login(api, email, password) };
    const provider: TestUser = await orgAdmin(api, "provider", bureau.token);
    const ent: TestUser = await orgAdmin(api, "enterprise", bureau.token);
    const instrumentId = (await publishInstrument(api, provider, { capacity: 10, priceFen: 1_000_000 })).id;
    await completedVoucher(suite.server, api, ent, provider, instrumentId, 1_000_000);
    await api.post("/api/awards", { providerId: provider.orgId, year: 2030, provincialAwardFen: 2_000_000 }, { token: bureau.token });
    await suite.server.server.services.auditRecorder.idle();
  });

  it("shows a desktop bureau user (English) every decision and money movement, filters by kind, and exports the filtered rows as CSV", async () => {
    const page = await suite.openPage("en");
    await asUser(page, bureau, "en");
    await page.getByTestId("nav-audit").click();
    await page.waitForURL("**/bureau/audit");
    const table = page.getByTestId("audit-table");
    await table.getByTestId("audit-row").first().waitFor();
    const kinds = await table.getByTestId("audit-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-kind")));
    expect(kinds).to.include.members(["registration.approved", "voucher.issued", "ledger.issue", "award.recorded"]);
    expect(await table.textContent()).to.contain("Registration approved").and.contain("¥9,000.00").and.contain("System");
    await shot(page, "audit-desktop-en");

    await pick(page, "audit-kind", "audit-kind-registration.approved");
    await page.waitForFunction(`(() => {
      const rows = [...document.querySelectorAll('[data-testid="audit-table"] [data-testid="audit-row"]')];
      return rows.length === 2 && rows.every((r) => r.getAttribute("data-kind") === "registration.approved");
    })()`);
    const href = (await page.getByTestId("audit-export-csv").getAttribute("href"))!;
    expect(href).to.equal("/api/audit/export?kind=registration.approved&format=csv");
    const csv = await page.request.get(href);
    expect(csv.status()).to.equal(200);
    const lines = (await csv.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines).to.have.length(3);
    expect(lines.slice(1).every((l) => l.includes(",registration.approved,"))).to.equal(true);
    await shot(page, "audit-desktop-en-filtered");
  });

  it("lays the entries out as cards on a 390 px phone (Chinese), nothing wider than the screen", async () => {
    const page = await suite.openPage();
    await asUser(page, bureau, "zh-CN", 390);
    await page.goto("/bureau/audit");
    await page.locator('.acard[data-testid="audit-row"]').first().waitFor();
    expect(await page.getByTestId("audit-log").textContent()).to.contain("审计日志").and.contain("发放创新券").and.contain("系统自动");
    const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow, "no sideways scrolling").to.be.at.most(0);
    await shot(page, "audit-phone-zh");
  });
});
