// The live view in the browser (issue 12): a bureau user's tiles and ticker update within a second
// of a booking made through the API (from elsewhere), reached from the side navigation; a provider
// sees its own instruments on a phone (390×844) without sideways scrolling; Chinese and English.
// E2E_SHOTS=<dir> saves the screens.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { browserSuite, loginInUi, shot } from "./browser";

const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
const HOUR = 3600_000;
const PHONE = { width: 390, height: 844 };

describe("the live utilization view in the browser", function () {
  this.timeout(120_000);
  const suite = browserSuite("e2e-stats-live");
  let api: ApiClient;
  let provider: TestUser;
  let ent: TestUser;
  let instrumentId: string;
  let hour = 3;

  async function book(): Promise<string> {
    const start = Math.ceil(Date.now() / HOUR) * HOUR + hour++ * HOUR;
    const res = await api.post("/api/bookings", { instrumentId, start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString() }, { token: ent.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.id;
  }

  async function openLive(page: Page, email: string, password: string, locale: "zh-CN" | "en", viaNav: boolean) {
    await page.addInitScript(`localStorage.setItem("labshare.locale", ${JSON.stringify(locale)})`);
    await loginInUi(page, email, password);
    await page.waitForURL((url) => url.pathname === "/");
    if (viaNav) await page.getByTestId("nav-stats-live").click();
    else await page.goto("/stats/live");
    await page.waitForURL((url) => url.pathname === "/stats/live");
    await page.locator("[data-testid=live-connection][data-connected=true]").waitFor();
    await page.getByTestId("live-tiles").waitFor();
    await page.getByTestId("utilization-total").waitFor();
    await page.waitForLoadState("networkidle");
  }
  const bookingsShown = async (page: Page) => Number(await page.getByTestId("live-bookingsToday").getByTestId("tile-value").textContent());

  before(async () => {
    api = apiClient(suite.server.baseUrl);
    const bureau = await login(api, suite.server.admin.email, suite.server.admin.password);
    [provider, ent] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau)]);
    const res = await api.post(
      "/api/instruments",
      { name: `电感耦合等离子体质谱仪 ${randomBytes(3).toString("hex")}`, category: "analytical", priceUnit: "hour", priceFen: 45000, originalValueFen: 300_000_000, openHours: ALL_DAY, slotMinutes: 60 },
      { token: provider.token },
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    instrumentId = res.body.id;
    await book();
  });

  for (const locale of ["zh-CN", "en"] as const) {
    it(`updates a bureau user's tiles and ticker within a second of a booking made through the API (${locale})`, async () => {
      const page = await suite.openPage(locale);
      await openLive(page, suite.server.admin.email, suite.server.admin.password, locale, true);
      const before = await bookingsShown(page);
      expect(before).to.be.at.least(1);
      await shot(page, `stats-live-desktop-${locale}`);

      const started = Date.now();
      const bookingId = await book();
      await page.locator(`[data-testid=live-bookingsToday] [data-testid=tile-value]:text-is("${before + 1}")`).waitFor({ timeout: 1000 });
      const shownAfter = Date.now() - started;
      await page.locator(`[data-testid=ticker-row] a[href="/bookings/${bookingId}"]`).waitFor({ timeout: 1000 });
      console.log(`      a booking reached the live view ${shownAfter} ms after the request was sent`);
      expect(await page.getByTestId("live-ticker").textContent()).to.contain(locale === "en" ? "Pending" : "待确认");
    });

    it(`shows a provider its own instruments on a phone without sideways scrolling (${locale})`, async () => {
      const page = await suite.openPage(locale);
      await page.setViewportSize(PHONE);
      await openLive(page, provider.email, provider.password, locale, false);
      expect(await page.getByTestId("stats-live").textContent()).to.contain(locale === "en" ? "Live utilization of our instruments" : "本机构实时利用率");
      expect(await page.getByTestId("utilization-row").count()).to.equal(1); // its one provider
      expect(await page.evaluate<number>("document.documentElement.scrollWidth")).to.be.at.most(PHONE.width);
      // Cards clip what overflows them: the range's end picker must be fully inside the screen.
      const end = await page.getByTestId("utilization-to").boundingBox();
      expect(end!.x + end!.width, "the end day picker").to.be.at.most(PHONE.width - 12);
      await shot(page, `stats-live-phone-${locale}`);
    });
  }
});
