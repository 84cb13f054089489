// Issue 11's journeys in the browser, as a new user walks them: a range picked before logging in or
// registering is still picked on the way back (and registration always asks for the organization);
// a confirmed request leaves the "pending" filter at once; a booking shows only the actions it
// allows, and its cancel dialog says what its buttons do. Screens at 390 px and desktop, in Chinese
// and English, with E2E_SHOTS.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { atTime } from "../support/clock";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, registerUser, validCreditCode, type TestUser } from "../factories/accounts";
import { publishInstrument } from "../factories/catalog";
import { browserSuite, loginInUi, pick, shot } from "./browser";
import { freeHoursInARow } from "./calendar-helpers";

const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
const HOUR = 3600_000;
const PHONE = { width: 390, height: 844 };

/** A round-the-clock instrument with one-hour slots, bookable right away. */
const publishAllDay = (api: ApiClient, owner: TestUser, requiresConfirmation = true) =>
  publishInstrument(api, owner, { openHours: ALL_DAY, slotMinutes: 60, capacity: 1, rules: { minNoticeMinutes: 0, requiresConfirmation, cancelDeadlineHours: 0 } });

/** A booking `hoursAhead` from the next full hour, by the enterprise through the API. */
async function book(api: ApiClient, ent: TestUser, instrumentId: string, hoursAhead: number) {
  const start = Math.ceil(Date.now() / HOUR) * HOUR + hoursAhead * HOUR;
  const res = await api.post("/api/bookings", { instrumentId, start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString() }, { token: ent.token });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as { id: string; title: string; items: { start: string }[] };
}

/** Picks the start of a free hour on the instrument page (as a visitor may, before logging in). */
async function pickFreeHour(page: Page, instrumentId: string): Promise<string> {
  await page.goto(`/instruments/${instrumentId}`);
  const [start] = await freeHoursInARow(page, 1);
  await page.locator(`[data-testid="slot"][data-start="${start}"]`).click();
  await page.getByTestId("booking-selection").waitFor();
  return start!;
}

const selectedStart = async (page: Page) => Date.parse((await page.getByTestId("booking-selection").getAttribute("data-start"))!);

async function withLocale(page: Page, locale: "zh-CN" | "en", width?: number) {
  if (width) await page.setViewportSize({ ...PHONE, width });
  await page.addInitScript(`localStorage.setItem("labshare.locale", ${JSON.stringify(locale)})`);
}

