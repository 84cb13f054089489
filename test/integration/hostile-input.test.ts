// Bad input answers 4xx, never 500 (issue 8, all found by fuzzing): non-finite numbers, leap
// seconds, NUL characters, years outside 2000–2100 and non-string login emails are refused by the
// shared validation layer with 400 VALIDATION_FAILED, and none of them reaches the database.
import { expect } from "chai";
import { io as connect } from "socket.io-client";
import { ERRORS } from "../../shared/errors";
import { FIELD_RULES } from "../../shared/field-rules";
import { login, orgAdmin, registerUser, uniqueEmail, type TestUser } from "../factories/accounts";
import { instrumentBody, publishInstrument, shanghai } from "../factories/catalog";
import { apiClient, type ApiClient, type ApiResponse } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";

const CJK = /[\u4e00-\u9fff]/;
const JSON_HEADERS = { "content-type": "application/json" };
const EN = { headers: { "accept-language": "en" } };

interface Field {
  field: string;
  rule: string;
  message: string;
}

/** A 400 VALIDATION_FAILED whose fields are exactly `expected` ("pointer rule"). */
function expectInvalid(res: ApiResponse, expected: string[]): Field[] {
  const context = JSON.stringify(res.body);
  expect(res.status, context).to.equal(400);
  expect(res.body.error.code, context).to.equal("VALIDATION_FAILED");
  const fields = res.body.error.fields as Field[];
  expect(fields.map((f) => `${f.field} ${f.rule}`).sort(), context).to.deep.equal([...expected].sort());
  for (const f of fields) expect(Object.keys(f).sort(), context).to.deep.equal(["field", "message", "rule"]);
  return fields;
}

