// Field messages of rules beyond the schema reach the user in the page's language: the provider's
// downtime form shows the server's catalogue message (shared/field-rules.ts), not an English note.
import { expect } from "chai";
import { login, orgAdmin } from "../factories/accounts";
import { instrumentBody } from "../factories/catalog";
import { apiClient } from "../support/http";
import { fieldRuleMessage } from "../../shared/field-rules";
import { browserSuite, loginInUi, shot } from "./browser";

describe("field messages in the browser", function () {
  this.timeout(90_000);
  const suite = browserSuite("e2e_fieldmessages");

  for (const [locale, width] of [["zh-CN", 390], ["en", 1366]] as const) {
    it(`shows a too-long maintenance window's rule message in ${locale} under the downtime form (${width} px)`, async () => {
      const api = apiClient(suite.server.baseUrl);
      const bureau = await login(api, suite.server.admin.email, suite.server.admin.password);
      const provider = await orgAdmin(api, "provider", bureau);
      const created = await api.post("/api/instruments", instrumentBody({ timezone: "Asia/Shanghai" }), { token: provider.token });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const page = await suite.openPage();
      await page.setViewportSize({ width, height: 820 });
      await page.addInitScript(`localStorage.setItem("labshare.locale", "${locale}")`);
      await loginInUi(page, provider.email, provider.password);
      await page.waitForURL((url) => url.pathname === "/");
      await page.goto(`/provider/instruments/${created.body.id}/edit`);

      const range = page.getByTestId("blackout-range").locator("input");
      await range.nth(0).click();
      await range.nth(0).fill("2030-03-08 09:00");
      await range.nth(1).fill("2032-03-09 17:30");
      await range.nth(1).press("Enter");
      await page.getByTestId("blackout-reason").fill("大修");
      await page.getByTestId("blackout-add").click();
      const expected = fieldRuleMessage("maxDuration", locale, { days: 366 });
      const error = page.locator(".field-error", { hasText: expected });
      await error.waitFor();
      await error.scrollIntoViewIfNeeded();
      await shot(page, `field-message-${locale}-${width}`);
    });
  }
});
