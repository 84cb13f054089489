// The notification centre in the browser (issue 11): a provider's bell counts up live when an
// enterprise books (through the API, from elsewhere), the drawer lists the request, choosing it opens
// the booking and the count goes down; a request lapsing within 12 hours is tagged in the provider's
// list. On a phone (390×844) the drawer takes the whole width and nothing scrolls sideways; in
// Chinese and English. E2E_SHOTS=<dir> saves the screens.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { browserSuite, loginInUi, shot } from "./browser";

const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
const HOUR = 3600_000;
const PHONE = { width: 390, height: 844 };

describe("the notification centre in the browser", function () {
  this.timeout(120_000);
  const suite = browserSuite("e2e-notifications");
  let api: ApiClient;
  let provider: TestUser;
  let ent: TestUser;
  let instrumentId: string;
  let hour = 3;

  /** A one-hour request `hoursAhead` from now (the default: the next free hour, a few hours ahead). */
  async function requestBooking(hoursAhead = hour++): Promise<string> {
    const start = Math.ceil(Date.now() / HOUR) * HOUR + hoursAhead * HOUR;
    const res = await api.post("/api/bookings", { instrumentId, start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString() }, { token: ent.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.id;
  }

  async function loginAs(page: Page, user: TestUser, locale: "zh-CN" | "en") {
    await page.addInitScript(`localStorage.setItem("labshare.locale", ${JSON.stringify(locale)})`);
    await loginInUi(page, user.email, user.password);
    await page.waitForURL((url) => url.pathname === "/");
  }

  /** The provider logged in (Chinese), with the bell showing the count read at start. */
  async function providerWithBell(): Promise<{ page: Page; before: number }> {
    const page = await suite.openPage();
    await loginAs(page, provider, "zh-CN");
    await page.getByTestId("notification-bell").waitFor();
    await page.waitForLoadState("networkidle");
    return { page, before: await unreadShown(page) };
  }

  const unreadShown = async (page: Page) => Number(await page.getByTestId("notification-bell").getAttribute("data-unread"));
  /** The drawer has slid in: its right edge is the window's. */
  const drawerOpen = (page: Page) =>
    page.waitForFunction(`(() => { const d = document.querySelector(".notification-drawer"); return !!d && Math.abs(d.getBoundingClientRect().right - innerWidth) < 0.5 && d.getAnimations().length === 0; })()`);
  /** No request under way and no loading mask left (live updates reload the list). */
  async function settled(page: Page) {
    await page.waitForLoadState("networkidle");
    await page.locator(".el-loading-mask").first().waitFor({ state: "hidden" }).catch(() => {});
  }
  const waitForUnread = (page: Page, n: number) => page.locator(`[data-testid=notification-bell][data-unread="${n}"]`).waitFor();

  before(async () => {
    api = apiClient(suite.server.baseUrl);
    const bureau = await login(api, suite.server.admin.email, suite.server.admin.password);
    [provider, ent] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau)]);
    const res = await api.post(
      "/api/instruments",
      { name: `X 射线衍射仪 ${randomBytes(3).toString("hex")}`, category: "analytical", priceUnit: "hour", priceFen: 30000, originalValueFen: 85_000_000, openHours: ALL_DAY, slotMinutes: 60, rules: { minNoticeMinutes: 0 } },
      { token: provider.token },
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    instrumentId = res.body.id;
  });

  it("counts a new request live, lists it, opens its booking when chosen and counts down", async () => {
    const { page, before } = await providerWithBell();
    expect(before, "the approval of the registration").to.equal(1);

    const bookingId = await requestBooking();
    await waitForUnread(page, before + 1);
    expect(await page.getByTestId("notification-count").textContent()).to.contain(String(before + 1));

    await page.getByTestId("notification-bell").click();
    const item = page.locator(`[data-testid=notification-item][data-booking-id="${bookingId}"]`);
    await item.waitFor();
    expect(await item.getAttribute("data-kind")).to.equal("booking_requested");
    expect(await item.getAttribute("data-read")).to.equal("false");
    expect(await item.textContent()).to.contain("新的预约申请");
    await drawerOpen(page);
    await shot(page, "notifications-drawer-desktop-zh");

    await item.click();
    await page.waitForURL((url) => url.pathname === `/bookings/${bookingId}`);
    await waitForUnread(page, before);
    await page.locator(".notification-drawer").waitFor({ state: "hidden" }); // the drawer got out of the way

    // Read all: the badge disappears; a reload keeps it so (stored, not just on screen).
    await page.getByTestId("notification-bell").click();
    await page.getByTestId("notification-read-all").click();
    await waitForUnread(page, 0);
    await page.reload();
    await page.getByTestId("notification-bell").waitFor();
    await page.waitForLoadState("networkidle");
    expect(await unreadShown(page)).to.equal(0);
  });

  it("reads the count again after the connection comes back: what was read elsewhere and what arrived meanwhile", async () => {
    const { page, before } = await providerWithBell();
    // Cut the provider's connections under the sockets (as a network drop would): the client reconnects by itself.
    const mine = [...suite.server.server.io.of("/").sockets.values()].filter((s) => s.data.actor.userId === provider.id);
    expect(mine.length).to.be.at.least(1);
    mine.forEach((s) => s.conn.close());
    const reconnected = page.waitForEvent("websocket");
    // Meanwhile: a request, everything read on another device, two more requests. Two are unread
    // (neither what the bell showed before, 0 or 1, nor that plus the three pushes).
    await requestBooking();
    await suite.server.server.services.notificationFollower.idle();
    expect((await api.post("/api/notifications/read-all", {}, { token: provider.token })).status).to.equal(200);
    await Promise.all([requestBooking(), requestBooking()]);
    await reconnected;
    await waitForUnread(page, 2);
    await page.waitForTimeout(1500); // events replayed after the reconnect and the count read again must not add up
    expect(await unreadShown(page), `was ${before}`).to.equal(2);
  });

  it("tags a pending request that lapses within 12 hours in the provider's list, and not one lapsing later", async () => {
    const soon = await requestBooking(); // its hold lapses when it starts, a few hours from now
    const later = await requestBooking(24 * 5); // a 48-hour hold
    const page = await suite.openPage();
    await loginAs(page, provider, "zh-CN");
    await page.goto("/provider/bookings");
    const row = (id: string) => page.locator("tr", { has: page.locator(`[data-testid=booking-link][data-id="${id}"]`) });
    await row(soon).waitFor();
    expect(await row(soon).getByTestId("expiring-soon").textContent()).to.contain("12 小时内过期");
    expect(await row(later).getByTestId("expiring-soon").count()).to.equal(0);
    await settled(page);
    await shot(page, "notifications-provider-requests-desktop-zh");
  });

  for (const locale of ["zh-CN", "en"] as const) {
    it(`opens the list as a full-width drawer on a phone without sideways scrolling (${locale})`, async () => {
      await requestBooking();
      const page = await suite.openPage();
      await page.setViewportSize(PHONE);
      await loginAs(page, provider, locale);
      await page.getByTestId("notification-bell").click();
      await page.getByTestId("notification-item").first().waitFor();
      await drawerOpen(page);
      const drawer = await page.locator(".notification-drawer").boundingBox();
      expect(drawer!.width).to.be.closeTo(PHONE.width, 0.5);
      expect(drawer!.x).to.be.closeTo(0, 0.5);
      const close = await page.getByTestId("notification-close").boundingBox();
      expect(close!.x + close!.width, "the close button is on screen").to.be.at.most(PHONE.width);
      const bell = await page.getByTestId("notification-bell").boundingBox();
      expect(bell!.width).to.be.at.least(40);
      expect(bell!.height).to.be.at.least(40);
      const item = await page.getByTestId("notification-item").first().boundingBox();
      expect(item!.height).to.be.at.least(40);
      expect(await page.evaluate<number>("document.documentElement.scrollWidth")).to.be.at.most(PHONE.width);
      expect(await page.getByTestId("notification-item").first().textContent()).to.contain(locale === "en" ? "New booking request" : "新的预约申请");
      await shot(page, `notifications-drawer-phone-${locale}`);
      await page.getByTestId("notification-close").click();
      await page.goto("/provider/bookings");
      await page.getByTestId("expiring-soon").first().waitFor();
      await settled(page);
      await shot(page, `notifications-provider-requests-phone-${locale}`);
    });
  }
});
