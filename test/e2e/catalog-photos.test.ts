// Issue 11 in a real browser: the catalog's dense table view beside the cards (sortable, remembered,
// scrolling inside itself on a phone), and instrument photos: uploaded and ordered by the provider
// on the instrument's edit page, shown as covers in the catalog and as a gallery on the detail page.
// E2E_SHOTS=<dir> saves screenshots at desktop and phone sizes.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { publishInstrument } from "../factories/catalog";
import { picture, uploadPhoto } from "../factories/photos";
import { browserSuite, loginInUi, shot } from "./browser";

const PHONE = { width: 390, height: 844 };

/** How far the page scrolls sideways (0 when it fits), counting the shell's own scrolling main area. */
function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate<number>(`(() => {
    const main = document.querySelector(".shell-main");
    const inner = main ? main.scrollWidth - main.clientWidth : 0;
    return Math.max(0, document.documentElement.scrollWidth - window.innerWidth, inner);
  })()`);
}

const rowNames = (page: Page) => page.getByTestId("table-instrument-name").allTextContents().then((names) => names.map((n) => n.trim()));

describe("catalog table view and instrument photos in the browser", function () {
  this.timeout(120_000);
  const suite = browserSuite("e2e_photos");
  let api: ApiClient;
  let provider: TestUser;
  let tag: string;
  const instruments: { id: string; name: string }[] = [];

  before(async () => {
    api = apiClient(suite.server.baseUrl);
    const bureau = await login(api, suite.server.admin.email, suite.server.admin.password);
    provider = await orgAdmin(api, "provider", bureau);
    tag = randomBytes(3).toString("hex");
    // Three instruments of one search, priced apart; the middle one has photos.
    for (const [name, priceFen] of [[`液相色谱仪 ${tag}`, 20000], [`扫描电镜 ${tag}`, 50000], [`红外光谱仪 ${tag}`, 8000]] as const) {
      instruments.push(await publishInstrument(api, provider, { name, priceFen, model: `M-${priceFen}`, location: "检测大楼 2 层" }));
    }
    for (const seed of [1, 2]) {
      const res = await uploadPhoto(suite.server.baseUrl, instruments[1]!.id, provider.token, await picture("jpeg", 1200, 900, seed));
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }
  });

  it("switches the results to a table with photo, model, provider, county and price, sorts it by price and name, and remembers the choice", async () => {
    const page = await suite.openPage();
    await page.goto(`/catalog?q=${tag}`);
    await page.getByTestId("instrument-card").first().waitFor();
    expect(await page.getByTestId("instrument-card").count()).to.equal(3);
    // The card of the photographed instrument shows its cover, loaded.
    const cardCover = page.locator(`[data-testid=instrument-card][data-id="${instruments[1]!.id}"] [data-testid=instrument-cover]`);
    await cardCover.waitFor();
    await page.waitForFunction(`document.querySelector('[data-id="${instruments[1]!.id}"] img')?.naturalWidth === 480`);
    await shot(page, "catalog-cards-desktop");

    await page.getByTestId("view-table").click();
    await page.getByTestId("instrument-table").waitFor();
    expect(page.url()).to.include("view=table");
    expect(await page.getByTestId("instrument-card").count()).to.equal(0);
    expect(await rowNames(page)).to.have.members(instruments.map((i) => i.name));
    const tableText = await page.getByTestId("instrument-table").innerText();
    const { providerName } = (await api.get(`/api/instruments/${instruments[1]!.id}`)).body;
    for (const text of ["M-50000", "分析仪器", providerName, "东昌府区", "检测大楼 2 层", "¥500.00"]) expect(tableText).to.include(text);
    expect(await page.locator(".instrument-row [data-testid=instrument-cover]").count()).to.equal(1);
    await shot(page, "catalog-table-desktop");

    // Price header: ascending, then descending (the API's sorts, in the URL).
    await page.locator("th").filter({ hasText: "价格" }).click();
    await page.waitForURL(/sort=price_asc/);
    await page.waitForFunction(`document.querySelectorAll("[data-testid=table-instrument-name]").length === 3`);
    expect(await rowNames(page)).to.deep.equal([instruments[2]!.name, instruments[0]!.name, instruments[1]!.name]);
    await page.locator("th").filter({ hasText: "价格" }).click();
    await page.waitForURL(/sort=price_desc/);
    await page.waitForFunction(`document.querySelector("[data-testid=table-instrument-name]")?.textContent.trim() === ${JSON.stringify(instruments[1]!.name)}`);
    await page.locator("th").filter({ hasText: "仪器名称" }).click();
    await page.waitForURL(/sort=name/);

    // A new visit without ?view= opens the table again (localStorage); the cards are one click away.
    await page.goto(`/catalog?q=${tag}`);
    await page.getByTestId("instrument-table").waitFor();
    await page.getByTestId("table-instrument-name").first().click();
    await page.waitForURL(/\/instruments\//);
    await page.goto(`/catalog?q=${tag}`);
    await page.getByTestId("view-cards").click();
    await page.getByTestId("instrument-card").first().waitFor();
    expect(await page.evaluate(`localStorage.getItem("labshare.catalogView")`)).to.equal("cards");
  });

  it("keeps the table inside a 390 px phone screen: the table scrolls sideways, the page does not", async () => {
    const page = await suite.openPage();
    await page.setViewportSize(PHONE);
    await page.goto(`/catalog?q=${tag}&view=table`);
    await page.getByTestId("instrument-table").waitFor();
    await page.waitForLoadState("networkidle");
    expect(await sidewaysOverflow(page), "the page scrolls sideways").to.equal(0);
    const box = (await page.getByTestId("instrument-table").boundingBox())!;
    expect(box.x).to.be.at.least(0);
    expect(box.x + box.width).to.be.at.most(PHONE.width);
    const inner = await page.evaluate<{ scroll: number; client: number }>(`(() => {
      const wrap = document.querySelector("[data-testid=instrument-table] .el-table__body-wrapper .el-scrollbar__wrap");
      return { scroll: wrap.scrollWidth, client: wrap.clientWidth };
    })()`);
    expect(inner.scroll, "the table's own body scrolls sideways").to.be.greaterThan(inner.client);
    // The toggle and its buttons are thumb-sized.
    const toggle = (await page.getByTestId("view-cards").boundingBox())!;
    expect(toggle.height).to.be.at.least(40);
    await shot(page, "catalog-table-phone");
    await page.getByTestId("view-cards").click();
    await page.getByTestId("instrument-card").first().waitFor();
    await page.waitForTimeout(800);
    expect(await sidewaysOverflow(page)).to.equal(0);
    await shot(page, "catalog-cards-phone");
  });

  it("lets the provider upload photos on the edit page, refuses a PDF named .png, makes the second the cover and deletes one", async () => {
    const instrument = await publishInstrument(api, provider, { name: `原子吸收光谱仪 ${tag}` });
    const page = await suite.openPage();
    await loginInUi(page, provider.email, provider.password);
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await page.goto(`/provider/instruments/${instrument.id}/edit`);
    await page.getByTestId("photo-manager").waitFor();
    const [front, side] = await Promise.all([picture("jpeg", 1200, 900, 5), picture("png", 800, 600, 6)]);
    await page.getByTestId("photo-input").setInputFiles([
      { name: "正面.jpg", mimeType: "image/jpeg", buffer: front },
      { name: "侧面.png", mimeType: "image/png", buffer: side },
    ]);
    await page.waitForFunction(`document.querySelectorAll("[data-testid=photo-tile]").length === 2`);
    const ids = await page.getByTestId("photo-tile").evaluateAll((tiles) => tiles.map((t) => t.getAttribute("data-id")));
    expect(await page.getByTestId("photo-tile").first().getByTestId("photo-cover-tag").count()).to.equal(1);

    await page.getByTestId("photo-input").setInputFiles([{ name: "report.png", mimeType: "image/png", buffer: Buffer.from("%PDF-1.7\n%%EOF\n") }]);
    await page.getByTestId("photo-errors").waitFor();
    expect(await page.getByTestId("photo-errors").innerText()).to.include("report.png: 只接受 JPEG、PNG 或 WebP 图片（按文件内容判断）");
    expect(await page.getByTestId("photo-tile").count()).to.equal(2);

    await page.getByTestId("photo-tile").nth(1).getByTestId("photo-make-cover").click();
    await page.waitForFunction(`document.querySelector("[data-testid=photo-tile]")?.getAttribute("data-id") === "${ids[1]}"`);
    const stored = (await api.get(`/api/instruments/${instrument.id}`)).body.photos.map((p: { id: string }) => p.id);
    expect(stored).to.deep.equal([ids[1], ids[0]]);
    await shot(page, "provider-photos-desktop");

    await page.getByTestId("photo-tile").nth(1).getByTestId("photo-delete").click();
    await page.locator(".el-popconfirm").getByRole("button", { name: /确定|Yes|OK/ }).click();
    await page.waitForFunction(`document.querySelectorAll("[data-testid=photo-tile]").length === 1`);
    expect((await api.get(`/api/instruments/${instrument.id}`)).body.photos.map((p: { id: string }) => p.id)).to.deep.equal([ids[1]]);

    await page.setViewportSize(PHONE);
    await page.getByTestId("photo-manager").scrollIntoViewIfNeeded();
    expect(await sidewaysOverflow(page), "the edit page scrolls sideways on a phone").to.equal(0);
    await shot(page, "provider-photos-phone");
  });

  it("shows visitors a gallery on the instrument page that steps through the photos (buttons, thumbnails, a swipe), at desktop and phone sizes, in Chinese and English", async () => {
    const id = instruments[1]!.id;
    const photos = (await api.get(`/api/instruments/${id}`)).body.photos as { largeUrl: string; originalUrl: string }[];
    const page = await suite.openPage();
    await page.goto(`/instruments/${id}`);
    await page.getByTestId("photo-gallery").waitFor();
    const image = page.getByTestId("gallery-image");
    expect(await image.getAttribute("src")).to.equal(photos[0]!.largeUrl);
    await page.waitForFunction(`document.querySelector("[data-testid=gallery-image]").naturalWidth === 1200`);
    expect(await page.getByTestId("gallery-counter").innerText()).to.equal("1 / 2");
    await shot(page, "gallery-desktop");
    await page.getByTestId("gallery-next").click();
    expect(await image.getAttribute("src")).to.equal(photos[1]!.largeUrl);
    expect(await page.getByTestId("gallery-counter").innerText()).to.equal("2 / 2");
    await page.getByTestId("gallery-thumb").first().click();
    expect(await image.getAttribute("src")).to.equal(photos[0]!.largeUrl);
    expect(await page.getByRole("link", { name: "查看原图" }).getAttribute("href")).to.equal(photos[0]!.originalUrl);

    const phone = await suite.openPage();
    await phone.addInitScript(`localStorage.setItem("labshare.locale", "en")`);
    await phone.setViewportSize(PHONE);
    await phone.goto(`/instruments/${id}`);
    await phone.getByTestId("photo-gallery").waitFor();
    await phone.waitForLoadState("networkidle");
    expect(await phone.getByRole("link", { name: "View original" }).count()).to.equal(1);
    const stage = (await phone.getByTestId("gallery-image").boundingBox())!;
    expect(stage.x + stage.width).to.be.at.most(PHONE.width);
    for (const button of ["gallery-prev", "gallery-next"]) expect((await phone.getByTestId(button).boundingBox())!.height).to.be.at.least(40);
    // A swipe to the left shows the next photo.
    await phone.evaluate(`(() => {
      const stage = document.querySelector("[data-testid=photo-gallery] .stage");
      const at = (x) => new Touch({ identifier: 1, target: stage, clientX: x, clientY: 200 });
      stage.dispatchEvent(new TouchEvent("touchstart", { touches: [at(300)], changedTouches: [at(300)], bubbles: true }));
      stage.dispatchEvent(new TouchEvent("touchend", { touches: [], changedTouches: [at(120)], bubbles: true }));
    })()`);
    expect(await phone.getByTestId("gallery-counter").innerText()).to.equal("2 / 2");
    expect(await sidewaysOverflow(phone)).to.equal(0);
    await shot(phone, "gallery-phone-en");
    await phone.goto(`/catalog?q=${tag}&view=table`);
    await phone.getByTestId("instrument-table").waitFor();
    expect(await phone.getByTestId("instrument-table").innerText()).to.include("County / location");
    await shot(phone, "catalog-table-phone-en");
  });
});
