// Booking in a real browser: a slot taken by one enterprise disappears live from another's
// calendar, the provider's confirmation reaches the enterprise's list live, and a package is booked
// from its proposed schedule. Instruments are open around the clock with no minimum notice, so the
// tests do not depend on the weekday or the time they run at.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { browserSuite, loginInUi, shot } from "./browser";
import { freeHoursInARow } from "./calendar-helpers";

const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
const HOUR = 3600_000;
const tag = () => randomBytes(3).toString("hex");

async function publishInstrument(api: ApiClient, owner: TestUser, fields: Record<string, unknown> = {}) {
  const res = await api.post(
    "/api/instruments",
    {
      name: `场发射扫描电镜 ${tag()}`,
      category: "analytical",
      priceUnit: "hour",
      priceFen: 30000,
      originalValueFen: 85_000_000,
      openHours: ALL_DAY,
      slotMinutes: 60,
      capacity: 1,
      rules: { minNoticeMinutes: 0, requiresConfirmation: true, cancelDeadlineHours: 0 },
      ...fields,
    },
    { token: owner.token },
  );
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as { id: string; name: string };
}

/** A whole hour a few hours from now, on the 60-minute grid of a zone with a whole-hour offset. */
function hoursAhead(n: number): { start: string; end: string } {
  const start = Math.ceil(Date.now() / HOUR) * HOUR + n * HOUR;
  return { start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString() };
}

async function loggedIn(page: Page, user: TestUser) {
  await loginInUi(page, user.email, user.password);
  await page.waitForURL((url) => url.pathname === "/");
}

const slot = (page: Page, start: string) => page.locator(`[data-testid="slot"][data-start="${start}"]`);

/** The starts of two free slots one hour apart, skipping the first free one (it may be about to begin). */
async function adjacentFreeHours(page: Page): Promise<[string, string] | null> {
  const starts = await page.locator('[data-testid="slot"][data-state="free"]').evaluateAll((cells) => cells.map((c) => c.getAttribute("data-start")!));
  const sorted = starts.sort((a, b) => Date.parse(a) - Date.parse(b));
  for (let i = 1; i + 1 < sorted.length; i++) {
    if (Date.parse(sorted[i + 1]!) - Date.parse(sorted[i]!) === HOUR) return [sorted[i]!, sorted[i + 1]!];
  }
  return null;
}

/** Opens an instrument's page and waits until its calendar is loaded and receiving live updates. */
async function openInstrument(page: Page, instrumentId: string) {
  await page.goto(`/instruments/${instrumentId}`);
  await page.locator('[data-testid="calendar-wrap"][data-loading="false"][data-live="true"]').waitFor();
}

