// The error model (DESIGN.md invariant 6): bad input gets a 4xx with a machine-readable code and a
// human message in Chinese or English, never a stack trace, and leaves nothing half-written.
import { expect } from "chai";
import { connectDatabase } from "../../server/db/connection";
import { Readiness } from "../../server/http/system-routes";
import { createLogger } from "../../server/logger";
import { startServer } from "../../server/server";
import { ERRORS, type ErrorCode } from "../../shared/errors";
import { enterpriseBody, login, registerUser, uniqueEmail, type TestUser } from "../factories/accounts";
import { apiClient, type ApiClient, type ApiResponse } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";

const CJK = /[\u4e00-\u9fff]/;
const JSON_HEADERS = { "content-type": "application/json" };

interface FieldError {
  field: string;
  rule: string;
  message: string;
}

/** Checks the `{error: {code, message, fields?}}` shape, the status, and that nothing internal leaks. */
function expectError(res: ApiResponse, status: number, code: ErrorCode) {
  const context = JSON.stringify(res.body);
  expect(res.status, context).to.equal(status);
  expect(res.headers.get("content-type"), context).to.match(/^application\/json/);
  expect(Object.keys(res.body), context).to.deep.equal(["error"]);
  expect(res.body.error.code, context).to.equal(code);
  expect(res.body.error.message, context).to.be.a("string").and.not.equal("");
  expect(Object.keys(res.body.error), context).to.satisfy((keys: string[]) =>
    keys.every((k) => ["code", "message", "fields", "retryAfter"].includes(k)),
  );
  // No stack frames, file paths, exception names or parser internals.
  expect(context).to.not.match(/\bat \S+ \(|node_modules|\/work\/|\.ts:\d+|stack|Error:|SyntaxError|Unexpected token/i);
  return res.body.error as { code: ErrorCode; message: string; fields?: FieldError[] };
}

const fieldsOf = (error: { fields?: FieldError[] }) => (error.fields ?? []).map((f) => `${f.field} ${f.rule}`).sort();

describe("HTTP error model", () => {
  let t: TestServer;
  let api: ApiClient;
  let user: TestUser;
  let bureau: string;

  before(async () => {
    t = await startTestServer("httperrors");
    api = apiClient(t.baseUrl);
    user = await registerUser(api);
    bureau = await login(api, t.admin.email, t.admin.password);
  });
  after(() => t?.stop());

  // Found by the property-based fuzz (route-property-fuzz.test.ts): Node's parser answered these
  // itself, with a bare status and no body.
  describe("a request Node's HTTP parser refuses before Express", () => {
    it("answers a URL over 16 kB with 431 HEADERS_TOO_LARGE in the stable error shape", async () => {
      const error = expectError(await api.get(`/api/instruments?q=${"x".repeat(20_000)}`), 431, "HEADERS_TOO_LARGE");
      expect(error.message).to.match(CJK).and.contain("too long");
    });

    it("answers a malformed request line with 400 BAD_REQUEST in the stable error shape, and keeps serving", async () => {
      const { createConnection } = await import("node:net");
      const url = new URL(t.baseUrl);
      const raw = await new Promise<string>((resolve, reject) => {
        let data = "";
        const socket = createConnection(Number(url.port), url.hostname, () => socket.write("GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"));
        socket.on("data", (d) => (data += d.toString()));
        socket.on("end", () => resolve(data));
        socket.on("error", reject);
      });
      const [head, body] = raw.split("\r\n\r\n");
      expect(head).to.match(/^HTTP\/1\.1 400 /).and.match(/content-type: application\/json/i);
      expect(JSON.parse(body!).error.code).to.equal("BAD_REQUEST");
      expect((await api.get("/api/health")).status).to.equal(200);
    });
  });

  describe("an unknown /api route", () => {
    it("answers 404 ROUTE_NOT_FOUND naming the method and the path, without the query", async () => {
      const error = expectError(await api.get("/api/no/such/thing?secret=1"), 404, "ROUTE_NOT_FOUND");
      expect(error.message).to.equal("接口不存在：GET /api/no/such/thing");
    });

    it("answers a known path with a method it does not have 405 METHOD_NOT_ALLOWED with Allow, in English when asked", async () => {
      const res = await api.call("DELETE", "/api/me", { headers: { "accept-language": "en" } });
      expect(expectError(res, 405, "METHOD_NOT_ALLOWED").message).to.equal("This endpoint does not support the DELETE method");
      expect(res.headers.get("allow")).to.equal("GET, HEAD, OPTIONS, PATCH");
    });
  });

  describe("a request body that cannot be read", () => {
    it("answers 400 MALFORMED_JSON to broken JSON", async () => {
      const res = await api.call("POST", "/api/auth/register", { raw: '{"email": "a@b.cc",', headers: JSON_HEADERS });
      expectError(res, 400, "MALFORMED_JSON");
    });

    it("answers 400 MALFORMED_JSON to a JSON scalar, and 400 VALIDATION_FAILED to an array", async () => {
      expectError(await api.call("POST", "/api/auth/login", { raw: '"just text"', headers: JSON_HEADERS }), 400, "MALFORMED_JSON");
      const error = expectError(await api.call("POST", "/api/auth/login", { raw: "[]", headers: JSON_HEADERS }), 400, "VALIDATION_FAILED");
      expect(fieldsOf(error)).to.deep.equal(["/body type"]);
    });

    it("answers 413 PAYLOAD_TOO_LARGE over 100 kB, and reads a body just under it", async () => {
      const big = await api.post("/api/auth/register", { email: uniqueEmail(), password: "long enough", name: "x".repeat(101 * 1024) });
      expectError(big, 413, "PAYLOAD_TOO_LARGE");
      const under = await api.post("/api/auth/register", { email: uniqueEmail(), password: "long enough", name: "x".repeat(99 * 1024) });
      expect(fieldsOf(expectError(under, 400, "VALIDATION_FAILED"))).to.deep.equal(["/body/name maxLength"]);
    });

    for (const contentType of ["text/plain", "application/x-www-form-urlencoded"]) {
      it(`answers 415 UNSUPPORTED_MEDIA_TYPE to a body sent as ${contentType}`, async () => {
        const body = JSON.stringify({ email: uniqueEmail(), password: "long enough", name: "文本" });
        const res = await api.call("POST", "/api/auth/register", { raw: body, headers: { "content-type": contentType } });
        expectError(res, 415, "UNSUPPORTED_MEDIA_TYPE");
      });
    }
  });

  it("answers 400 BAD_REQUEST, not 500, to a body whose gzip encoding is corrupt", async () => {
    const res = await api.call("POST", "/api/auth/login", {
      raw: "this is not gzip",
      headers: { ...JSON_HEADERS, "content-encoding": "gzip" },
    });
    expectError(res, 400, "BAD_REQUEST");
  });

  describe("a body that breaks its schema", () => {
    const invalidRegistration = { email: "not-an-email", password: "short" };

    it("answers 400 VALIDATION_FAILED with a JSON pointer and rule per field, in Chinese by default", async () => {
      const error = expectError(await api.post("/api/auth/register", invalidRegistration), 400, "VALIDATION_FAILED");
      expect(error.message).to.equal(ERRORS.VALIDATION_FAILED.zh);
      expect(fieldsOf(error)).to.deep.equal(["/body/email format", "/body/name required", "/body/password minLength"]);
      for (const field of error.fields!) expect(field.message, field.field).to.match(CJK);
    });

    for (const acceptLanguage of ["en", "en-US,en;q=0.9", "fr-FR, en;q=0.5"]) {
      it(`answers in English to Accept-Language: ${acceptLanguage}`, async () => {
        const res = await api.post("/api/auth/register", invalidRegistration, { headers: { "accept-language": acceptLanguage } });
        const error = expectError(res, 400, "VALIDATION_FAILED");
        expect(error.message).to.equal(ERRORS.VALIDATION_FAILED.en);
        expect(fieldsOf(error)).to.deep.equal(["/body/email format", "/body/name required", "/body/password minLength"]);
        for (const field of error.fields!) expect(field.message, field.field).to.not.match(CJK);
      });
    }

    it("answers in Chinese when Chinese is preferred over English", async () => {
      const res = await api.post("/api/auth/register", invalidRegistration, { headers: { "accept-language": "zh-CN,zh;q=0.9,en;q=0.8" } });
      expect(expectError(res, 400, "VALIDATION_FAILED").message).to.equal(ERRORS.VALIDATION_FAILED.zh);
    });

    it("refuses properties the schema does not name, so no one can set their own role or status", async () => {
      const email = uniqueEmail();
      const register = await api.post("/api/auth/register", { email, password: "long enough", name: "张三", role: "bureau_admin" });
      expect(fieldsOf(expectError(register, 400, "VALIDATION_FAILED"))).to.deep.equal(["/body/role additionalProperties"]);
      expectError(await api.post("/api/auth/login", { email, password: "long enough" }), 401, "INVALID_CREDENTIALS");

      const enterprise = await api.post("/api/enterprises", enterpriseBody({ status: "approved" }), { token: user.token });
      expect(fieldsOf(expectError(enterprise, 400, "VALIDATION_FAILED"))).to.deep.equal(["/body/status additionalProperties"]);
    });

    it("refuses an empty change to my profile", async () => {
      const res = await api.patch("/api/me", {}, { token: user.token });
      expect(fieldsOf(expectError(res, 400, "VALIDATION_FAILED"))).to.deep.equal(["/body minProperties"]);
    });
  });

  describe("query strings and path parameters", () => {
    it("coerces numbers in the query: ?page=2&pageSize=5 is accepted", async () => {
      const res = await api.get("/api/providers?page=2&pageSize=5");
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ page: 2, pageSize: 5 });
    });

    const BAD_QUERIES: [string, string][] = [
      ["page=0", "/query/page minimum"],
      ["pageSize=101", "/query/pageSize maximum"],
      ["page=two", "/query/page type"],
      ["page=1.5", "/query/page type"],
      ["status=lost", "/query/status enum"],
      ["sort=name", "/query/sort additionalProperties"],
    ];
    for (const [query, failure] of BAD_QUERIES) {
      it(`answers 400 VALIDATION_FAILED to ?${query} (${failure})`, async () => {
        expect(fieldsOf(expectError(await api.get(`/api/providers?${query}`), 400, "VALIDATION_FAILED"))).to.deep.equal([failure]);
      });
    }

    it("answers 400 VALIDATION_FAILED to a path parameter of the wrong shape", async () => {
      const longId = await api.get(`/api/enterprises/${"a".repeat(65)}`, { token: bureau });
      expect(fieldsOf(expectError(longId, 400, "VALIDATION_FAILED"))).to.deep.equal(["/params/id maxLength"]);
      const shortToken = await api.get("/api/invitations/short", { token: user.token });
      expect(fieldsOf(expectError(shortToken, 400, "VALIDATION_FAILED"))).to.deep.equal(["/params/token minLength"]);
    });

    it("answers 400 BAD_REQUEST, not 500, to a malformed percent-encoding in a path parameter", async () => {
      const res = await api.get("/api/enterprises/%E0%A4%A", { token: bureau });
      expectError(res, 400, "BAD_REQUEST");
      const anonymous = await api.post("/api/enterprises/%E0/review", { decision: "approve" });
      expect(anonymous.status).to.equal(400);
    });
  });

  describe("GET /api/health", () => {
    it("answers 200 {status: ok, db: ok}", async () => {
      const res = await api.get("/api/health");
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ status: "ok", db: "ok" });
    });

    it("answers 503 {db: down} when the database is unreachable, and other routes 503 DB_UNAVAILABLE", async () => {
      const down = await startTestServer("healthdown");
      const downApi = apiClient(down.baseUrl);
      const someone = await registerUser(downApi);
      try {
        await down.db.conn.close();
        const health = await downApi.get("/api/health");
        expect(health.status).to.equal(503);
        expect(health.body).to.deep.equal({ status: "degraded", db: "down" });
        expectError(await downApi.get("/api/me", { token: someone.token }), 503, "DB_UNAVAILABLE");
      } finally {
        // The server's own connection is closed, so down.stop() cannot drop its database: reconnect to drop it.
        await down.server.close();
        const conn = await connectDatabase(down.db.uri, down.db.dbName);
        try {
          await conn.dropDatabase();
        } finally {
          await conn.close();
        }
      }
    });
  });

  describe("a server still starting", () => {
    it("answers API calls 503 STARTING with Retry-After at once, /api/health 503 {status: starting}, and serves them once ready", async () => {
      const readiness = new Readiness(false);
      const starting = await startServer({ config: t.config, conn: t.db.conn, logger: createLogger("silent"), readiness }, 0, "127.0.0.1");
      const early = apiClient(starting.url);
      try {
        const res = await early.get("/api/instruments");
        expectError(res, 503, "STARTING");
        expect(res.headers.get("retry-after")).to.equal("2");
        const health = await early.get("/api/health");
        expect(health.status).to.equal(503);
        expect(health.body).to.include({ status: "starting" });
        readiness.markReady();
        expect((await early.get("/api/instruments")).status).to.equal(200);
        expect((await early.get("/api/health")).status).to.equal(200);
      } finally {
        await starting.close();
      }
    });
  });

  describe("a refused request leaves nothing behind", () => {
    it("an enterprise with an unknown county: 400, no organization, and the same user can then register a valid one", async () => {
      const applicant = await registerUser(api, "applicant");
      const bad = enterpriseBody({ county: "atlantis" });
      const refused = await api.post("/api/enterprises", bad, { token: applicant.token });
      expect(fieldsOf(expectError(refused, 400, "VALIDATION_FAILED"))).to.deep.equal(["/body/county enum"]);

      const me = await api.get("/api/me", { token: applicant.token });
      expect(me.body).to.deep.include({ organization: null, roles: [] });
      const listed = await api.get(`/api/enterprises?q=${encodeURIComponent(bad.creditCode)}`, { token: bureau });
      expect(listed.body.total).to.equal(0);

      const good = await api.post("/api/enterprises", { ...bad, county: "linqing" }, { token: applicant.token });
      expect(good.status, JSON.stringify(good.body)).to.equal(201);
      const after = await api.get("/api/me", { token: applicant.token });
      expect(after.body.roles).to.deep.equal(["enterprise_admin"]);
      expect(after.body.organization).to.include({ id: good.body.id, type: "enterprise", status: "pending" });
    });
  });
});
