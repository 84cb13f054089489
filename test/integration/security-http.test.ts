// What probing main found (issue 13), closed: security headers, CSRF on cookie sessions, TRACE and
// other unsupported methods, trivial passwords, unlimited registration. Real server, real database.
import http from "node:http";
import { expect } from "chai";
import { io as connect } from "socket.io-client";
import { login, orgAdmin, registerUser, uniqueEmail, type TestUser } from "../factories/accounts";
import { instrumentBody, publishInstrument, shanghai } from "../factories/catalog";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";

/** A raw request (fetch refuses TRACE): status, headers and body text. */
function rawRequest(baseUrl: string, method: string, path: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(baseUrl + path, { method }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("security hardening (issue 13)", function () {
  this.timeout(60_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: string;

  before(async () => {
    t = await startTestServer("security_http");
    api = apiClient(t.baseUrl);
    bureau = await login(api, t.admin.email, t.admin.password);
  });
  after(() => t?.stop());

  describe("security headers", () => {
    it("sends a CSP with frame-ancestors 'none', nosniff and a Referrer-Policy on the API and on the client, and no HSTS over plain HTTP", async () => {
      for (const path of ["/api/health", "/", "/catalog"]) {
        const res = await fetch(t.baseUrl + path);
        const csp = res.headers.get("content-security-policy") ?? "";
        expect(csp, path).to.include("default-src 'self'").and.include("frame-ancestors 'none'").and.include("script-src 'self'");
        expect(csp, "no inline scripts").not.to.match(/script-src[^;]*unsafe-inline/);
        expect(res.headers.get("x-content-type-options"), path).to.equal("nosniff");
        expect(res.headers.get("referrer-policy"), path).to.equal("strict-origin-when-cross-origin");
        expect(res.headers.get("x-frame-options"), path).to.equal("DENY");
        expect(res.headers.get("strict-transport-security"), path).to.equal(null);
        expect(csp, "no upgrade over plain HTTP").not.to.include("upgrade-insecure-requests");
      }
    });

    it("adds HSTS (and upgrade-insecure-requests) when COOKIE_SECURE=1 says the site is served over HTTPS", async () => {
      const secure = await startTestServer("security_hsts", { COOKIE_SECURE: "1" });
      try {
        const res = await fetch(secure.baseUrl + "/api/health");
        expect(res.headers.get("strict-transport-security")).to.match(/^max-age=\d+; includeSubDomains$/);
        expect(res.headers.get("content-security-policy")).to.include("upgrade-insecure-requests");
      } finally {
        await secure.stop();
      }
    });
  });

  describe("CSRF: an unsafe request on a cookie session must come from this site", () => {
    let provider: TestUser;
    let ent: TestUser;
    let instrumentId: string;
    let day = 3;

    before(async () => {
      provider = await orgAdmin(api, "provider", bureau);
      ent = await orgAdmin(api, "enterprise", bureau);
      instrumentId = (await publishInstrument(api, provider)).id;
    });
    async function booking(): Promise<string> {
      const d = day++;
      const res = await api.post("/api/bookings", { instrumentId, start: shanghai(d, "09:00"), end: shanghai(d, "10:00") }, { token: ent.token });
      expectStatus(res, 201);
      return res.body.id;
    }
    const cookie = () => `labshare_session=${ent.token}`;
    const statusOf = async (id: string) => (await api.get(`/api/bookings/${id}`, { token: ent.token })).body.status as string;

    it("refuses a cookie POST with an empty body from another origin with 403 CSRF_ORIGIN_MISMATCH, and the booking stays", async () => {
      const id = await booking();
      const before = await statusOf(id);
      const res = await api.call("POST", `/api/bookings/${id}/cancel`, { headers: { cookie: cookie(), origin: "http://evil.example" } });
      expectStatus(res, 403, "CSRF_ORIGIN_MISMATCH");
      expect(res.body.error.message).to.include("来源");
      expect(await statusOf(id)).to.equal(before).and.not.equal("cancelled");
    });

    it("refuses a cookie request whose Referer names another origin, or that has neither Origin nor Referer", async () => {
      const id = await booking();
      const viaReferer = await api.call("POST", `/api/bookings/${id}/cancel`, { headers: { cookie: cookie(), referer: "http://evil.example/page" } });
      expectStatus(viaReferer, 403, "CSRF_ORIGIN_MISMATCH");
      const bare = await api.call("POST", `/api/bookings/${id}/cancel`, { headers: { cookie: cookie(), "accept-language": "en" } });
      expectStatus(bare, 403, "CSRF_ORIGIN_MISMATCH");
      expect(bare.body.error.message).to.match(/this site/);
      const nullOrigin = await api.patch("/api/me", { name: "改名" }, { headers: { cookie: cookie(), origin: "null" } });
      expectStatus(nullOrigin, 403, "CSRF_ORIGIN_MISMATCH");
      expect(await statusOf(id)).not.to.equal("cancelled");
    });

    it("accepts the same cookie request from the server's own origin (Origin, or Referer alone)", async () => {
      const id = await booking();
      const res = await api.call("POST", `/api/bookings/${id}/cancel`, { headers: { cookie: cookie(), origin: t.baseUrl } });
      expectStatus(res, 200);
      expect(await statusOf(id)).to.equal("cancelled");
      const named = await api.patch("/api/me", { name: "同源改名" }, { headers: { cookie: cookie(), referer: `${t.baseUrl}/account` } });
      expectStatus(named, 200);
    });

    it("reads the server's own origin through a trusted proxy (X-Forwarded-Host and -Proto)", async () => {
      const headers = { cookie: cookie(), "x-forwarded-host": "labshare.example.gov.cn", "x-forwarded-proto": "https" };
      expectStatus(await api.patch("/api/me", { name: "代理" }, { headers: { ...headers, origin: "https://labshare.example.gov.cn" } }), 200);
      expectStatus(await api.patch("/api/me", { name: "代理" }, { headers: { ...headers, origin: t.baseUrl } }), 403, "CSRF_ORIGIN_MISMATCH");
    });

    it("leaves Bearer-token requests, safe methods and cookies that are no session alone", async () => {
      const id = await booking();
      expectStatus(await api.call("POST", `/api/bookings/${id}/cancel`, { token: ent.token, headers: { origin: "http://evil.example" } }), 200);
      expectStatus(await api.get("/api/me", { headers: { cookie: cookie(), origin: "http://evil.example" } }), 200);
      const logout = await api.call("POST", "/api/auth/logout", { headers: { cookie: "labshare_session=not-a-session", origin: "http://evil.example" } });
      expectStatus(logout, 200);
    });
  });

  describe("cross-site WebSocket hijacking: a socket on a cookie session must come from this site", () => {
    /** "connected", or the code the handshake was refused with. */
    function handshake(headers: Record<string, string>, auth?: { token: string }): Promise<string> {
      const socket = connect(t.baseUrl, { transports: ["websocket"], reconnection: false, extraHeaders: headers, ...(auth ? { auth } : {}) });
      return new Promise<string>((resolve) => {
        socket.once("connect", () => resolve("connected"));
        socket.once("connect_error", (err: Error & { data?: { code?: string } }) => resolve(err.data?.code ?? err.message));
      }).finally(() => socket.disconnect());
    }

    it("refuses a cookie handshake from another origin with CSRF_ORIGIN_MISMATCH, and accepts it from its own", async () => {
      const user = await registerUser(api);
      const cookie = `labshare_session=${user.token}`;
      expect(await handshake({ cookie, origin: "http://evil.example" })).to.equal("CSRF_ORIGIN_MISMATCH");
      expect(await handshake({ cookie, origin: t.baseUrl })).to.equal("connected");
      expect(await handshake({ origin: "http://evil.example" }, { token: user.token }), "a token is no ambient credential").to.equal("connected");
    });
  });

  describe("unsupported methods", () => {
    it("answers TRACE on an API path with 405 METHOD_NOT_ALLOWED and an Allow header, not 404", async () => {
      const res = await rawRequest(t.baseUrl, "TRACE", "/api/health");
      expect(res.status).to.equal(405);
      expect(res.headers.allow).to.equal("GET, HEAD, OPTIONS");
      expect(JSON.parse(res.body).error.code).to.equal("METHOD_NOT_ALLOWED");
    });

    it("lists every method a path with :params answers, and OPTIONS gets 204 with Allow", async () => {
      const put = await rawRequest(t.baseUrl, "PUT", "/api/bookings");
      expect(put.status).to.equal(405);
      expect(put.headers.allow).to.equal("GET, HEAD, OPTIONS, POST");
      const options = await rawRequest(t.baseUrl, "OPTIONS", "/api/instruments/abc");
      expect(options.status).to.equal(204);
      expect(options.headers.allow).to.include("GET").and.include("PATCH");
    });

    it("advertises for a literal path segment only the methods of its own route (/photos/order: PUT, not the DELETE of /photos/:photoId)", async () => {
      const options = await rawRequest(t.baseUrl, "OPTIONS", "/api/instruments/abc/photos/order");
      expect(options.status).to.equal(204);
      expect(options.headers.allow).to.equal("OPTIONS, PUT");
      const photo = await rawRequest(t.baseUrl, "OPTIONS", `/api/instruments/abc/photos/${"a".repeat(32)}`);
      expect(photo.headers.allow).to.equal("DELETE, OPTIONS");
    });

    it("answers DELETE /photos/order with 405 and Allow, not as the deletion of a photo called \"order\" (schemathesis ST204)", async () => {
      const res = await rawRequest(t.baseUrl, "DELETE", "/api/instruments/abc/photos/order");
      expect(res.status).to.equal(405);
      expect(res.headers.allow).to.equal("OPTIONS, PUT");
      expect(JSON.parse(res.body).error.code).to.equal("METHOD_NOT_ALLOWED");
    });

    it("answers TRACE and POST outside /api with 405 (only GET and HEAD exist there); unknown API paths stay 404", async () => {
      for (const method of ["TRACE", "POST", "DELETE"]) {
        const res = await rawRequest(t.baseUrl, method, "/catalog");
        expect(res.status, method).to.equal(405);
        expect(res.headers.allow).to.equal("GET, HEAD");
      }
      expect((await rawRequest(t.baseUrl, "TRACE", "/api/no-such-thing")).status).to.equal(404);
    });
  });

  describe("passwords", () => {
    const email = () => uniqueEmail("pw");
    const weak = ["12345678", "        ", "password", "Password1", "qwertyui", "aaaaaaaaaa", "abababab", "abcdefgh", "87654321", "1qaz2wsx", "woaini1314"];
    for (const password of weak) {
      it(`refuses ${JSON.stringify(password)} with 400 PASSWORD_TOO_WEAK under the password field, and creates no user`, async () => {
        const address = email();
        const res = await api.post("/api/auth/register", { email: address, password, name: "弱密码" });
        expectStatus(res, 400, "PASSWORD_TOO_WEAK");
        expect(res.body.error.fields).to.have.length(1);
        expect(res.body.error.fields[0]).to.include({ field: "/body/password", rule: "weakPassword" });
        expect(await t.db.conn.collection("users").countDocuments({ email: address })).to.equal(0);
      });
    }

    it("refuses the email address itself and its local part, and says why in English too", async () => {
      const address = `zhang.wei.${Date.now().toString(36).replace(/\d/g, "x")}@firm.example`;
      const local = address.split("@")[0]!;
      for (const password of [address, local, `${local}2026`]) {
        const res = await api.post("/api/auth/register", { email: address, password, name: "张伟" }, { headers: { "accept-language": "en" } });
        expectStatus(res, 400, "PASSWORD_TOO_WEAK");
        expect(res.body.error.fields[0].message).to.include("email");
      }
    });

    it("accepts ordinary passphrases, including the demo and test passwords", async () => {
      for (const password of ["correct horse battery", "labshare-demo", "long enough", "secret-pass-1", "bureau-admin-pass", "Tr0ub4dor&3"]) {
        expectStatus(await api.post("/api/auth/register", { email: email(), password, name: "好密码" }), 201);
      }
    });
  });

  describe("the OpenAPI document: database outages and cross-field rules", () => {
    type Operation = { description?: string; responses: Record<string, unknown>; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } };
    let paths: Record<string, Record<string, Operation>>;
    before(async () => {
      paths = (await api.get("/api/openapi.json")).body.paths;
    });

    it("documents 503 DB_UNAVAILABLE on every operation", () => {
      const missing = Object.entries(paths).flatMap(([path, ops]) => Object.entries(ops).filter(([, op]) => !op.responses["503"]).map(([m]) => `${m} ${path}`));
      expect(missing).to.deep.equal([]);
    });

    it("states instrument xor package on booking creation as oneOf, and min ≤ max on ranges, in the schema or the description", () => {
      const booking = paths["/api/bookings"]!.post!.requestBody!.content["application/json"]!.schema;
      expect(booking.oneOf).to.deep.equal([{ required: ["instrumentId"] }, { required: ["packageId"] }]);
      expect(paths["/api/quotes"]!.get!.description).to.include("exactly one of instrumentId, packageId");
      expect(paths["/api/instruments"]!.get!.description).to.include("minPriceFen ≤ maxPriceFen");
      expect(paths["/api/packages"]!.get!.description).to.include("minPriceFen ≤ maxPriceFen");
      expect(paths["/api/instruments"]!.post!.description).to.include("minDurationMinutes ≤ maxDurationMinutes");
    });

    it("and the server enforces each of them with 400 VALIDATION_FAILED", async () => {
      const provider = await orgAdmin(api, "provider", bureau);
      const ent = await orgAdmin(api, "enterprise", bureau);
      const inst = await publishInstrument(api, provider);
      const start = shanghai(9, "09:00");
      const end = shanghai(9, "10:00");
      const both = await api.post("/api/bookings", { instrumentId: inst.id, packageId: inst.id, start, end }, { token: ent.token });
      expectStatus(both, 400, "VALIDATION_FAILED");
      expectStatus(await api.post("/api/bookings", { start, end }, { token: ent.token }), 400, "VALIDATION_FAILED");
      expectStatus(await api.get("/api/instruments?minPriceFen=500&maxPriceFen=100"), 400, "VALIDATION_FAILED");
      const rules = { minDurationMinutes: 120, maxDurationMinutes: 60 };
      expectStatus(await api.post("/api/instruments", { ...instrumentBody(), rules }, { token: provider.token }), 400, "VALIDATION_FAILED");
    });
  });

  describe("registration rate limit", () => {
    it("answers 429 REGISTRATION_RATE_LIMITED with Retry-After once an address used up its registrations", async () => {
      const limited = await startTestServer("security_register_limit", { REGISTRATIONS_PER_IP_PER_HOUR: "3" });
      try {
        const lapi = apiClient(limited.baseUrl);
        for (let i = 0; i < 3; i++) await registerUser(lapi);
        const res = await lapi.post("/api/auth/register", { email: uniqueEmail(), password: "correct horse battery", name: "第四个" });
        expectStatus(res, 429, "REGISTRATION_RATE_LIMITED");
        const retryAfter = Number(res.headers.get("retry-after"));
        expect(retryAfter).to.be.greaterThan(0).and.at.most(3600);
        expect(res.body.error.retryAfter).to.equal(retryAfter);
        // Logging in is a different limit: still fine.
        expectStatus(await lapi.post("/api/auth/login", { email: limited.admin.email, password: limited.admin.password }), 200);
      } finally {
        await limited.stop();
      }
    });
  });
});