describe("issue 11's journeys in the browser", function () {
  this.timeout(180_000);
  const suite = browserSuite("e2e-journeys");
  let api: ApiClient;
  let provider: TestUser;
  let ent: TestUser;

  before(async () => {
    api = apiClient(suite.server.baseUrl);
    const bureau = await login(api, suite.server.admin.email, suite.server.admin.password);
    [provider, ent] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau)]);
  });

  describe("a range picked before logging in", () => {
    it("registering from the instrument page goes through the organization step, then back to the instrument with the range still picked (390 px)", async () => {
      const inst = await publishAllDay(api, provider);
      const page = await suite.openPage();
      await page.setViewportSize(PHONE);
      const start = await pickFreeHour(page, inst.id);
      await page.getByTestId("booking-login").click();
      await page.waitForURL((url) => url.pathname === "/login");
      await page.getByTestId("to-register").click();
      const tag = randomBytes(4).toString("hex");
      await page.getByTestId("reg-name").fill(`新用户 ${tag}`);
      await page.getByTestId("reg-email").fill(`newcomer-${tag}@example.test`);
      await page.getByTestId("reg-password").fill("correct-horse-9");
      await page.getByTestId("reg-confirm").fill("correct-horse-9");
      await page.getByTestId("reg-submit").click();

      await page.getByTestId("choose-enterprise").waitFor();
      expect(new URL(page.url()).pathname, "still registering: the organization comes next").to.equal("/register");
      await page.getByTestId("choose-enterprise").click();
      await page.getByTestId("org-name").fill(`聊城新材料科技有限公司 ${tag}`);
      await page.getByTestId("org-credit-code").fill(validCreditCode());
      await pick(page, "org-county", "county-linqing");
      await pick(page, "org-industry", "industry-bearings");
      await page.getByTestId("size-small").click();
      await shot(page, "journey-register-org-390");
      await page.getByTestId("org-submit").click();

      await page.waitForURL((url) => url.pathname === `/instruments/${inst.id}`);
      await page.getByTestId("booking-selection").waitFor();
      expect(await selectedStart(page)).to.equal(Date.parse(start));
      await page.getByTestId("booking-pending-notice").waitFor();
      expect(await page.getByTestId("booking-enterprise-only").count()).to.equal(0);
      expect(new URL(page.url()).searchParams.get("start"), "the range leaves the address once picked").to.equal(null);
      await shot(page, "journey-back-at-instrument-390");
    });

    it("registering from an invitation link goes straight back to the invitation (its organization is the invitation's)", async () => {
      const email = `invitee-${randomBytes(4).toString("hex")}@example.test`;
      const inv = await api.post("/api/organization/invitations", { email, role: "enterprise_member" }, { token: ent.token });
      expect(inv.status, JSON.stringify(inv.body)).to.equal(201);
      const page = await suite.openPage();
      await page.goto(`/invitations/${inv.body.token}`);
      await page.waitForURL((url) => url.pathname === "/login");
      await page.getByTestId("to-register").click();
      await page.getByTestId("reg-name").fill("受邀同事");
      await page.getByTestId("reg-email").fill(email);
      await page.getByTestId("reg-password").fill("correct-horse-9");
      await page.getByTestId("reg-confirm").fill("correct-horse-9");
      await page.getByTestId("reg-submit").click();
      await page.waitForURL((url) => url.pathname === `/invitations/${inv.body.token}`);
      await page.getByTestId("invitation-accept").waitFor();
    });

    it("logging in from the instrument page comes back with the range still picked, and it books", async () => {
      const inst = await publishAllDay(api, provider);
      const page = await suite.openPage();
      const start = await pickFreeHour(page, inst.id);
      await page.getByTestId("booking-login").click();
      await page.waitForURL((url) => url.pathname === "/login");
      await page.getByTestId("login-email").fill(ent.email);
      await page.getByTestId("login-password").fill(ent.password);
      await page.getByTestId("login-submit").click();
      await page.waitForURL((url) => url.pathname === `/instruments/${inst.id}`);
      await page.getByTestId("booking-selection").waitFor();
      expect(await selectedStart(page)).to.equal(Date.parse(start));
      await page.getByTestId("booking-submit").click();
      await page.getByTestId("booking-success").waitFor();
      await shot(page, "journey-login-booked-desktop");
    });

    it("does not pick a range from the address that is no longer free, and says so", async () => {
      const inst = await publishAllDay(api, provider);
      const past = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
      const page = await suite.openPage();
      await withLocale(page, "en");
      await page.goto(`/instruments/${inst.id}?start=${new Date(past).toISOString()}&end=${new Date(past + HOUR).toISOString()}`);
      await page.getByTestId("kept-selection-lost").waitFor();
      expect(await page.getByTestId("kept-selection-lost").innerText()).to.contain("no longer free");
      await shot(page, "journey-kept-lost-desktop-en");
      expect(await page.getByTestId("booking-selection").count()).to.equal(0);
      // Malformed or longer than the instrument allows: ignored without a word.
      await page.goto(`/instruments/${inst.id}?start=nonsense&end=${new Date(past).toISOString()}`);
      await page.locator('[data-testid="calendar-wrap"][data-loading="false"]').waitFor();
      expect(await page.getByTestId("booking-selection").count()).to.equal(0);
      expect(await page.getByTestId("kept-selection-lost").count()).to.equal(0);
    });

    it("offers a user without an organization the way to register one, and back with the range", async () => {
      const inst = await publishAllDay(api, provider);
      const user = await registerUser(api, "loner");
      const page = await suite.openPage();
      await page.setViewportSize(PHONE);
      await loginInUi(page, user.email, user.password);
      await page.waitForURL((url) => url.pathname === "/");
      const start = await pickFreeHour(page, inst.id);
      await page.getByTestId("booking-no-org").waitFor();
      await shot(page, "journey-no-org-390");
      await page.getByTestId("booking-register-org").click();
      await page.getByTestId("choose-enterprise").waitFor();
      const back = new URL(new URL(page.url()).searchParams.get("redirect")!, suite.server.baseUrl);
      expect(back.pathname).to.equal(`/instruments/${inst.id}`);
      expect(Date.parse(back.searchParams.get("start")!)).to.equal(Date.parse(start));
    });
  });

  it("takes a request the provider confirms out of the 'pending' filter at once, into 'confirmed' (390 px)", async () => {
    const inst = await publishAllDay(api, provider);
    const [first, second] = [await book(api, ent, inst.id, 5), await book(api, ent, inst.id, 7)];
    const page = await suite.openPage();
    await page.setViewportSize(PHONE);
    await loginInUi(page, provider.email, provider.password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto("/provider/bookings");
    const row = (id: string) => page.locator(`[data-testid="booking-link"][data-id="${id}"]`);
    await row(first.id).waitFor();
    await row(second.id).waitFor();
    const pendingBefore = Number(await page.getByTestId("pending-count").textContent());
    await page.locator(`[data-testid="provider-actions"][data-id="${first.id}"] [data-testid="action-confirm"]`).click();
    await row(first.id).waitFor({ state: "detached", timeout: 3000 });
    expect(await row(second.id).count(), "the other request stays").to.equal(1);
    await page.waitForFunction(`document.querySelector("[data-testid=pending-count]")?.textContent?.trim() === "${pendingBefore - 1}"`);
    await shot(page, "journey-confirmed-left-pending-390");
    await page.getByTestId("filter-confirmed").click();
    await row(first.id).waitFor();
  });

  describe("a booking's own actions", () => {
    it("shows a completed booking without a cancel button (the booker's detail page)", async () => {
      const inst = await publishAllDay(api, provider, false);
      const b = await book(api, ent, inst.id, 3);
      const start = Date.parse(b.items[0]!.start);
      const checkIn = await atTime(suite.server.server.services.scheduling, start, () => api.post(`/api/bookings/${b.id}/check-in`, {}, { token: provider.token }));
      expect(checkIn.status, JSON.stringify(checkIn.body)).to.equal(200);
      const done = await api.post(`/api/bookings/${b.id}/complete`, { contractAmountFen: 30000, reportNumber: `R-${randomBytes(2).toString("hex")}` }, { token: provider.token });
      expect(done.status, JSON.stringify(done.body)).to.equal(200);
      expect(done.body.status).to.equal("completed");

      const page = await suite.openPage();
      await loginInUi(page, ent.email, ent.password);
      await page.waitForURL((url) => url.pathname === "/");
      await page.goto(`/bookings/${b.id}`);
      await page.getByTestId("booking-history").waitFor();
      expect(await page.getByTestId("booking-cancel").count(), "no cancel button, not even a disabled one").to.equal(0);
      await shot(page, "journey-completed-desktop");
    });

    for (const [locale, back, confirm, width] of [["zh-CN", "返回", "确认取消预约", PHONE.width], ["en", "Back", "Cancel the booking", undefined]] as const) {
      it(`asks before cancelling with buttons that say what they do: "${back}" / "${confirm}" (${locale}${width ? ", 390 px" : ""})`, async () => {
        const inst = await publishAllDay(api, provider);
        const b = await book(api, ent, inst.id, 4);
        const page = await suite.openPage();
        await withLocale(page, locale, width);
        await loginInUi(page, ent.email, ent.password);
        await page.waitForURL((url) => url.pathname === "/");
        await page.goto(`/bookings/${b.id}`);
        await page.getByTestId("booking-cancel").click();
        const buttons = page.locator(".el-popconfirm__action .el-button");
        await buttons.first().waitFor();
        expect((await buttons.allTextContents()).map((s) => s.trim())).to.deep.equal([back, confirm]);
        await shot(page, `journey-cancel-confirm-${locale}`);
        await buttons.first().click(); // back: nothing happens
        await buttons.first().waitFor({ state: "hidden" });
        expect((await api.get(`/api/bookings/${b.id}`, { token: ent.token })).body.status).to.equal("pending");

        // The provider's cancel dialog reads the same way.
        const desk = await suite.openPage();
        await withLocale(desk, locale, width);
        await loginInUi(desk, provider.email, provider.password);
        await desk.waitForURL((url) => url.pathname === "/");
        await desk.goto(`/bookings/${b.id}`);
        await desk.getByTestId("action-cancel").click();
        await desk.getByTestId("action-submit").waitFor();
        expect((await desk.getByTestId("action-back").textContent())!.trim()).to.equal(back);
        expect((await desk.getByTestId("action-submit").textContent())!.trim()).to.equal(confirm);
        await shot(desk, `journey-provider-cancel-dialog-${locale}`);
      });
    }
  });
});
