// Accounts in a real browser: registration, login, language, and the bureau's review arriving live.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { creditCodeCheckChar } from "../../shared/credit-code";
import { ERRORS } from "../../shared/errors";
import { apiClient } from "../support/http";
import { orgAdmin, orgMember } from "../factories/accounts";
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

  it("takes a rejected enterprise through correction and resubmission to approval (round 2 in the bureau's queue)", async () => {
    const enterprisePage = await openPage();
    const person = newPerson("Round");
    await registerEnterpriseInUi(enterprisePage, person);
    await orgStatus(enterprisePage).waitFor();

    const bureauPage = await openPage();
    await loginInUi(bureauPage, suite.server.admin.email, suite.server.admin.password);
    await bureauPage.getByTestId("nav-registrations").click();
    await bureauPage.getByTestId("review-search").fill(person.company);
    const row = bureauPage.locator(".el-table__row", { hasText: person.company });
    await row.getByTestId("review-reject").click();
    await bureauPage.locator('[data-testid="review-reason"] textarea, textarea[data-testid="review-reason"]').fill("营业执照名称与填写不一致");
    await bureauPage.getByTestId("review-confirm").click();
    await row.waitFor({ state: "detached" });

    // The applicant sees why, live, and corrects the name.
    await enterprisePage.locator('[data-testid="home-org-status"][data-status="rejected"]').waitFor({ timeout: 5_000 });
    // The reason comes with the organization's record, fetched again right after the status changes.
    await enterprisePage.getByTestId("home-status-alert").filter({ hasText: "营业执照名称与填写不一致" }).waitFor({ timeout: 5_000 });
    await shot(enterprisePage, "home-enterprise-rejected");
    await enterprisePage.getByTestId("resubmit-open").click();
    const dialog = enterprisePage.getByTestId("resubmit-dialog");
    const corrected = `${person.company} 更正`;
    await dialog.getByTestId("org-name").fill(corrected);
    await shot(enterprisePage, "resubmit-dialog");
    await dialog.getByTestId("org-submit").click();
    await enterprisePage.locator('[data-testid="home-org-status"][data-status="pending"]').waitFor();
    expect(await enterprisePage.getByTestId("home-org-name").textContent()).to.contain(corrected);

    // Back in the bureau's pending queue as round 2; approved from there.
    await bureauPage.getByTestId("review-search").fill(corrected);
    const again = bureauPage.locator(".el-table__row", { hasText: corrected });
    expect(await again.getByTestId("review-round").textContent()).to.contain("第 2 轮");
    await shot(bureauPage, "bureau-registrations-round-2");
    await again.getByTestId("review-approve").click();
    await bureauPage.getByTestId("review-confirm").click();
    await again.waitFor({ state: "detached" });
    await enterprisePage.locator('[data-testid="home-org-status"][data-status="approved"]').waitFor({ timeout: 5_000 });
    expect(await enterprisePage.getByTestId("home-round").textContent()).to.contain("第 2 轮");
    await enterprisePage.setViewportSize({ width: 390, height: 844 });
    await enterprisePage.reload();
    await enterprisePage.getByTestId("home-round").waitFor();
    await shot(enterprisePage, "home-enterprise-approved-round-2-390");
  });

  it("lets an org admin see invitation expiry, revoke an invitation and remove a member after confirming (English, 390 px)", async () => {
    const api = apiClient(suite.server.baseUrl);
    const admin = await orgAdmin(api, "provider", await (async () => {
      const res = await api.post("/api/auth/login", { email: suite.server.admin.email, password: suite.server.admin.password });
      return res.body.token as string;
    })());
    const staff = await orgMember(api, admin, "provider_staff");
    const page = await openPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/login");
    await page.getByTestId("lang-switch").click();
    await page.getByTestId("lang-en").click();
    await loginInUi(page, admin.email, admin.password);
    await page.waitForURL((url) => url.pathname === "/");
    // On a phone the menu is a drawer behind the header's menu button.
    await page.getByTestId("nav-toggle").click();
    await page.getByTestId("nav-drawer").getByTestId("nav-account").click();

    await page.getByTestId("invite-email").fill(`colleague-${randomBytes(3).toString("hex")}@example.test`);
    await page.getByTestId("invite-submit").click();
    expect(await page.getByTestId("invite-expiry").textContent()).to.match(/The link works until \d{4}-\d{2}-\d{2}/);
    const pendingRow = page.locator('[data-testid="invitations-table"] .el-table__row', { has: page.locator('[data-state="pending"]') });
    await pendingRow.waitFor();
    await pendingRow.getByTestId("invitation-revoke").click();
    await page.locator(".el-message-box").getByRole("button", { name: "Revoke" }).click();
    await page.locator('[data-testid="invitations-table"] [data-state="revoked"]').waitFor();

    const staffRow = page.locator('[data-testid="members-table"] .el-table__row', { hasText: staff.email });
    await staffRow.getByTestId("member-remove").click();
    await page.locator(".el-message-box").waitFor();
    await page.waitForTimeout(400); // the box fades in
    await shot(page, "account-remove-member-confirm-390-en");
    await page.locator(".el-message-box").getByRole("button", { name: "Remove" }).click();
    await staffRow.waitFor({ state: "detached" });
    expect((await api.get("/api/me", { token: staff.token })).status).to.equal(401);
    await shot(page, "account-members-390-en");
    await page.setViewportSize({ width: 1366, height: 820 });
    await shot(page, "account-members-desktop-en");
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
