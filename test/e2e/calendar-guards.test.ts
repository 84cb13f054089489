// A provider closing a booked instrument for maintenance, in a real browser: the server names the
// bookings in the way, the provider cancels each with a reason, the window is then saved, and the
// enterprise reads the reason in its bookings list.
import { expect } from "chai";
import type { Page } from "playwright-core";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin } from "../factories/accounts";
import { publishInstrument, shanghai } from "../factories/catalog";
import { browserSuite, loginInUi, shot } from "./browser";

async function useLanguage(page: Page, locale: "zh-CN" | "en") {
  await page.addInitScript(`localStorage.setItem("labshare.locale", ${JSON.stringify(locale)})`);
}

describe("changes over bookings in the browser", function () {
  this.timeout(90_000);
  const suite = browserSuite("e2e_calendar_guards");
  let api: ApiClient;
  let bureau: string;

  before(async () => {
    api = apiClient(suite.server.baseUrl);
    bureau = await login(api, suite.server.admin.email, suite.server.admin.password);
  });

  for (const [locale, width] of [["zh-CN", 1366], ["en", 390]] as const) {
    it(`lists the bookings a maintenance window would break, cancels one with a reason, then saves the window (${locale}, ${width} px)`, async () => {
      const [provider, ent] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau)]);
      const inst = await publishInstrument(api, provider, { rules: { requiresConfirmation: false } });
      const booked = await api.post("/api/bookings", { instrumentId: inst.id, start: shanghai(5, "10:00"), end: shanghai(5, "11:00") }, { token: ent.token });
      expect(booked.status, JSON.stringify(booked.body)).to.equal(201);

      const page = await suite.openPage();
      await page.setViewportSize({ width, height: 820 });
      await useLanguage(page, locale);
      await loginInUi(page, provider.email, provider.password);
      await page.waitForURL((url) => url.pathname === "/");
      await page.goto(`/provider/instruments/${inst.id}/edit`);

      const range = page.getByTestId("blackout-range").locator("input");
      await range.nth(0).click();
      await range.nth(0).fill(shanghai(5, "09:00").slice(0, 16).replace("T", " "));
      await range.nth(1).fill(shanghai(5, "12:00").slice(0, 16).replace("T", " "));
      await range.nth(1).press("Enter");
      await page.getByTestId("blackout-reason").fill(locale === "en" ? "Annual calibration" : "年度计量检定");
      await page.getByTestId("blackout-add").click();

      const row = page.getByTestId("affected-row");
      await row.waitFor();
      expect(await row.getAttribute("data-id")).to.equal(booked.body.id);
      expect(await row.textContent()).to.contain(booked.body.enterpriseName).and.to.contain("10:00");
      await shot(page, `affected-${locale}-${width}`);

      await page.getByTestId("affected-cancel").click();
      await page.locator("textarea[data-testid=affected-reason], [data-testid=affected-reason] textarea").fill(locale === "en" ? "Calibration: please rebook next week" : "设备年度检定，请改约下周");
      await shot(page, `affected-dialog-${locale}-${width}`);
      await page.getByTestId("affected-submit").click();
      await page.getByTestId("affected-cleared").waitFor();

      await page.getByTestId("blackout-add").click();
      await page.getByTestId("blackout-list").locator(".el-table__row").first().waitFor();
      expect((await api.get(`/api/instruments/${inst.id}/blackouts`)).body.items).to.have.length(1);

      const mine = await suite.openPage();
      await mine.setViewportSize({ width, height: 820 });
      await useLanguage(mine, locale);
      await loginInUi(mine, ent.email, ent.password);
      await mine.waitForURL((url) => url.pathname === "/");
      await mine.goto("/bookings");
      const reason = mine.getByTestId("booking-end-reason");
      await reason.waitFor();
      expect(await reason.textContent()).to.contain(locale === "en" ? "Calibration" : "年度检定");
      await shot(mine, `enterprise-reason-${locale}-${width}`);
    });
  }
});
