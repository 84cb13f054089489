// A package across two providers in the browser: each provider sees and acts on its own item only
// (the partner confirms its part; the package's provider cannot), and the check-in button appears
// only when check-in is open, with the opening time as a hint before. Screens at 390 px and desktop,
// in Chinese and English, with E2E_SHOTS.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { acceptAsPartners } from "../factories/catalog";
import { browserSuite, loginInUi, shot } from "./browser";

const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
const HOUR = 3600_000;

async function publishInstrument(api: ApiClient, owner: TestUser, requiresConfirmation: boolean) {
  const res = await api.post(
    "/api/instruments",
    {
      name: `场发射扫描电镜 ${randomBytes(3).toString("hex")}`, category: "analytical", priceUnit: "hour", priceFen: 30000,
      originalValueFen: 85_000_000, openHours: ALL_DAY, slotMinutes: 60, capacity: 1,
      rules: { minNoticeMinutes: 0, requiresConfirmation, cancelDeadlineHours: 0 },
    },
    { token: owner.token },
  );
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as { id: string; name: string };
}

async function openBooking(page: Page, user: TestUser, id: string, locale: "zh-CN" | "en") {
  await page.addInitScript(`localStorage.setItem("labshare.locale", ${JSON.stringify(locale)})`);
  await loginInUi(page, user.email, user.password);
  await page.waitForURL((url) => url.pathname === "/");
  await page.goto(`/bookings/${id}`);
  await page.getByTestId("booking-items").waitFor();
}

describe("a package booking across providers in the browser", function () {
  this.timeout(120_000);
  const suite = browserSuite("e2e-booking-lifecycle");
  let api: ApiClient;
  let owner: TestUser;
  let partner: TestUser;
  let ent: TestUser;
  let bookingId: string;
  let ownInstrument: string;

  before(async () => {
    api = apiClient(suite.server.baseUrl);
    const bureau = await login(api, suite.server.admin.email, suite.server.admin.password);
    [owner, partner, ent] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau)]);
    const [own, theirs] = await Promise.all([publishInstrument(api, owner, false), publishInstrument(api, partner, true)]);
    ownInstrument = own.name;
    const pkg = await api.post("/api/packages", { name: `标准制定服务包 ${randomBytes(2).toString("hex")}`, purpose: "standard_drafting", items: [{ instrumentId: own.id, minutes: 60 }, { instrumentId: theirs.id, minutes: 60 }], priceFen: 2_000_000 }, { token: owner.token });
    expect(pkg.status, JSON.stringify(pkg.body)).to.equal(201);
    await acceptAsPartners(api, pkg.body.id, [partner]);
    // Three hours ahead: check-in is not open yet.
    const start = new Date(Math.ceil(Date.now() / HOUR) * HOUR + 3 * HOUR).toISOString();
    const res = await api.post("/api/bookings", { packageId: pkg.body.id, start }, { token: ent.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    bookingId = res.body.id;
  });

  it("shows the partner a confirm button for its part and the package's provider none", async () => {
    const ownerPage = await suite.openPage();
    await openBooking(ownerPage, owner, bookingId, "zh-CN");
    await ownerPage.getByTestId("action-reject").waitFor();
    expect(await ownerPage.getByTestId("action-confirm").count()).to.equal(0);
    expect(await ownerPage.getByTestId("booking-items").textContent()).to.contain("待确认");
    await shot(ownerPage, "lifecycle-owner-pending-desktop-zh");

    const page = await suite.openPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await openBooking(page, partner, bookingId, "zh-CN");
    await page.getByTestId("action-confirm").waitFor();
    await shot(page, "lifecycle-partner-pending-390-zh");
    await page.getByTestId("action-confirm").click();
    await page.getByTestId("check-in-hint").waitFor();
    expect(await page.getByTestId("action-confirm").count()).to.equal(0);
    expect(await page.getByTestId("action-check-in").count(), "check-in is not open 3 h ahead").to.equal(0);
    expect(await page.getByTestId("check-in-hint").textContent()).to.contain("起可签到");
    await shot(page, "lifecycle-partner-confirmed-390-zh");
  });

  it("offers the package's provider check-in of its own item only, once it is open (English)", async () => {
    const page = await suite.openPage();
    await openBooking(page, owner, bookingId, "en");
    await page.getByTestId("check-in-hint").waitFor();
    expect(await page.getByTestId("check-in-hint").textContent()).to.contain("Check-in opens at");
    expect(await page.getByTestId("action-check-in").count()).to.equal(0);
    await shot(page, "lifecycle-owner-confirmed-desktop-en");
    // The browser's clock moved to the start: the button for its own item appears, none for the partner's.
    const booking = (await api.get(`/api/bookings/${bookingId}`, { token: owner.token })).body as { items: { start: string; providerId: string; instrumentName: string }[] };
    const ownStart = Date.parse(booking.items.find((i) => i.providerId === owner.orgId)!.start);
    const later = await suite.openPage();
    await later.setViewportSize({ width: 390, height: 844 });
    await openBooking(later, owner, bookingId, "en");
    await later.clock.setFixedTime(ownStart);
    await later.reload();
    const buttons = later.getByTestId("action-check-in");
    await buttons.first().waitFor();
    expect(await buttons.count()).to.equal(1);
    expect(await buttons.first().textContent()).to.contain(ownInstrument);
    await shot(later, "lifecycle-owner-check-in-open-390-en");
  });
});
