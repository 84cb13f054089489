// Headless Chromium driven by playwright-core, for the browser tests (which one: chromium.ts).
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startTestServer, type TestServer } from "../support/server";
import { CHROMIUM_ARGS, findChromium } from "./chromium";

const TIMEOUT = 10_000;

export async function launchBrowser(): Promise<Browser> {
  const { executablePath } = await findChromium();
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/** A fresh browser profile (cookies, localStorage) at a desktop size, its languages those of `locale`. */
export function newContext(browser: Browser, baseURL: string, locale = "zh-CN"): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 1366, height: 820 }, locale });
}

/** Screenshots for looking at the UI while developing: only when E2E_SHOTS names a folder. */
export async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  // From the top: a full-page capture taken while scrolled paints the sticky header mid-page.
  await page.evaluate("window.scrollTo(0, 0)");
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** Chooses an option of an Element Plus select, both named by their data-testid. */
export async function pick(page: Page, select: string, option: string): Promise<void> {
  await page.getByTestId(select).click();
  await page.getByTestId(option).click();
}

/** Fills and submits the login form (the caller waits for where it should lead). */
export async function loginInUi(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
}

/**
 * Playwright re-checks a waitForFunction predicate with eval inside the page, which the app's CSP
 * (no 'unsafe-eval', server/http/security.ts) refuses. page.evaluate goes through the DevTools
 * protocol, outside the page's CSP: poll with it instead, same signature.
 */
function pollFromOutside(page: Page): Page {
  page.waitForFunction = (async (predicate: string | (() => unknown), arg?: unknown, options?: { timeout?: number; polling?: number | "raf" }) => {
    const deadline = Date.now() + (options?.timeout ?? TIMEOUT);
    const interval = typeof options?.polling === "number" ? options.polling : 50;
    for (;;) {
      const handle = await page.evaluateHandle(predicate as () => unknown, arg);
      if (await handle.jsonValue().catch(() => true)) return handle;
      await handle.dispose();
      if (Date.now() > deadline) throw new Error(`waitForFunction: timed out after ${options?.timeout ?? TIMEOUT} ms waiting for ${String(predicate)}`);
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  }) as Page["waitForFunction"];
  return page;
}

/**
 * The app and a browser for one mocha suite: call it inside `describe`. Each `openPage()` is a fresh
 * browser profile, closed after its test.
 */
export function browserSuite(label: string) {
  const contexts: BrowserContext[] = [];
  // The app must live under its own CSP (server/http/security.ts): a violation fails the test.
  const cspViolations: string[] = [];
  let browser: Browser | undefined;
  const suite = {
    server: undefined as unknown as TestServer,
    /** `locale`: the browser's language (navigator.languages, Accept-Language), zh-CN unless given. */
    async openPage(locale?: string): Promise<Page> {
      const context = await newContext(browser!, suite.server.baseUrl, locale);
      context.setDefaultTimeout(TIMEOUT);
      context.on("console", (msg) => {
        if (msg.type() === "error" && /Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
      });
      contexts.push(context);
      return pollFromOutside(await context.newPage());
    },
  };

  before(async function () {
    if (!existsSync(new URL("../../client/dist/index.html", import.meta.url))) {
      throw new Error("client/dist is missing: run `npm run build:client` before the browser tests");
    }
    suite.server = await startTestServer(label);
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    const violations = cspViolations.splice(0);
    if (violations.length > 0) throw new Error(`Content Security Policy violations:\n${violations.join("\n")}`);
  });
  after(async () => {
    await browser?.close();
    await suite.server?.stop();
  });
  return suite;
}
