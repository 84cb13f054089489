// Issue 11 in the browser: each role's home speaks to that role (the provider is not told how to
// book, no one is told that vouchers are coming: they are here), in Chinese and English; and the
// interface opens in the browser's language on a first visit, after which the user's choice wins.
// Screens at 390 px and desktop with E2E_SHOTS.
import { expect } from "chai";
import type { Page } from "playwright-core";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { browserSuite, loginInUi, shot } from "./browser";

type Locale = "zh-CN" | "en";

/** Words that belong on no home page any more (vouchers have been live since issue 10). */
const STALE = ["即将上线", "coming soon"];

describe("each role's home and the interface language", function () {
  this.timeout(120_000);
  const suite = browserSuite("e2e-homes");
  let api: ApiClient;
  const users = {} as Record<"enterprise" | "provider" | "pendingEnterprise" | "pendingProvider" | "bureau", TestUser>;

  before(async () => {
    api = apiClient(suite.server.baseUrl);
    const bureau = await login(api, suite.server.admin.email, suite.server.admin.password);
    [users.enterprise, users.provider, users.pendingEnterprise, users.pendingProvider] = await Promise.all([
      orgAdmin(api, "enterprise", bureau),
      orgAdmin(api, "provider", bureau),
      orgAdmin(api, "enterprise"),
      orgAdmin(api, "provider"),
    ]);
    users.bureau = { id: "", email: suite.server.admin.email, password: suite.server.admin.password, token: bureau };
  });

  async function home(who: keyof typeof users, locale: Locale, width = 1366): Promise<Page> {
    const page = await suite.openPage(locale);
    await page.setViewportSize({ width, height: 844 });
    await page.addInitScript(`localStorage.setItem("labshare.locale", ${JSON.stringify(locale)})`);
    await loginInUi(page, users[who].email, users[who].password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByTestId("home-shortcuts").waitFor();
    await shot(page, `home-${who}-${locale}-${width}`);
    return page;
  }

  const text = (page: Page) => page.locator(".shell-main").innerText();
  const shortcuts = (page: Page) =>
    page.locator("[data-testid=home-shortcuts] .links [data-testid]").evaluateAll((els) => els.map((el) => el.getAttribute("data-testid")));

  // [who, locale, what the hint says, the shortcuts, what it must not say]
  const CASES: [keyof typeof users, Locale, string, string[], string[]][] = [
    ["enterprise", "zh-CN", "使用创新券", ["home-go-catalog", "home-go-bookings", "home-go-vouchers"], []],
    ["enterprise", "en", "innovation voucher", ["home-go-catalog", "home-go-bookings", "home-go-vouchers"], []],
    ["provider", "zh-CN", "预约申请", ["home-go-requests", "home-go-instruments", "home-go-packages", "home-go-subsidies"], ["在线预约", "查找仪器"]],
    ["provider", "en", "Booking requests", ["home-go-requests", "home-go-instruments", "home-go-packages", "home-go-subsidies"], ["book a time", "Find an instrument"]],
    ["pendingEnterprise", "zh-CN", "审核通过后即可在线预约", ["home-go-catalog"], []],
    ["pendingProvider", "en", "Once approved you can publish instruments", ["home-go-catalog"], ["book instruments"]],
    ["bureau", "zh-CN", "兑付", ["home-go-claims", "home-go-settlements", "home-go-policy"], ["在线预约"]],
    ["bureau", "en", "voucher claims", ["home-go-claims", "home-go-settlements", "home-go-policy"], ["book a time"]],
  ];
  for (const [who, locale, says, links, never] of CASES) {
    it(`speaks to the ${who} on its home (${locale}): "${says}", its own shortcuts, nothing stale or meant for others`, async () => {
      const page = await home(who, locale, who === "provider" || who === "enterprise" ? 390 : 1366);
      expect(await page.getByTestId("home-hint").innerText()).to.contain(says);
      expect(await shortcuts(page)).to.deep.equal(links);
      const all = await text(page);
      for (const phrase of [...STALE, ...never]) expect(all, `${who}'s home`).to.not.contain(phrase);
    });
  }

  it("takes an enterprise from its home's shortcut to its vouchers", async () => {
    const page = await home("enterprise", "zh-CN");
    await page.getByTestId("home-go-vouchers").click();
    await page.waitForURL((url) => url.pathname === "/vouchers");
  });

  it("tells a visitor what the platform is for, with nothing stale", async () => {
    for (const locale of ["zh-CN", "en"] as const) {
      const page = await suite.openPage(locale);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto("/");
      await page.getByTestId("landing").waitFor();
      await shot(page, `home-visitor-${locale}-390`);
      const all = await text(page);
      for (const phrase of STALE) expect(all).to.not.contain(phrase);
    }
  });

  describe("the interface language", () => {
    const opensIn = async (browserLocale: string) => {
      const page = await suite.openPage(browserLocale);
      await page.goto("/login");
      await page.getByTestId("login-submit").waitFor();
      return { page, lang: await page.evaluate<string>("document.documentElement.lang"), button: (await page.getByTestId("login-submit").innerText()).trim() };
    };

    it("opens in English on a first visit from an en-US browser", async () => {
      const { page, lang, button } = await opensIn("en-US");
      expect(lang).to.equal("en");
      expect(button).to.equal("Log in");
      await shot(page, "language-first-visit-en-US");
    });

    it("opens in Chinese from a Chinese browser, and from one whose language it does not speak", async () => {
      for (const browserLocale of ["zh-CN", "zh-TW", "fr-FR"]) {
        const { lang } = await opensIn(browserLocale);
        expect(lang, browserLocale).to.equal("zh-CN");
      }
    });

    it("keeps the language the user chose over the browser's, after a reload", async () => {
      const { page } = await opensIn("en-US");
      await page.getByTestId("lang-switch").click();
      await page.getByTestId("lang-zh-CN").click();
      await page.waitForFunction("document.documentElement.lang === 'zh-CN'");
      await page.reload();
      await page.getByTestId("login-submit").waitFor();
      expect(await page.evaluate<string>("document.documentElement.lang")).to.equal("zh-CN");
      expect((await page.getByTestId("login-submit").innerText()).replace(/\s/g, "")).to.equal("登录");
    });
  });
});
