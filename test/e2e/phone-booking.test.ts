// The enterprise's booking journey on a phone (390×844), by thumb from start to end: the menu
// drawer to the catalog, a search, the instrument, a slot picked in the calendar's day view, the
// booking, and the booking in My bookings. Every step fits the screen and its targets are at least
// 40 px. E2E_SHOTS=<dir> saves a screenshot of each step.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import type { Locator, Page } from "playwright-core";
import { apiClient } from "../support/http";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { browserSuite, loginInUi, shot } from "./browser";
import { freeHoursInARow } from "./calendar-helpers";

const PHONE = { width: 390, height: 844 };
const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));

async function expectThumbSized(target: Locator, what: string) {
  const box = (await target.boundingBox())!;
  expect(Math.min(box.width, box.height), `${what}: touch target`).to.be.at.least(40);
}

/** No sideways scrolling: neither the document nor the main area is wider than the phone. */
async function expectFits(page: Page, step: string) {
  await page.waitForLoadState("networkidle");
  const width = await page.evaluate<number>(`(() => {
    const main = document.querySelector(".shell-main");
    return document.documentElement.scrollWidth + Math.max(0, main ? main.scrollWidth - main.clientWidth : 0);
  })()`);
  await shot(page, `phone-journey-${step}`);
  expect(width, `${step} (${page.url()})`).to.be.at.most(PHONE.width);
}

async function viaDrawer(page: Page, item: string) {
  await page.getByTestId("nav-toggle").click();
  await page.getByTestId("nav-drawer").getByTestId(item).click();
  await page.getByTestId("nav-drawer").waitFor({ state: "hidden" });
}

describe("the enterprise's booking journey on a phone (390×844)", function () {
  this.timeout(120_000);
  const suite = browserSuite("e2e-phone-booking");
  let ent: TestUser;
  let instrumentName: string;

  before(async () => {
    const api = apiClient(suite.server.baseUrl);
    const bureau = await login(api, suite.server.admin.email, suite.server.admin.password);
    const [provider, enterprise] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau)]);
    ent = enterprise;
    instrumentName = `激光共聚焦显微镜 ${randomBytes(3).toString("hex")}`;
    const made = await api.post(
      "/api/instruments",
      { name: instrumentName, category: "analytical", priceUnit: "hour", priceFen: 30000, originalValueFen: 85_000_000, openHours: ALL_DAY, slotMinutes: 60, capacity: 1, rules: { minNoticeMinutes: 0, requiresConfirmation: true, cancelDeadlineHours: 0 } },
      { token: provider.token },
    );
    expect(made.status, JSON.stringify(made.body)).to.equal(201);
  });

  it("finds an instrument in the catalog, books a slot from the day view and sees the booking in My bookings", async () => {
    const page = await suite.openPage();
    await page.setViewportSize(PHONE);
    await loginInUi(page, ent.email, ent.password);
    await page.waitForURL((url) => url.pathname === "/");

    await viaDrawer(page, "nav-catalog");
    await page.waitForURL((url) => url.pathname === "/catalog");
    const search = page.getByTestId("catalog-search");
    await search.fill(instrumentName);
    await search.press("Enter");
    const card = page.getByTestId("instrument-card").filter({ hasText: instrumentName });
    await card.waitFor();
    await expectFits(page, "1-catalog");
    await card.click();

    await page.waitForURL((url) => url.pathname.startsWith("/instruments/"));
    const [start] = await freeHoursInARow(page, 1);
    expect(await page.locator("[data-testid=availability-calendar] thead th[data-date]").count(), "a day view of three days").to.equal(3);
    const slot = page.locator(`[data-testid="slot"][data-start="${start}"]`);
    await expectThumbSized(slot, "slot");
    await slot.click();
    await page.getByTestId("booking-selection").waitFor();
    await page.getByTestId("booking-note").fill("样品 2 件，快递寄送");
    const submit = page.getByTestId("booking-submit");
    await expectThumbSized(submit, "book button");
    await expectFits(page, "2-instrument-picked");
    await submit.click();
    const success = page.getByTestId("booking-success");
    await success.waitFor();
    const bookingId = (await success.getAttribute("data-id"))!;
    expect(await page.getByTestId("selection-lost").count(), "the booking's own slots are not someone else's").to.equal(0);
    await expectFits(page, "3-booked");

    await viaDrawer(page, "nav-bookings");
    await page.waitForURL((url) => url.pathname === "/bookings");
    const row = page.locator(`[data-testid="booking-link"][data-id="${bookingId}"]`);
    await row.waitFor();
    expect(await row.innerText()).to.contain(instrumentName);
    await expectFits(page, "4-my-bookings");
    await row.click();
    await page.waitForURL((url) => url.pathname === `/bookings/${bookingId}`);
    await page.getByTestId("booking-cancel").waitFor();
    await expectFits(page, "5-booking");
  });
});
