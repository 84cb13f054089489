// The catalog in a real browser: a visitor searching and opening an instrument, and a provider
// publishing an instrument and a packaged service through the console forms.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { browserSuite, loginInUi, pick, shot } from "./browser";

const WEEKDAYS_9_TO_5 = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "09:00", end: "17:00" }));

const tag = () => randomBytes(3).toString("hex");

async function publishInstrument(api: ApiClient, owner: TestUser, fields: Record<string, unknown>) {
  const res = await api.post(
    "/api/instruments",
    {
      category: "analytical",
      priceUnit: "hour",
      priceFen: 30000,
      originalValueFen: 85_000_000,
      openHours: WEEKDAYS_9_TO_5,
      ...fields,
    },
    { token: owner.token },
  );
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as { id: string; name: string };
}

/** An Element Plus number input: type, then leave it so it commits. */
async function typeNumber(page: Page, testId: string, value: number) {
  const input = page.getByTestId(testId).locator("input");
  await input.fill(String(value));
  await input.press("Tab");
}

describe("catalog in the browser", function () {
  this.timeout(90_000);
  const suite = browserSuite("e2e_catalog");
  const { openPage } = suite;
  let api: ApiClient;
  let bureauToken: string;

  before(async () => {
    api = apiClient(suite.server.baseUrl);
    bureauToken = await login(api, suite.server.admin.email, suite.server.admin.password);
  });

  it("lets a visitor search 光谱, find the spectrometer and not the microscope, and open it", async () => {
    const provider = await orgAdmin(api, "provider", bureauToken);
    const t = tag();
    const spectrometer = await publishInstrument(api, provider, {
      name: `原子吸收光谱仪 ${t}`,
      nameEn: "Atomic Absorption Spectrometer",
      model: "AA-7000",
      manufacturer: "岛津",
      location: "检测大楼 301 室",
      description: "火焰与石墨炉原子化，测定金属元素含量。",
      slotMinutes: 30,
      capacity: 2,
    });
    const microscope = await publishInstrument(api, provider, {
      name: `扫描电子显微镜 ${t}`,
      nameEn: "Scanning Electron Microscope",
      model: "SU5000",
      manufacturer: "日立",
      category: "physical_property",
      priceFen: 50000,
    });
    await publishInstrument(api, provider, {
      name: `X射线荧光光谱仪 ${t}`,
      model: "ZSX Primus",
      priceUnit: "sample",
      priceFen: 20000,
      status: "maintenance",
    });

    const page = await openPage();
    await page.goto("/");
    await page.getByTestId("header-catalog").click();
    await page.waitForURL((url) => url.pathname === "/catalog");
    await page.getByTestId("instrument-card").first().waitFor();
    await page.getByTestId("catalog-search").fill("光谱");
    await page.getByTestId("catalog-search").press("Enter");
    await page.waitForURL((url) => url.searchParams.get("q") === "光谱");

    const card = (id: string) => page.locator(`[data-testid="instrument-card"][data-id="${id}"]`);
    // The unfiltered list was showing the microscope: it goes, the spectrometer stays.
    await card(microscope.id).waitFor({ state: "detached" });
    await page.locator('[data-testid="catalog-results"][data-loading="false"]').waitFor();
    await card(spectrometer.id).waitFor();
    expect(await card(microscope.id).count(), "the microscope does not match 光谱").to.equal(0);
    expect(await card(spectrometer.id).textContent()).to.contain("¥300.00");
    await page.locator('[data-testid="instrument-status"][data-status="maintenance"]').first().waitFor();
    await shot(page, "catalog-search");

    await card(spectrometer.id).click();
    await page.waitForURL((url) => url.pathname === `/instruments/${spectrometer.id}`);
    expect(await page.getByTestId("instrument-title").textContent()).to.equal(spectrometer.name);
    const facts = await page.getByTestId("instrument-facts").textContent();
    expect(facts).to.contain("AA-7000").and.to.contain("岛津").and.to.contain("检测大楼 301 室");
    expect(await page.getByTestId("instrument-capacity").textContent()).to.contain("2");
    expect(await page.locator('[data-testid="open-hours"] tr[data-weekday="1"]').textContent()).to.contain("09:00–17:00");
    await shot(page, "instrument-detail");

    // Back returns to the same search, from the URL.
    await page.goBack();
    await page.waitForURL((url) => url.pathname === "/catalog" && url.searchParams.get("q") === "光谱");
    await card(spectrometer.id).waitFor();
    expect(await page.getByTestId("catalog-search").inputValue()).to.equal("光谱");
  });

  it("lets a provider publish an instrument and a two-item package that the public catalog then shows", async () => {
    const provider = await orgAdmin(api, "provider", bureauToken);
    const partner = await orgAdmin(api, "provider", bureauToken);
    const t = tag();
    const partnerInstrument = await publishInstrument(api, partner, {
      name: `电感耦合等离子体质谱仪 ${t}`,
      priceUnit: "sample",
      priceFen: 45000,
    });
    const name = `原子荧光光谱仪 ${t}`;
    const packageName = `团体标准制定检测服务包 ${t}`;

    const page = await openPage();
    await loginInUi(page, provider.email, provider.password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByTestId("nav-provider-instruments").click();
    await page.getByTestId("new-instrument").click();
    await page.waitForURL((url) => url.pathname === "/provider/instruments/new");

    // Client-side rules speak before anything is sent.
    await page.getByTestId("instrument-submit").click();
    await page.locator(".el-form-item.is-error").first().waitFor();

    await page.getByTestId("instrument-name-input").fill(name);
    await page.getByTestId("instrument-name-en").fill("Atomic Fluorescence Spectrometer");
    await pick(page, "instrument-category", "category-analytical");
    await page.getByTestId("instrument-model").fill("AFS-9760");
    await page.getByTestId("instrument-manufacturer").fill("海光仪器");
    await typeNumber(page, "instrument-price-input", 200);
    await typeNumber(page, "instrument-original-value", 380000);
    // Monday 08:30–12:00, then copied to the other weekdays.
    await page.getByTestId("hours-add-1").click();
    const start = page.getByTestId("hours-start-1-0").locator("input");
    await start.click();
    await start.fill("08:30");
    await start.press("Enter");
    const end = page.getByTestId("hours-end-1-0").locator("input");
    await end.click();
    await end.fill("12:00");
    await end.press("Enter");
    await page.getByTestId("hours-copy-monday").click();
    await page.getByTestId("hours-range-5-0").waitFor();
    await shot(page, "provider-instrument-form");
    await page.getByTestId("instrument-submit").click();
    await page.waitForURL((url) => /^\/provider\/instruments\/[^/]+\/edit$/.test(url.pathname));
    const instrumentId = new URL(page.url()).pathname.split("/")[3]!;
    await page.getByTestId("blackouts").waitFor();

    const published = await api.get(`/api/instruments/${instrumentId}`);
    expect(published.body).to.include({ name, priceFen: 20000, priceUnit: "hour", originalValueFen: 38_000_000 });
    expect(published.body.openHours).to.deep.include({ weekday: 1, start: "08:30", end: "12:00" });
    expect(published.body.openHours).to.have.length(5);

    await page.getByTestId("nav-provider-packages").click();
    await page.getByTestId("new-package").click();
    await page.waitForURL((url) => url.pathname === "/provider/packages/new");
    await page.getByTestId("package-name-input").fill(packageName);
    await pick(page, "package-purpose", "purpose-standard_drafting");

    async function chooseInstrument(index: number, instrumentName: string) {
      const picker = page.getByTestId(`item-instrument-${index}`);
      await picker.click();
      await picker.locator("input").fill(instrumentName);
      await page.locator(`[data-testid="instrument-option"][data-name="${instrumentName}"]:visible`).click();
    }
    await chooseInstrument(0, name);
    await typeNumber(page, "item-quantity-0", 240); // 4 hours at ¥200 = ¥800
    await page.getByTestId("package-add-item").click();
    await chooseInstrument(1, partnerInstrument.name);
    await typeNumber(page, "item-quantity-1", 4); // 4 samples at ¥450 = ¥1,800
    await typeNumber(page, "package-price-input", 2000);
    const preview = page.getByTestId("package-preview");
    await page.locator('[data-testid="package-preview"][data-savings-fen="60000"]').waitFor();
    expect(await preview.getByTestId("list-price").textContent()).to.equal("¥2,600.00");
    await shot(page, "provider-package-form");
    await page.getByTestId("package-submit").click();

    await page.waitForURL((url) => url.pathname.startsWith("/packages/"));
    expect(await page.getByTestId("package-title").textContent()).to.equal(packageName);
    const savings = page.getByTestId("package-savings");
    expect(await savings.getAttribute("data-savings-fen")).to.equal("60000");
    expect(await savings.getByTestId("savings-amount").textContent()).to.contain("¥600.00").and.to.contain("23%");
    expect(await page.getByTestId("package-replaces").getAttribute("data-applications")).to.equal("2");
    expect(await page.getByTestId("package-items").locator(".el-table__row").count()).to.equal(2);
    await shot(page, "package-detail");

    // The public catalog, as anyone sees it.
    const visitor = await openPage();
    await visitor.goto(`/catalog?q=${encodeURIComponent(name)}`);
    await visitor.locator(`[data-testid="instrument-card"][data-id="${instrumentId}"]`).waitFor();
    await visitor.goto(`/catalog?tab=packages&q=${encodeURIComponent(packageName)}`);
    const packageCard = visitor.getByTestId("package-card").filter({ hasText: packageName });
    await packageCard.waitFor();
    expect(await packageCard.textContent()).to.contain("¥2,000.00");
    await shot(visitor, "catalog-packages");
  });

  it("lets a provider schedule downtime on the instrument's own clock, shown publicly, and remove it", async () => {
    const provider = await orgAdmin(api, "provider", bureauToken);
    const instrument = await publishInstrument(api, provider, { name: `差示扫描量热仪 ${tag()}`, timezone: "Asia/Shanghai" });
    const page = await openPage();
    await loginInUi(page, provider.email, provider.password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto(`/provider/instruments/${instrument.id}/edit`);

    const range = page.getByTestId("blackout-range").locator("input");
    await range.nth(0).click();
    await range.nth(0).fill("2030-03-08 09:00");
    await range.nth(1).fill("2030-03-09 17:30");
    await range.nth(1).press("Enter");
    await page.getByTestId("blackout-reason").fill("年度计量检定");
    await page.getByTestId("blackout-add").click();
    const rows = page.getByTestId("blackout-list").locator(".el-table__row");
    await rows.first().waitFor();
    expect(await rows.first().textContent()).to.contain("2030-03-08 09:00").and.to.contain("年度计量检定");
    const stored = await api.get(`/api/instruments/${instrument.id}/blackouts`);
    expect(stored.body.items[0]).to.include({ start: "2030-03-08T01:00:00.000Z", end: "2030-03-09T09:30:00.000Z" });

    await page.goto(`/instruments/${instrument.id}`);
    expect(await page.getByTestId("instrument-blackouts").textContent()).to.contain("2030-03-08 09:00").and.to.contain("年度计量检定");

    await page.goto(`/provider/instruments/${instrument.id}/edit`);
    await page.getByTestId("blackout-delete").click();
    await page.locator(".el-popconfirm .el-button--primary:visible").click();
    await rows.first().waitFor({ state: "detached" });
    expect((await api.get(`/api/instruments/${instrument.id}/blackouts`)).body.items).to.deep.equal([]);
  });

  it("tells a provider still under review that publishing opens after approval, and shows the server's refusal", async () => {
    const pending = await orgAdmin(api, "provider");
    const page = await openPage();
    await loginInUi(page, pending.email, pending.password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto("/provider/instruments/new");
    await page.getByTestId("approval-notice").waitFor();

    await page.getByTestId("instrument-name-input").fill(`待审核机构的仪器 ${tag()}`);
    await pick(page, "instrument-category", "category-analytical");
    await typeNumber(page, "instrument-price-input", 100);
    await typeNumber(page, "instrument-original-value", 1000);
    await page.getByTestId("instrument-submit").click();
    const error = page.getByTestId("form-error");
    await error.waitFor();
    expect(await error.textContent()).to.contain("尚未通过审核");
    expect(new URL(page.url()).pathname).to.equal("/provider/instruments/new");
  });
});
