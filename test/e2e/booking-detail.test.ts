// Booking detail in the browser (issue 11): the booking number and the provider's address and
// contact on the detail page, the printable booking slip (预约单) reached by "打印预约单" and
// rendered for print, the calendar subscription with copy and reset on the account page (the old
// URL then answers 404), the instrument's feed for its provider, and the provider's contact form.
// Screens at 390 px and desktop, in Chinese and English, with E2E_SHOTS.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { browserSuite, loginInUi, shot } from "./browser";

const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
const HOUR = 3600_000;
const PHONE = { width: 390, height: 844 };
const CONTACT = { address: "山东省聊城市东昌府区花园北路 1 号 检测楼 3 层", contactPerson: "王工", phone: "0635-8123456", email: "lab@example.test", note: "工作日 9:00–17:00 收样" };

async function openAs(page: Page, user: TestUser, path: string, locale: "zh-CN" | "en" = "zh-CN") {
  await page.addInitScript(`localStorage.setItem("labshare.locale", ${JSON.stringify(locale)})`);
  await loginInUi(page, user.email, user.password);
  await page.waitForURL((url) => url.pathname === "/");
  await page.goto(path);
}

/** How far the page's content sticks out past the viewport's right edge (0: nothing scrolls sideways). */
const sideways = (page: Page) =>
  page.evaluate<number>(`(() => {
    const main = document.querySelector(".shell-main");
    return Math.max(document.documentElement.scrollWidth - window.innerWidth, main ? main.scrollWidth - main.clientWidth : 0);
  })()`);

