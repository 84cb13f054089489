// Accounts in a real browser: registration, login, language, and the bureau's review arriving live.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { creditCodeCheckChar } from "../../shared/credit-code";
import { ERRORS } from "../../shared/errors";
import { browserSuite, loginInUi, pick, shot } from "./browser";

const CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

function uniqueCreditCode(): string {
  let prefix = "91371500";
  for (const byte of randomBytes(9)) prefix += CREDIT_ALPHABET[byte % CREDIT_ALPHABET.length];
  return prefix + creditCodeCheckChar(prefix)!;
}

function newPerson(label: string) {
  const tag = randomBytes(4).toString("hex");
  return {
    name: `${label} ${tag}`,
    email: `${label.toLowerCase()}-${tag}@example.test`,
    password: "correct-horse-9",
    company: `聊城${label}轴承有限公司 ${tag}`,
  };
}
type Person = ReturnType<typeof newPerson>;

async function registerEnterpriseInUi(page: Page, person: Person) {
  await page.goto("/register");
  await page.getByTestId("reg-name").fill(person.name);
  await page.getByTestId("reg-email").fill(person.email);
  await page.getByTestId("reg-password").fill(person.password);
  await page.getByTestId("reg-confirm").fill(person.password);
  await page.getByTestId("reg-submit").click();

  await page.getByTestId("choose-enterprise").click();
  await page.getByTestId("org-name").fill(person.company);
  await page.getByTestId("org-credit-code").fill(uniqueCreditCode());
  await pick(page, "org-county", "county-linqing");
  await pick(page, "org-industry", "industry-bearings");
  await page.getByTestId("size-small").click();
  await shot(page, "register-enterprise");
  await page.getByTestId("org-submit").click();
  await page.waitForURL((url) => url.pathname === "/");
}

const orgStatus = (page: Page) => page.getByTestId("home-org-status");

describe("accounts in the browser", function () {
  this.timeout(90_000);
  const suite = browserSuite("e2e_accounts");
  const { openPage } = suite;

  it("registers an account and an enterprise, shows it pending, logs out and in again", async () => {
    const page = await openPage();
    const person = newPerson("Visitor");
    await page.goto("/");
    await shot(page, "landing");
    await registerEnterpriseInUi(page, person);

    await orgStatus(page).waitFor();
    expect(await orgStatus(page).getAttribute("data-status")).to.equal("pending");
    expect(await page.getByTestId("home-org-name").textContent()).to.contain(person.company);
    await shot(page, "home-enterprise-pending");

    await page.getByTestId("user-menu").click();
    await page.getByTestId("menu-logout").click();
    await page.waitForURL((url) => url.pathname === "/login");

    await loginInUi(page, person.email, person.password);
    await page.waitForURL((url) => url.pathname === "/");
    await orgStatus(page).waitFor();
    expect(await orgStatus(page).getAttribute("data-status")).to.equal("pending");
  });

  it("switches the interface from Chinese to English and keeps it after a reload", async () => {
    const page = await openPage();
    await page.goto("/login");
    expect(await page.getByTestId("app-name").textContent()).to.equal("大型仪器共享与创新券平台");
    expect(await page.getByTestId("login-submit").textContent()).to.contain("登录");

    await page.getByTestId("lang-switch").click();
    await page.getByTestId("lang-en").click();
    await page.getByText("labshare — Instrument Sharing & Innovation Vouchers").waitFor();
    expect((await page.getByTestId("login-submit").textContent())?.trim()).to.equal("Log in");

    await page.reload();
    await page.getByTestId("login-submit").waitFor();
    expect(await page.getByTestId("app-name").textContent()).to.equal(
      "labshare — Instrument Sharing & Innovation Vouchers",
    );
    expect(await page.locator("html").getAttribute("lang")).to.equal("en");
  });

  it("shows the bureau's approval on the enterprise's home page live, without a reload", async () => {
    const enterprisePage = await openPage();
    const person = newPerson("Live");
    await registerEnterpriseInUi(enterprisePage, person);
    await orgStatus(enterprisePage).waitFor();
    expect(await orgStatus(enterprisePage).getAttribute("data-status")).to.equal("pending");
    const navigations: string[] = [];
    enterprisePage.on("framenavigated", (frame) => navigations.push(frame.url()));

    const bureauPage = await openPage();
    await loginInUi(bureauPage, suite.server.admin.email, suite.server.admin.password);
    await bureauPage.getByTestId("nav-registrations").click();
    await bureauPage.waitForURL((url) => url.pathname === "/bureau/registrations");
    await bureauPage.getByTestId("review-search").fill(person.company);
    const row = bureauPage.locator(".el-table__row", { hasText: person.company });
    await row.waitFor();
    await shot(bureauPage, "bureau-registrations");
    await row.getByTestId("review-approve").click();
    await bureauPage.getByTestId("review-confirm").click();
    await row.waitFor({ state: "detached" }); // it leaves the pending list

    await enterprisePage.locator('[data-testid="home-org-status"][data-status="approved"]').waitFor({ timeout: 5_000 });
    expect(navigations, "the page was not reloaded").to.deep.equal([]);
    await shot(enterprisePage, "home-enterprise-approved");
  });

  it("shows the server's message when the login is wrong", async () => {
    const page = await openPage();
    await loginInUi(page, `nobody-${randomBytes(3).toString("hex")}@example.test`, "wrong-password-1");
    const error = page.getByTestId("login-error");
    await error.waitFor();
    expect(await error.textContent()).to.contain(ERRORS.INVALID_CREDENTIALS.zh);
    expect(new URL(page.url()).pathname).to.equal("/login");
  });
});
