// The app on a phone (390×844) over the demo city: every page a role uses fits the screen width
// (no sideways scrolling), the side menu becomes a drawer opened from the header's menu button, and
// on a desktop the side menu stays where it was. E2E_SHOTS=<dir> saves a screenshot of each page.
import { expect } from "chai";
import type { Page } from "playwright-core";
import { seedDemoCity, DEMO_PASSWORD } from "../../server/demo/seed";
import { apiClient, type ApiClient } from "../support/http";
import { login } from "../factories/accounts";
import { browserSuite, loginInUi, shot } from "./browser";

const PHONE = { width: 390, height: 844 };
const HOUR = 3600_000;
const DEMO = {
  bureau: "admin@demo.labshare",
  enterprise: "enterprise@demo.labshare",
  provider: "provider@demo.labshare",
} as const;
type DemoRole = keyof typeof DEMO;

interface Ids {
  instrument: string;
  package: string;
  enterpriseBooking: string;
  providerBooking: string;
  ownInstrument: string;
  ownPackage?: string;
  /** The demo provider's round-the-clock instrument (free slots whatever the time of the run). */
  allDay: string;
}

const firstId = async (api: ApiClient, path: string, token?: string) =>
  ((await api.get(path, { token })).body as { items: { id: string }[] }).items[0]?.id;

/**
 * Waits for the page's data and fonts to settle, then measures how wide the document is, and how
 * wide the main area's content is (el-main scrolls on its own, so the document alone would hide it).
 */
async function pageWidth(page: Page): Promise<number> {
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(150);
  return page.evaluate<number>(`(() => {
    const main = document.querySelector(".shell-main");
    const mainOverflow = main ? main.scrollWidth - main.clientWidth : 0;
    return document.documentElement.scrollWidth + Math.max(0, mainOverflow);
  })()`);
}

