import { expect } from "chai";
import { ConfigError, loadConfig } from "../../server/config";
import { requestLocale } from "../../server/http/locale";
import { openApiPath } from "../../server/http/openapi";
import type { Request } from "express";

describe("config from the environment", () => {
  it("applies defaults", () => {
    const c = loadConfig({});
    expect(c).to.include({ port: 3000, mongodbDb: "labshare", demo: false, sessionDays: 14 });
    expect(c.dataDir).to.match(/\.data$/);
    expect(c.admin).to.equal(undefined);
  });

  it("reads and coerces values", () => {
    const c = loadConfig({ PORT: "8080", LABSHARE_DEMO: "1", LABSHARE_ADMIN_EMAIL: "Boss@Bureau.gov", LABSHARE_ADMIN_PASSWORD: "12345678" });
    expect(c).to.include({ port: 8080, demo: true });
    expect(c.admin).to.deep.equal({ email: "boss@bureau.gov", password: "12345678" });
  });

  it("refuses bad values with a message naming the variable", () => {
    expect(() => loadConfig({ PORT: "eighty" })).to.throw(ConfigError, /PORT/);
    expect(() => loadConfig({ MONGODB_URI: "postgres://x" })).to.throw(ConfigError, /MONGODB_URI/);
    expect(() => loadConfig({ LABSHARE_DEMO: "yes" })).to.throw(ConfigError, /LABSHARE_DEMO/);
    expect(() => loadConfig({ LABSHARE_ADMIN_EMAIL: "a@b.cn" })).to.throw(ConfigError, /both/);
  });
});

describe("request language", () => {
  const req = (value?: string) => ({ headers: value ? { "accept-language": value } : {} }) as Request;
  it("is zh-CN by default and English when preferred", () => {
    expect(requestLocale(req())).to.equal("zh-CN");
    expect(requestLocale(req("en-US,en;q=0.9"))).to.equal("en");
    expect(requestLocale(req("zh-CN,zh;q=0.9,en;q=0.8"))).to.equal("zh-CN");
    expect(requestLocale(req("fr, en;q=0.5"))).to.equal("en");
    expect(requestLocale(req("fr"))).to.equal("zh-CN");
    expect(requestLocale(req("en;q=0, zh;q=0.5"))).to.equal("zh-CN"); // q=0: "not English"
  });
});

describe("OpenAPI paths", () => {
  it("turns Express parameters into OpenAPI templates", () => {
    expect(openApiPath("/api/enterprises/:id/review")).to.equal("/api/enterprises/{id}/review");
  });
});