describe("booking detail, slip and calendar feeds in the browser", function () {
  this.timeout(120_000);
  const suite = browserSuite("e2e-booking-detail");
  let api: ApiClient;
  let provider: TestUser;
  let ent: TestUser;
  let instrument: { id: string; name: string };
  let booking: { id: string; number: string };

  before(async () => {
    api = apiClient(suite.server.baseUrl);
    const bureau = await login(api, suite.server.admin.email, suite.server.admin.password);
    [provider, ent] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau)]);
    const put = await api.call("PUT", `/api/providers/${provider.orgId}/contact`, { token: provider.token, json: CONTACT });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    const inst = await api.post("/api/instruments", {
      name: `场发射扫描电镜 ${randomBytes(3).toString("hex")}`, category: "analytical", priceUnit: "hour", priceFen: 30000, location: "检测楼 3 层 301 室",
      originalValueFen: 85_000_000, openHours: ALL_DAY, slotMinutes: 60, capacity: 1, rules: { minNoticeMinutes: 0, requiresConfirmation: false },
    }, { token: provider.token });
    expect(inst.status, JSON.stringify(inst.body)).to.equal(201);
    instrument = inst.body;
    const start = Math.ceil(Date.now() / HOUR) * HOUR + 5 * HOUR;
    const res = await api.post("/api/bookings", { instrumentId: instrument.id, start: new Date(start).toISOString(), end: new Date(start + 2 * HOUR).toISOString(), note: "样品 3 件，需防潮" }, { token: ent.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    booking = { id: res.body.id, number: res.body.number };
  });

  it("the detail shows the booking number and the provider's address and contact; 打印预约单 opens the slip, which prints", async () => {
    const page = await suite.openPage();
    await openAs(page, ent, `/bookings/${booking.id}`);
    await page.getByTestId("booking-items").waitFor();
    expect(await page.getByTestId("booking-number").textContent()).to.include(booking.number);
    const card = page.getByTestId("provider-contact");
    await card.getByTestId("provider-address").waitFor();
    const text = (await card.textContent()) ?? "";
    for (const part of [CONTACT.address, CONTACT.contactPerson, CONTACT.phone, CONTACT.email, CONTACT.note, "检测楼 3 层 301 室"]) expect(text).to.include(part);
    expect(await card.getByTestId("provider-phone").getAttribute("href")).to.equal("tel:06358123456");
    await shot(page, "i11-detail-desktop");

    await page.getByTestId("booking-print").click();
    await page.waitForURL((url) => url.pathname === `/bookings/${booking.id}/slip`);
    await page.getByTestId("slip-contact").waitFor();
    expect((await page.getByTestId("slip-number").textContent())?.trim()).to.equal(booking.number);
    expect(await page.getByTestId("slip-contact").textContent()).to.include(CONTACT.phone).and.include(CONTACT.contactPerson);
    expect(await page.getByTestId("slip-provider").textContent()).to.include(CONTACT.address);
    expect(await page.getByTestId("slip-zone").textContent()).to.include("Asia/Shanghai");
    expect(await page.getByTestId("slip-items").textContent()).to.include(instrument.name);
    await shot(page, "i11-slip-desktop");

    // On paper only the slip: no header, side menu or buttons.
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".shell-header").isVisible()).to.equal(false);
    expect(await page.locator(".shell-aside").isVisible()).to.equal(false);
    expect(await page.getByTestId("slip-print").isVisible()).to.equal(false);
    expect(await page.getByTestId("slip-number").isVisible()).to.equal(true);
    await shot(page, "i11-slip-print-media");
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    expect(pdf.subarray(0, 5).toString()).to.equal("%PDF-");
    expect(pdf.length).to.be.greaterThan(10_000);
    if (process.env.E2E_SHOTS) writeFileSync(path.join(process.env.E2E_SHOTS, "i11-slip.pdf"), pdf);
    await page.emulateMedia({ media: "screen" });
    // Other pages keep their header in print.
    await page.goto("/bookings");
    await page.getByTestId("bookings-table").waitFor();
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".shell-header").isVisible()).to.equal(true);
  });

  it("at 390 px the detail and the slip fit the screen, in Chinese and in English", async () => {
    for (const locale of ["zh-CN", "en"] as const) {
      const page = await suite.openPage();
      await page.setViewportSize(PHONE);
      await openAs(page, ent, `/bookings/${booking.id}`, locale);
      await page.getByTestId("provider-address").waitFor();
      await page.waitForLoadState("networkidle");
      expect(await sideways(page), `detail ${locale}`).to.be.at.most(0);
      await shot(page, `i11-detail-390-${locale}`);
      await page.goto(`/bookings/${booking.id}/slip`);
      await page.getByTestId("slip-contact").waitFor();
      await page.waitForLoadState("networkidle");
      expect(await sideways(page), `slip ${locale}`).to.be.at.most(0);
      if (locale === "en") expect(await page.locator("h1").filter({ hasText: "Booking slip" }).count()).to.equal(1);
      await shot(page, `i11-slip-390-${locale}`);
    }
  });

  it("the slip of a voucher booking shows the price, the expected subsidy by source and what the enterprise pays", async () => {
    const start = Math.ceil(Date.now() / HOUR) * HOUR + 12 * HOUR;
    const res = await api.post("/api/bookings", { instrumentId: instrument.id, start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString(), useVoucher: true }, { token: ent.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.subsidy, "the booking's expected split").to.be.an("object");
    const page = await suite.openPage();
    await openAs(page, ent, `/bookings/${res.body.id}/slip`);
    await page.getByTestId("slip-enterprise-pays").waitFor();
    expect(await page.getByTestId("slip-price").textContent()).to.include("300.00");
    const pays = res.body.subsidy.enterpriseFen as number;
    expect(await page.getByTestId("slip-enterprise-pays").textContent()).to.include((pays / 100).toFixed(2));
    expect(await page.getByTestId("booking-slip").textContent()).to.include("创新券补贴");
    await shot(page, "i11-slip-voucher-desktop");
  });

  it("the enterprise's list shows the number and finds the booking by it; the provider's list shows it too", async () => {
    const page = await suite.openPage();
    await openAs(page, ent, "/bookings");
    await page.getByTestId("booking-row-number").first().waitFor();
    expect(await page.getByTestId("booking-row-number").allTextContents()).to.include(booking.number);
    await page.getByTestId("bookings-number").fill(booking.number.toLowerCase());
    await page.waitForFunction(`document.querySelectorAll("[data-testid=booking-row-number]").length === 1`);
    await page.getByTestId("bookings-number").fill("YY-20000101-0001");
    await page.getByTestId("bookings-empty").waitFor();

    const providerPage = await suite.openPage();
    await openAs(providerPage, provider, "/provider/bookings");
    await providerPage.getByTestId("filter-all").click();
    await providerPage.getByTestId("booking-row-number").first().waitFor();
    expect(await providerPage.getByTestId("booking-row-number").allTextContents()).to.include(booking.number);
  });

  it("a booking made before numbers existed shows its id in the number's place", async () => {
    const start = Math.ceil(Date.now() / HOUR) * HOUR + 9 * HOUR;
    const res = await api.post("/api/bookings", { instrumentId: instrument.id, start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString() }, { token: ent.token });
    const id = res.body.id as string;
    await suite.server.db.conn.collection("events").updateOne({ _id: `${id}:1` as never }, { $unset: { "data.number": "" } });
    await suite.server.db.conn.collection("bookings").updateOne({ _id: id as never }, { $unset: { number: "" } });
    const page = await suite.openPage();
    await openAs(page, ent, `/bookings/${id}`);
    await page.getByTestId("booking-items").waitFor();
    expect(await page.getByTestId("booking-number").textContent()).to.include(id);
    await page.goto(`/bookings/${id}/slip`);
    expect((await page.getByTestId("slip-number").textContent())?.trim()).to.equal(id);
  });

  it("the account page's 订阅日历 shows the feed URL, copies it, and a reset gives a new URL while the old one answers 404", async () => {
    const page = await suite.openPage();
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await openAs(page, ent, "/account");
    const input = page.getByTestId("calendar-feed-url");
    await input.waitFor();
    const oldUrl = await input.inputValue();
    expect(oldUrl).to.match(new RegExp(`^${suite.server.baseUrl}/api/ical/[A-Za-z0-9_-]{43}\\.ics$`));
    const feed = await fetch(oldUrl);
    expect(feed.status).to.equal(200);
    expect(await feed.text()).to.include(booking.number);
    expect(await page.getByTestId("calendar-feed-open").getAttribute("href")).to.equal(oldUrl.replace(/^http:/, "webcal:"));
    await page.getByTestId("calendar-feed-copy").click();
    expect(await page.evaluate<string>("navigator.clipboard.readText()")).to.equal(oldUrl);
    await shot(page, "i11-account-feed-desktop");

    await page.getByTestId("calendar-feed-reset").click();
    await page.getByTestId("calendar-feed-reset-ok").click();
    await page.waitForFunction(`document.querySelector("[data-testid=calendar-feed-url]").value !== ${JSON.stringify(oldUrl)}`);
    const newUrl = await input.inputValue();
    expect((await fetch(oldUrl)).status).to.equal(404);
    expect((await fetch(newUrl)).status).to.equal(200);
  });

  it("in English at 390 px, the provider's instrument page offers the instrument's feed and the account page the contact form, which shows the server's field errors", async () => {
    const page = await suite.openPage();
    await page.setViewportSize(PHONE);
    await openAs(page, provider, `/instruments/${instrument.id}`, "en");
    const card = page.locator("[data-testid=calendar-feed][data-kind=instrument]");
    await card.getByTestId("calendar-feed-url").waitFor();
    expect(await card.textContent()).to.include("Subscribe to calendar");
    const url = await card.getByTestId("calendar-feed-url").inputValue();
    const ics = await (await fetch(url)).text(); // in the language the user chose on the server (zh-CN)
    expect(ics).to.include("BEGIN:VCALENDAR").and.include(`X-WR-CALNAME:仪器预约 · ${instrument.name}`);
    await page.waitForLoadState("networkidle");
    expect(await sideways(page), "instrument page").to.be.at.most(0);
    await card.scrollIntoViewIfNeeded();
    await shot(page, "i11-instrument-feed-390-en");

    await page.goto("/account");
    const form = page.getByTestId("provider-contact-form");
    await page.waitForFunction(`document.querySelector("[data-testid=contact-address]")?.value`);
    expect(await form.getByTestId("contact-address").inputValue()).to.equal(CONTACT.address);
    await form.getByTestId("contact-phone").fill("call me");
    await form.getByTestId("contact-save").click();
    await form.locator(".el-form-item__error").first().waitFor();
    await form.getByTestId("contact-phone").fill("0635-8000000");
    await form.getByTestId("contact-save").click();
    await page.waitForFunction(`!document.querySelector("[data-testid=provider-contact-form] .el-form-item__error")`);
    const saved = await api.get(`/api/providers/${provider.orgId}/contact`, { token: ent.token });
    expect(saved.body.contact.phone).to.equal("0635-8000000");
    await page.waitForLoadState("networkidle");
    expect(await sideways(page), "account page").to.be.at.most(0);
    await shot(page, "i11-account-provider-390-en");
  });
});