describe("booking in the browser", function () {
  this.timeout(120_000);
  const suite = browserSuite("e2e_booking");
  const { openPage } = suite;
  let api: ApiClient;
  let bureauToken: string;

  before(async () => {
    api = apiClient(suite.server.baseUrl);
    bureauToken = await login(api, suite.server.admin.email, suite.server.admin.password);
  });

  it("shows a slot booked by one enterprise as taken on another enterprise's open calendar within a second, without a reload", async () => {
    const provider = await orgAdmin(api, "provider", bureauToken);
    const instrument = await publishInstrument(api, provider);
    const [alice, bob] = await Promise.all([orgAdmin(api, "enterprise", bureauToken), orgAdmin(api, "enterprise", bureauToken)]);

    const booker = await openPage();
    const watcher = await openPage();
    await Promise.all([loggedIn(booker, alice), loggedIn(watcher, bob)]);
    await Promise.all([openInstrument(booker, instrument.id), openInstrument(watcher, instrument.id)]);

    // Two adjacent free hours a little ahead (late on a Sunday, next week's).
    let pair = await adjacentFreeHours(booker);
    if (!pair) {
      for (const page of [booker, watcher]) {
        await page.getByTestId("week-next").click();
        await page.locator('[data-testid="calendar-wrap"][data-loading="false"]').waitFor();
      }
      pair = await adjacentFreeHours(booker);
    }
    expect(pair, "two adjacent free hours").to.not.equal(null);
    const [start, next] = pair!;
    await slot(booker, start).click();
    await slot(booker, next).click();
    const selection = booker.getByTestId("booking-selection");
    expect(await selection.getAttribute("data-minutes")).to.equal("120");
    expect(await booker.getByTestId("booking-price").getAttribute("data-fen")).to.equal("60000"); // 2 h × ¥300
    await booker.getByTestId("booking-note").fill("样品为铝合金断口，需要能谱分析");
    await booker.getByTestId("booking-voucher").click();
    await shot(booker, "instrument-booking-selected");

    expect(await slot(watcher, start).getAttribute("data-state")).to.equal("free");
    const navigations: string[] = [];
    watcher.on("framenavigated", (frame) => navigations.push(frame.url()));

    const created = booker.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/bookings");
    await booker.getByTestId("booking-submit").click();
    const response = await created;
    const bookedAt = Date.now();
    expect(response.status()).to.equal(201);
    const booking = (await response.json()) as { id: string; items: { start: string }[]; useVoucher: boolean; note: string };
    expect(booking.useVoucher).to.equal(true);
    expect(Date.parse(booking.items[0]!.start)).to.equal(Date.parse(start));
    expect(response.request().headers()["idempotency-key"]).to.match(/^[0-9a-f-]{32,36}$/);

    await watcher.locator(`[data-testid="slot"][data-start="${start}"][data-state="taken"]`).waitFor({ timeout: 1500 });
    const elapsed = Date.now() - bookedAt;
    expect(elapsed, "the slot went within 1.5 s of the 201").to.be.below(1500);
    expect(navigations, "the watcher's page was not reloaded").to.deep.equal([]);
    await shot(watcher, "instrument-slot-taken-live");

    await booker.getByTestId("booking-success").waitFor();
    expect(await booker.getByTestId("booking-success").getAttribute("data-id")).to.equal(booking.id);
    await booker.locator(`[data-testid="slot"][data-start="${start}"][data-state="taken"]`).waitFor();
    // The booker's own availability:changed (sent right after the booking is recorded, often before
    // the reply) is not someone else taking the selected time.
    await booker.waitForTimeout(300);
    expect(await booker.getByTestId("selection-lost").count(), "no 'taken by someone else' beside the booker's own success").to.equal(0);

    // The watcher's try at the same hour through the API answers SLOT_TAKEN with the conflict.
    const conflict = await api.post("/api/bookings", { instrumentId: instrument.id, start, end: new Date(Date.parse(start) + HOUR).toISOString() }, { token: bob.token });
    expect(conflict.status).to.equal(409);
    expect(conflict.body.error.code).to.equal("SLOT_TAKEN");
  });

  it("does not let a selection grow past the instrument's longest booking, says so with the limit in hours, and prices only what can be booked", async () => {
    const provider = await orgAdmin(api, "provider", bureauToken);
    const instrument = await publishInstrument(api, provider, { rules: { maxDurationMinutes: 120 } });
    const enterprise = await orgAdmin(api, "enterprise", bureauToken);
    const page = await openPage();
    await loggedIn(page, enterprise);
    await openInstrument(page, instrument.id);
    const [first, second, third] = await freeHoursInARow(page, 3);
    await slot(page, first!).click();
    await slot(page, third!).click(); // three hours: one more than the instrument allows
    const warning = page.getByTestId("selection-too-long");
    await warning.waitFor();
    expect(await warning.textContent()).to.contain("2 小时");
    expect(await page.getByTestId("booking-selection").getAttribute("data-minutes"), "the end was not taken").to.equal("60");
    await slot(page, second!).click();
    expect(await page.getByTestId("booking-selection").getAttribute("data-minutes")).to.equal("120");
    expect(await page.getByTestId("booking-duration").textContent()).to.contain("2 小时");
    expect(await page.getByTestId("booking-price").getAttribute("data-fen")).to.equal("60000");
    expect(await warning.count(), "the warning goes once the selection fits").to.equal(0);
  });

  it("shows the provider's confirmation on the enterprise's bookings page live", async () => {
    const provider = await orgAdmin(api, "provider", bureauToken);
    const instrument = await publishInstrument(api, provider, { name: `电感耦合等离子体发射光谱仪 ${tag()}` });
    const enterprise = await orgAdmin(api, "enterprise", bureauToken);
    const res = await api.post("/api/bookings", { instrumentId: instrument.id, ...hoursAhead(3), note: "请尽快安排" }, { token: enterprise.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const bookingId = res.body.id as string;
    expect(res.body.status).to.equal("pending");

    const mine = await openPage();
    await loggedIn(mine, enterprise);
    await mine.getByTestId("nav-bookings").click();
    await mine.waitForURL((url) => url.pathname === "/bookings");
    const myRow = mine.locator(".el-table__row", { has: mine.locator(`[data-testid="booking-link"][data-id="${bookingId}"]`) });
    await myRow.locator('[data-testid="booking-status"][data-status="pending"]').waitFor();
    await shot(mine, "bookings-pending");
    const navigations: string[] = [];
    mine.on("framenavigated", (frame) => navigations.push(frame.url()));

    const desk = await openPage();
    await loggedIn(desk, provider);
    await desk.getByTestId("nav-provider-bookings").click();
    await desk.waitForURL((url) => url.pathname === "/provider/bookings");
    const request = desk.locator(".el-table__row", { has: desk.locator(`[data-testid="booking-link"][data-id="${bookingId}"]`) });
    await request.waitFor();
    expect(await desk.getByTestId("pending-count").textContent()).to.contain("1");
    await shot(desk, "provider-bookings-pending");
    await request.getByTestId("action-confirm").click();
    // Confirmed, it leaves the "pending" filter the page opens on, and is found under "confirmed".
    await request.waitFor({ state: "detached" });
    await desk.getByTestId("filter-confirmed").click();
    await request.locator('[data-testid="booking-status"][data-status="confirmed"]').waitFor();

    await myRow.locator('[data-testid="booking-status"][data-status="confirmed"]').waitFor({ timeout: 5000 });
    expect(navigations, "the enterprise's page was not reloaded").to.deep.equal([]);
    await shot(mine, "bookings-confirmed-live");

    // The agenda shows it on its day; the detail page shows the history.
    await desk.getByTestId("tab-agenda").click();
    await desk.locator(`[data-testid="agenda-entry"][data-id="${bookingId}"]`).first().waitFor();
    await shot(desk, "provider-agenda");
    await mine.getByTestId("booking-link").first().click();
    await mine.waitForURL((url) => url.pathname === `/bookings/${bookingId}`);
    await mine.locator('[data-testid="booking-history"] [data-status="confirmed"]').waitFor();
    await shot(mine, "booking-detail");
  });

  it("proposes a schedule for every item of a package and books the package", async () => {
    const provider = await orgAdmin(api, "provider", bureauToken);
    const sem = await publishInstrument(api, provider, { name: `扫描电子显微镜 ${tag()}` });
    const xrf = await publishInstrument(api, provider, { name: `X射线荧光光谱仪 ${tag()}`, priceUnit: "sample", priceFen: 20000 });
    const created = await api.post(
      "/api/packages",
      {
        name: `材料失效分析服务包 ${tag()}`,
        purpose: "failure_analysis",
        items: [
          { instrumentId: sem.id, minutes: 120 },
          { instrumentId: xrf.id, samples: 3 },
        ],
        priceFen: 100000,
      },
      { token: provider.token },
    );
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const pkg = created.body as { id: string };
    const enterprise = await orgAdmin(api, "enterprise", bureauToken);

    const page = await openPage();
    await loggedIn(page, enterprise);
    await page.goto(`/packages/${pkg.id}`);
    const schedule = page.getByTestId("package-schedule");
    await page.locator('[data-testid="package-schedule"][data-loading="false"]').waitFor();
    await schedule.locator(".el-table__row").nth(1).waitFor();
    expect(await schedule.locator(".el-table__row").count()).to.equal(2);
    expect(await schedule.textContent()).to.contain(sem.name).and.to.contain(xrf.name);
    await shot(page, "package-schedule");

    const booked = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/bookings");
    await page.getByTestId("package-book").click();
    const response = await booked;
    expect(response.status()).to.equal(201);
    const booking = (await response.json()) as { id: string; kind: string; items: { instrumentId: string }[]; priceFen: number };
    expect(booking.kind).to.equal("package");
    expect(booking.priceFen).to.equal(100000);
    expect(booking.items.map((i) => i.instrumentId).sort()).to.deep.equal([sem.id, xrf.id].sort());
    await page.getByTestId("booking-success").waitFor();
    await page.getByTestId("booking-success-link").click();
    await page.waitForURL((url) => url.pathname === `/bookings/${booking.id}`);
    await page.getByTestId("booking-items").locator(".el-table__row").nth(1).waitFor();
    expect(await page.getByTestId("booking-items").locator(".el-table__row").count()).to.equal(2);
    await shot(page, "package-booking-detail");
  });

  it("shows a multi-day item's parts day by day, on a phone, in Chinese and in English", async () => {
    const provider = await orgAdmin(api, "provider", bureauToken);
    const officeHours = [1, 2, 3, 4, 5].flatMap((weekday) => [
      { weekday, start: "08:00", end: "12:00" },
      { weekday, start: "13:30", end: "17:30" },
    ]);
    const cmm = await publishInstrument(api, provider, { name: `三坐标测量机 ${tag()}`, openHours: officeHours });
    const created = await api.post(
      "/api/packages",
      { name: `标准制定服务包 ${tag()}`, purpose: "standard_drafting", items: [{ instrumentId: cmm.id, minutes: 960 }], priceFen: 500000 },
      { token: provider.token },
    );
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const enterprise = await orgAdmin(api, "enterprise", bureauToken);

    let bookingId = "";
    for (const locale of ["zh-CN", "en"] as const) {
      const page = await openPage();
      await page.setViewportSize({ width: 390, height: 844 });
      await page.addInitScript(`localStorage.setItem("labshare.locale", ${JSON.stringify(locale)})`);
      await loggedIn(page, enterprise);
      await page.goto(`/packages/${created.body.id}`);
      await page.locator('[data-testid="package-schedule"][data-loading="false"]').waitFor();
      const parts = page.getByTestId("package-schedule").getByTestId("item-parts");
      await parts.waitFor();
      // 16 hours on 8 open hours a day: at least three parts (two days, or three from a late start).
      expect(Number(await parts.getAttribute("data-parts"))).to.be.at.least(3);
      expect(await parts.locator(".day").count()).to.be.at.least(2);
      expect(await parts.textContent()).to.match(locale === "en" ? /(Mon|Tue|Wed|Thu|Fri) \d+ \w{3}/ : /\d+月\d+日周/);
      await shot(page, `package-parts-390-${locale}`);

      if (!bookingId) {
        const booked = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/bookings");
        await page.getByTestId("package-book").click();
        const response = await booked;
        expect(response.status()).to.equal(201);
        bookingId = ((await response.json()) as { id: string }).id;
      }
      await page.goto(`/bookings/${bookingId}`);
      const detail = page.getByTestId("booking-items").getByTestId("item-parts");
      await detail.waitFor();
      expect(Number(await detail.getAttribute("data-parts"))).to.be.at.least(3);
      const width = (await page.evaluate("document.documentElement.scrollWidth")) as number;
      expect(width, "no sideways scrolling at 390 px").to.be.at.most(390);
      await shot(page, `package-booking-parts-390-${locale}`);
    }
  });
});
