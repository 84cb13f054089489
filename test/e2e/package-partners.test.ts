// Packages across providers in a real browser: the partner provider sees the request, accepts it,
// and the package's own list and public page show that it can now be booked.
import { expect } from "chai";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin } from "../factories/accounts";
import { publishInstrument, publishPackage } from "../factories/catalog";
import { browserSuite, loginInUi, shot } from "./browser";

describe("package partners in the browser", function () {
  this.timeout(90_000);
  const suite = browserSuite("e2e_package_partners");
  let api: ApiClient;
  let bureau: string;

  before(async () => {
    api = apiClient(suite.server.baseUrl);
    bureau = await login(api, suite.server.admin.email, suite.server.admin.password);
  });

  for (const [locale, width] of [["zh-CN", 1366], ["en", 390]] as const) {
    it(`lets a partner accept a package that uses its instrument, after which it is bookable (${locale}, ${width} px)`, async () => {
      const [owner, partner] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "provider", bureau)]);
      const [own, theirs] = await Promise.all([publishInstrument(api, owner), publishInstrument(api, partner)]);
      const pkg = await publishPackage(api, owner, [{ instrumentId: own.id, minutes: 60 }, { instrumentId: theirs.id, minutes: 120 }], { priceFen: 50000 });

      const page = await suite.openPage();
      await page.setViewportSize({ width, height: 820 });
      await page.addInitScript(`localStorage.setItem("labshare.locale", ${JSON.stringify(locale)})`);
      await page.goto(`/packages/${pkg.id}`);
      await page.getByTestId("partner-notice").waitFor();
      expect(await page.getByTestId("package-schedule").count(), "no booking form while awaiting partners").to.equal(0);
      await shot(page, `package-awaiting-${locale}-${width}`);

      await loginInUi(page, partner.email, partner.password);
      await page.waitForURL((url) => url.pathname === "/");
      await page.goto("/provider/partner-requests");
      const request = page.locator(`[data-testid="partner-request"][data-id="${pkg.id}"]`);
      await request.waitFor();
      expect(await request.getByTestId("partner-status").getAttribute("data-status")).to.equal("pending");
      await shot(page, `partner-requests-${locale}-${width}`);
      await request.getByTestId("partner-accept").click();
      await request.locator('[data-testid="partner-status"][data-status="accepted"]').waitFor();
      expect((await api.get(`/api/packages/${pkg.id}`)).body.partnerStatus).to.equal("accepted");

      await page.goto(`/packages/${pkg.id}`);
      await page.getByTestId("package-schedule").waitFor();
    });
  }
});