describe("hostile input", () => {
  let t: TestServer;
  let api: ApiClient;
  let bureau: string;
  let provider: TestUser;
  let enterprise: TestUser;
  let bystander: TestUser;
  let instrumentId: string;

  before(async () => {
    t = await startTestServer("hostile");
    api = apiClient(t.baseUrl);
    bureau = await login(api, t.admin.email, t.admin.password);
    provider = await orgAdmin(api, "provider", bureau);
    enterprise = await orgAdmin(api, "enterprise", bureau);
    bystander = await registerUser(api, "bystander");
    instrumentId = (await publishInstrument(api, provider)).id;
  });
  after(() => t?.stop());

  /** Other users are unaffected: the database connection still answers. */
  async function expectDatabaseAnswers() {
    const health = await api.get("/api/health");
    expect(health.status, JSON.stringify(health.body)).to.equal(200);
    const me = await api.get("/api/me", { token: bystander.token });
    expect(me.status, JSON.stringify(me.body)).to.equal(200);
  }

  describe("non-finite numbers", () => {
    const PAGED = ["/api/instruments", "/api/packages", "/api/providers", "/api/enterprises", "/api/bookings"];
    for (const value of ["Infinity", "-Infinity", "1e309", "-1e309"]) {
      it(`answers 400 finite to page and pageSize = ${value} on every paged list, and the database keeps answering others`, async () => {
        for (const path of PAGED) {
          const token = path === "/api/enterprises" ? bureau : enterprise.token;
          expectInvalid(await api.get(`${path}?page=${value}`, { token }), ["/query/page finite"]);
          expectInvalid(await api.get(`${path}?pageSize=${value}`, { token }), ["/query/pageSize finite"]);
        }
        await expectDatabaseAnswers();
      });
    }

    it("answers 400 finite to 1e309 in a JSON body (JSON.parse makes it Infinity), in the field's own place", async () => {
      const raw = JSON.stringify(instrumentBody({ priceFen: "PRICE" })).replace('"PRICE"', "1e309");
      const res = await api.call("POST", "/api/instruments", { raw, headers: JSON_HEADERS, token: provider.token });
      const fields = expectInvalid(res, ["/body/priceFen finite", "/body/priceFen type"]);
      expect(fields.find((f) => f.rule === "finite")!.message).to.equal(FIELD_RULES.finite.zh);
    });

    it("answers 400 finite to non-finite price filters (maxPriceFen=1e309, minPriceFen=-Infinity)", async () => {
      expectInvalid(await api.get("/api/instruments?maxPriceFen=1e309"), ["/query/maxPriceFen finite"]);
      expectInvalid(await api.get("/api/instruments?minPriceFen=-Infinity"), ["/query/minPriceFen finite"]);
      await expectDatabaseAnswers();
    });

    it("takes -0 as 0", async () => {
      const res = await api.get("/api/instruments?minPriceFen=-0");
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    });
  });

  describe("leap seconds and years outside 2000–2100", () => {
    const BAD_TIMES = ["2026-12-31T23:59:60Z", "2026-12-31T23:59:60+08:00", "1900-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "2101-01-01T00:00:00Z", "2200-01-01T00:00:00+08:00", "2026-02-30T09:00:00+08:00"];

    for (const time of BAD_TIMES) {
      it(`answers 400 format to ${time} on every route taking a time`, async () => {
        const q = encodeURIComponent(time);
        const later = encodeURIComponent(shanghai(3, "10:00"));
        expectInvalid(await api.get(`/api/instruments/${instrumentId}/availability?from=${q}&to=${later}`), ["/query/from format"]);
        expectInvalid(await api.get(`/api/bookings?from=${q}`, { token: enterprise.token }), ["/query/from format"]);
        const booking = await api.post("/api/bookings", { instrumentId, start: time, end: shanghai(3, "11:00") }, { token: enterprise.token });
        expectInvalid(booking, ["/body/start format"]);
        const blackout = await api.post(`/api/instruments/${instrumentId}/blackouts`, { start: shanghai(3, "08:00"), end: time, reason: "维护" }, { token: provider.token });
        expectInvalid(blackout, ["/body/end format"]);
        const schedule = await api.get(`/api/packages/whatever/schedule?start=${q}`);
        expectInvalid(schedule, ["/query/start format"]);
      });
    }

    it("says what a time must look like, in Chinese by default and in English when asked", async () => {
      const body = { instrumentId, start: "2026-12-31T23:59:60Z", end: shanghai(3, "11:00") };
      const zh = expectInvalid(await api.post("/api/bookings", body, { token: enterprise.token }), ["/body/start format"]);
      expect(zh[0]!.message).to.equal(FIELD_RULES.dateTime.zh).and.match(/2000–2100/);
      const en = expectInvalid(await api.post("/api/bookings", body, { token: enterprise.token, ...EN }), ["/body/start format"]);
      expect(en[0]!.message).to.equal(FIELD_RULES.dateTime.en);
    });

    it("still accepts the first and last instants of the range and fractional seconds", async () => {
      for (const from of ["2000-01-01T00:00:00Z", "2100-12-31T23:00:00.123456+08:00"]) {
        const to = from.startsWith("2000") ? "2000-01-02T00:00:00Z" : "2100-12-31T23:59:59.999+08:00";
        const res = await api.get(`/api/instruments/${instrumentId}/availability?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
      }
    });
  });

  describe("NUL characters", () => {
    it("answers 400 noNul to NUL in a query string, a body, a nested body value, a key and a path parameter", async () => {
      expectInvalid(await api.get("/api/instruments?q=a%00b"), ["/query/q noNul"]);
      const profile = await api.patch("/api/me", { name: "张\u0000三" }, { token: bystander.token });
      expectInvalid(profile, ["/body/name noNul"]);
      const body = instrumentBody({ openHours: [{ weekday: 1, start: "08:00", end: "12:00\u0000" }] });
      const nested = await api.post("/api/instruments", body, { token: provider.token });
      expect(nested.body.error.fields.map((f: Field) => `${f.field} ${f.rule}`)).to.include("/body/openHours/0/end noNul");
      const key = await api.patch("/api/me", { ["na\u0000me"]: "x" }, { token: bystander.token });
      expect(key.body.error.fields.map((f: Field) => `${f.field} ${f.rule}`)).to.include("/body/na\u0000me noNul");
      expectInvalid(await api.get("/api/instruments/a%00b"), ["/params/id noNul", "/params/id pattern"]);
      expect((await api.get("/api/me", { token: bystander.token })).body.user.name).to.equal("测试用户");
    });
  });

  describe("logging in with an email that is not a string", () => {
    const NOT_STRINGS: [string, string][] = [
      ["an object with toString", '{"email":{"toString":1},"password":"x"}'],
      ["an object with valueOf and toString", '{"email":{"valueOf":1,"toString":{}},"password":"x"}'],
      ["nested arrays", '{"email":[[["a@b.cc"]]],"password":"x"}'],
      ["a number", '{"email":1e309,"password":"x"}'],
      ["null", '{"email":null,"password":"x"}'],
    ];
    for (const [what, raw] of NOT_STRINGS) {
      it(`answers 400 VALIDATION_FAILED to ${what}, before the rate limiter reads it`, async () => {
        const res = await api.call("POST", "/api/auth/login", { raw, headers: JSON_HEADERS });
        expect(res.status, JSON.stringify(res.body)).to.equal(400);
        expect(res.body.error.code).to.equal("VALIDATION_FAILED");
        expect(res.body.error.fields.map((f: Field) => f.field)).to.include("/body/email");
      });
    }

    it("still rate-limits failed logins for a real email", async () => {
      const limited = await startTestServer("hostile_ratelimit", { LOGIN_ATTEMPTS_PER_15_MIN: "2" });
      try {
        const limitedApi = apiClient(limited.baseUrl);
        const email = uniqueEmail();
        for (let i = 0; i < 2; i++) expect((await limitedApi.post("/api/auth/login", { email, password: "wrong" })).status).to.equal(401);
        const third = await limitedApi.post("/api/auth/login", { email, password: "wrong" });
        expect(third.status).to.equal(429);
        expect(third.body.error.code).to.equal("RATE_LIMITED");
      } finally {
        await limited.stop();
      }
    });
  });

  describe("session cookies that are not tokens", () => {
    // cookie-parser reads `j:` cookies as JSON, so the "token" can be an object or an array.
    for (const cookie of ['j:{"a":1}', "j:[1]", "j:1e309", "a%00b", "%E0%A4%A"]) {
      it(`answers 401, not 500, to labshare_session=${cookie}, and logging out with it still works`, async () => {
        const me = await api.get("/api/me", { headers: { cookie: `labshare_session=${cookie}` } });
        expect(me.status, JSON.stringify(me.body)).to.equal(401);
        expect(me.body.error.code).to.equal("UNAUTHENTICATED");
        const logout = await api.call("POST", "/api/auth/logout", { headers: { cookie: `labshare_session=${cookie}` } });
        expect(logout.status, JSON.stringify(logout.body)).to.equal(200);
      });
    }

    it("refuses a socket whose session cookie has a malformed %-escape, and keeps serving", async () => {
      const socket = connect(t.baseUrl, { transports: ["websocket"], reconnection: false, extraHeaders: { cookie: "labshare_session=%E0%A4%A" } });
      try {
        const error = await new Promise<Error & { data?: { code?: string } }>((resolve, reject) => {
          socket.once("connect", () => reject(new Error("connected without a token")));
          socket.once("connect_error", resolve);
        });
        expect(error.data?.code).to.equal("UNAUTHENTICATED");
      } finally {
        socket.close();
      }
      await expectDatabaseAnswers();
    });
  });

  describe("field messages of rules beyond the schema", () => {
    it("come from the catalogue in the caller's language, with their params", async () => {
      const from = encodeURIComponent(shanghai(3, "10:00"));
      const tooLong = encodeURIComponent(shanghai(80, "10:00"));
      const path = `/api/instruments/${instrumentId}/availability?from=${from}&to=${tooLong}`;
      const zh = expectInvalid(await api.get(path), ["/query/to maxRange"]);
      expect(zh[0]!.message).to.match(CJK).and.match(/\d+ 天/);
      const en = expectInvalid(await api.get(path, EN), ["/query/to maxRange"]);
      expect(en[0]!.message).to.match(/at most \d+ days/);
      expect(en[0]!.message).to.not.match(CJK);
    });

    it("name the price unit when an item needs minutes or samples, in both languages", async () => {
      const body = { instrumentId, start: shanghai(3, "10:00"), end: shanghai(3, "11:00"), samples: 3 };
      const zh = expectInvalid(await api.post("/api/bookings", body, { token: enterprise.token }), ["/body/samples notApplicable"]);
      expect(zh[0]!.message).to.equal("该仪器按小时计价，不需要此项");
      const en = expectInvalid(await api.post("/api/bookings", body, { token: enterprise.token, ...EN }), ["/body/samples notApplicable"]);
      expect(en[0]!.message).to.equal("the instrument is priced per hour: leave this out");
    });

    it("localize open-hours rules of the catalog in Chinese", async () => {
      const openHours = [
        { weekday: 1, start: "08:00", end: "12:00" },
        { weekday: 1, start: "11:00", end: "13:00" },
        { weekday: 2, start: "12:00", end: "08:00" },
      ];
      const res = await api.post("/api/instruments", instrumentBody({ openHours, timezone: "Mars/Base" }), { token: provider.token });
      const fields = expectInvalid(res, ["/body/openHours/1 overlap", "/body/openHours/2/end afterStart", "/body/timezone timezone"]);
      for (const f of fields) expect(f.message, f.rule).to.match(CJK);
      expect(fields.find((f) => f.rule === "overlap")!.message).to.include("08:00–12:00");
      expect(fields.find((f) => f.rule === "timezone")!.message).to.include("Mars/Base");
    });

    it("keep the generic code and message of the answer itself", async () => {
      const res = await api.get("/api/instruments?q=%00", EN);
      expect(res.body.error.message).to.equal(ERRORS.VALIDATION_FAILED.en);
      expect(res.body.error.fields[0].message).to.equal(FIELD_RULES.noNul.en);
    });
  });
});