/**
 * Elements that stick out of the screen's right edge: cut off by a card or spilling over. Content of
 * something that scrolls sideways on purpose (a wide table's body, the calendar) does not count.
 */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const scrollsOnPurpose = (el) => el.closest(".el-table, .el-scrollbar, .el-tabs__nav-wrap, [data-testid=availability-calendar]");
    const out = [];
    for (const el of document.querySelectorAll(".shell *")) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.right <= ${PHONE.width} + 0.5 || scrollsOnPurpose(el)) continue;
      out.push(el.tagName.toLowerCase() + "." + String(el.className).split(" ").slice(0, 2).join(".") + " → " + Math.round(box.right));
    }
    return out.slice(0, 6);
  })()`);
}

async function expectFits(page: Page, name: string) {
  const width = await pageWidth(page);
  await shot(page, `phone-${name}`);
  const sticking = await overflowing(page);
  expect(width, `${name} (${page.url()}) is ${width} px wide: ${sticking.join(", ")}`).to.be.at.most(PHONE.width);
  expect(sticking.length, `${name} (${page.url()}): cut off at the right edge: ${sticking.join(", ")}`).to.equal(0);
}

describe("the app on a phone (390×844)", function () {
  this.timeout(240_000);
  const suite = browserSuite("e2e_phone");
  const { openPage } = suite;
  const ids = {} as Ids;

  before(async function () {
    this.timeout(180_000);
    await seedDemoCity(suite.server.db.conn, { includeBureauAdmin: true });
    const api = apiClient(suite.server.baseUrl);
    const enterprise = await login(api, DEMO.enterprise, DEMO_PASSWORD);
    const provider = await login(api, DEMO.provider, DEMO_PASSWORD);
    const providerId = ((await api.get("/api/me", { token: provider })).body as { organization: { id: string } }).organization.id;
    ids.instrument = (await firstId(api, "/api/instruments?pageSize=1"))!;
    ids.package = (await firstId(api, "/api/packages?pageSize=1"))!;
    ids.ownInstrument = (await firstId(api, `/api/instruments?pageSize=1&providerId=${providerId}`, provider))!;
    ids.ownPackage = await firstId(api, `/api/packages?pageSize=1&providerId=${providerId}`, provider);
    // A booking both sides can open: the demo provider's round-the-clock instrument, a few hours ahead.
    const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
    const made = await api.post(
      "/api/instruments",
      { name: "场发射扫描电镜 手机版", category: "analytical", priceUnit: "hour", priceFen: 30000, originalValueFen: 85_000_000, openHours: allDay, slotMinutes: 60, capacity: 1, rules: { minNoticeMinutes: 0, requiresConfirmation: true, cancelDeadlineHours: 0 } },
      { token: provider },
    );
    expect(made.status, JSON.stringify(made.body)).to.equal(201);
    ids.allDay = made.body.id as string;
    const start = Math.ceil(Date.now() / HOUR) * HOUR + 3 * HOUR;
    const booked = await api.post(
      "/api/bookings",
      { instrumentId: made.body.id, start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString(), note: "样品 3 件，请提前联系" },
      { token: enterprise },
    );
    expect(booked.status, JSON.stringify(booked.body)).to.equal(201);
    ids.enterpriseBooking = ids.providerBooking = booked.body.id as string;
  });

  async function phonePage(role?: DemoRole, locale: "zh-CN" | "en" = "zh-CN"): Promise<Page> {
    const page = await openPage();
    await page.setViewportSize(PHONE);
    await page.addInitScript(`localStorage.setItem("labshare.locale", ${JSON.stringify(locale)})`);
    if (role) {
      await loginInUi(page, DEMO[role], DEMO_PASSWORD);
      await page.waitForURL((url) => url.pathname === "/");
    }
    return page;
  }

  const pagesOf = (role: DemoRole): [string, string][] => {
    const common: [string, string][] = [
      ["home", "/"],
      ["catalog", "/catalog"],
      ["instrument", `/instruments/${ids.instrument}`],
      ["package", `/packages/${ids.package}`],
      ["account", "/account"],
    ];
    // Issue 10's voucher pages: claim review, settlements and policy; My vouchers; the provider's subsidies.
    if (role === "bureau") return [...common, ["registrations", "/bureau/registrations"], ["claims", "/bureau/claims"], ["settlements", "/bureau/settlements"], ["policy", "/bureau/policy"]];
    if (role === "enterprise") {
      return [...common, ["bookings", "/bookings"], ["booking", `/bookings/${ids.enterpriseBooking}`], ["vouchers", "/vouchers"]];
    }
    return [
      ...common,
      ["requests", "/provider/bookings"],
      ["booking", `/bookings/${ids.providerBooking}`],
      ["instruments", "/provider/instruments"],
      ["instrument-form", `/provider/instruments/${ids.ownInstrument}/edit`],
      ["instrument-new", "/provider/instruments/new"],
      ["packages", "/provider/packages"],
      ["partner-requests", "/provider/partner-requests"],
      ["package-form", ids.ownPackage ? `/provider/packages/${ids.ownPackage}/edit` : "/provider/packages/new"],
      ["subsidies", "/provider/subsidies"],
    ];
  };

  for (const role of ["bureau", "enterprise", "provider"] as const) {
    it(`fits every page the ${role} uses into 390 px, with no sideways scrolling`, async () => {
      const page = await phonePage(role);
      for (const [name, path] of pagesOf(role)) {
        await page.goto(path);
        await expectFits(page, `${role}-${name}`);
        if (name === "requests") {
          await page.getByTestId("tab-agenda").click();
          await expectFits(page, `${role}-agenda`);
        }
      }
    });
  }

  it("fits the login and registration pages and the visitor's home, catalog and package pages", async () => {
    const page = await phonePage();
    for (const [name, path] of [
      ["login", "/login"],
      ["register", "/register"],
      ["visitor-home", "/"],
      ["visitor-catalog", "/catalog"],
      ["visitor-package", `/packages/${ids.package}`],
    ]) {
      await page.goto(path!);
      await expectFits(page, name!);
    }
  });

  it("fits the main pages in English too", async () => {
    const page = await phonePage("enterprise", "en");
    for (const [name, path] of [
      ["home", "/"],
      ["catalog", "/catalog"],
      ["instrument", `/instruments/${ids.instrument}`],
      ["package", `/packages/${ids.package}`],
      ["bookings", "/bookings"],
      ["vouchers", "/vouchers"],
    ]) {
      await page.goto(path!);
      await expectFits(page, `en-${name}`);
    }
  });

  it("hides the side menu on a phone and opens it as a drawer from the header's menu button, which navigates and closes", async () => {
    const page = await phonePage("provider");
    expect(await page.getByTestId("nav-catalog").isVisible()).to.equal(false);
    const button = page.getByTestId("nav-toggle");
    const box = (await button.boundingBox())!;
    expect(Math.min(box.width, box.height), "menu button touch target").to.be.at.least(40);
    await button.click();
    await page.getByTestId("nav-drawer").getByTestId("nav-provider-instruments").waitFor();
    await page.waitForTimeout(400); // the slide-in
    await shot(page, "phone-drawer");
    const item = (await page.getByTestId("nav-provider-instruments").boundingBox())!;
    expect(item.height, "menu item touch target").to.be.at.least(40);
    await page.getByTestId("nav-provider-instruments").click();
    await page.waitForURL((url) => url.pathname === "/provider/instruments");
    await page.getByTestId("nav-drawer").waitFor({ state: "hidden" });
    await expectFits(page, "provider-after-drawer");
  });

  it("shows an instrument's week three days at a time on a phone, cells a finger wide, moving through the week and still booking", async () => {
    const page = await phonePage("enterprise");
    await page.goto(`/instruments/${ids.allDay}`);
    await page.locator('[data-testid="calendar-wrap"][data-loading="false"]').waitFor();
    const days = page.locator("[data-testid=availability-calendar] thead th[data-date]");
    expect(await days.count()).to.equal(3);
    const shown = await days.evaluateAll((cells) => cells.map((c) => c.getAttribute("data-date")));
    const free = page.locator('[data-testid="slot"][data-state="free"]').nth(1);
    const cell = (await free.boundingBox())!;
    expect(cell.width, "slot width").to.be.at.least(60);
    expect(cell.height, "slot height").to.be.at.least(40);
    await shot(page, "phone-calendar");
    // Today may be the week's last day, when only the earlier days are left to move to.
    const forward = await page.getByTestId("days-next").isEnabled();
    await page.getByTestId(forward ? "days-next" : "days-prev").click();
    const moved = await days.evaluateAll((cells) => cells.map((c) => c.getAttribute("data-date")));
    expect(moved).to.have.length(3);
    expect(moved[0]).to.not.equal(shown[0]);
    await page.getByTestId(forward ? "days-prev" : "days-next").click();
    const back = await days.evaluateAll((cells) => cells.map((c) => c.getAttribute("data-date")));
    expect(back, "moving back returns to the same days, also when the week's end shortened the step").to.deep.equal(shown);
    await free.click();
    await page.getByTestId("booking-selection").waitFor();
    await expectFits(page, "enterprise-calendar-picked");
  });

  it("searches the catalog on a phone: the search box takes typing, the filters unfold from their title", async () => {
    const page = await phonePage("enterprise");
    await page.goto("/catalog");
    const firstFacet = page.locator(".filters .facet").first();
    expect(await firstFacet.isVisible(), "filters folded").to.equal(false);
    await page.getByTestId("filters-toggle").click();
    await firstFacet.waitFor();
    const input = page.getByTestId("catalog-search");
    await input.fill("光谱");
    await input.press("Enter");
    await page.waitForURL((url) => url.searchParams.get("q") === "光谱");
    await expectFits(page, "enterprise-catalog-search");
  });

  it("keeps the side menu open beside the page and the seven-day calendar on a 1280 px desktop, with no menu button", async () => {
    const page = await openPage();
    await page.setViewportSize({ width: 1280, height: 820 });
    await loginInUi(page, DEMO.provider, DEMO_PASSWORD);
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByTestId("nav-provider-bookings").waitFor();
    const aside = (await page.locator(".shell-aside").boundingBox())!;
    expect(aside.width).to.equal(208);
    expect(await page.getByTestId("nav-toggle").isVisible()).to.equal(false);
    expect(await page.getByTestId("user-menu").locator(".user-name").isVisible()).to.equal(true);
    await page.goto(`/instruments/${ids.allDay}`);
    await page.locator('[data-testid="calendar-wrap"][data-loading="false"]').waitFor();
    expect(await page.locator("[data-testid=availability-calendar] thead th[data-date]").count()).to.equal(7);
    expect(await page.getByTestId("day-nav").count()).to.equal(0);
    await shot(page, "desktop-instrument");
    expect(await pageWidth(page)).to.be.at.most(1280);
  });
});
