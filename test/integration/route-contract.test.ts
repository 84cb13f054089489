// The route contract (see STYLE.md, "from NodeBB"): every endpoint under /api is a route spec
// mounted by mountRoutes, so it has an access rule, schemas for what it reads, and an entry in the
// OpenAPI document. This walks the real Express router, so a handler mounted by hand fails here.
import { expect } from "chai";
import type { Express } from "express";
import { createApp } from "../../server/app";
import { loadConfig } from "../../server/config";
import { openApiPath } from "../../server/http/openapi";
import type { RouteSpec } from "../../server/http/route";
import { createLogger } from "../../server/logger";
import { ROLES } from "../../shared/enums";
import { compile } from "../../shared/validation";
import { openTestDatabase, type TestDatabase } from "../support/db";
import { apiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";

/**
 * Mutating routes that take no request body on purpose. A new body-less POST/PATCH/PUT must be
 * added here deliberately, with the reason.
 */
const BODYLESS_MUTATIONS = new Set([
  "POST /api/auth/logout", // the session to end is the caller's token
  "POST /api/invitations/:token/accept", // the secret token in the path is the whole request
]);

/** The only route outside /api: the client's history fallback (serves index.html). */
const CLIENT_FALLBACK = "GET /{*path}";

const MUTATING = new Set(["post", "patch", "put"]);

interface MountedRoute {
  method: string;
  path: string;
}

// The slice of Express 5's router (the `router` package) that this test reads.
interface RouterLayer {
  name: string;
  rawPath?: unknown;
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: RouterLayer[] };
}

/**
 * Every route mounted on the app, with its full path, recursing into mounted sub-routers. Plain
 * middleware mounted below /api (e.g. `app.use("/api/x", handler)`) would be an endpoint that
 * bypasses mountRoutes, so it is reported as a route with method "use".
 */
function mountedRoutes(stack: RouterLayer[], prefix = ""): MountedRoute[] {
  const found: MountedRoute[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const path of paths) {
        for (const method of Object.keys(layer.route.methods)) found.push({ method, path: prefix + path });
      }
      continue;
    }
    const mountPath = typeof layer.rawPath === "string" ? layer.rawPath : String(layer.rawPath);
    const at = prefix + (mountPath === "/" ? "" : mountPath);
    if (layer.handle.stack) found.push(...mountedRoutes(layer.handle.stack, at));
    else if (at.startsWith("/api/")) found.push({ method: "use", path: at });
  }
  return found;
}

const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;
const pathParams = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);

interface OpenApiOperation {
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: { required?: string[] } }> };
  responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  "x-access"?: unknown;
}

describe("route contract", () => {
  let db: TestDatabase;
  let app: Express;
  let specs: RouteSpec[];
  let mounted: MountedRoute[];
  let server: TestServer;
  let openApi: { openapi?: string; paths?: Record<string, Record<string, OpenApiOperation>>; components?: { schemas?: Record<string, unknown> } };

  const apiRoutes = () => mounted.filter((r) => r.path.startsWith("/api"));
  const specByKey = () => new Map(specs.map((s) => [key(s.method, s.path), s]));
  const operation = (spec: RouteSpec) => openApi.paths?.[openApiPath(spec.path)]?.[spec.method];

  before(async () => {
    db = await openTestDatabase("routecontract");
    const config = loadConfig({ LOG_LEVEL: "silent" });
    ({ app, routes: specs } = createApp({ config, conn: db.conn, logger: createLogger(config.logLevel) }));
    mounted = mountedRoutes((app as unknown as { router: { stack: RouterLayer[] } }).router.stack);

    server = await startTestServer("routecontract_openapi");
    const res = await apiClient(server.baseUrl).get("/api/openapi.json");
    expect(res.status).to.equal(200);
    openApi = res.body;
  });
  after(async () => {
    await server?.stop();
    await db?.drop();
  });

  describe("the Express router", () => {
    it("finds the routes the app mounts (the walk itself works)", () => {
      expect(apiRoutes().length).to.be.greaterThan(0);
      expect(mounted.map((r) => key(r.method, r.path))).to.include("GET /api/health");
    });

    it("mounts every route under /api through mountRoutes: each one is a route spec, mounted once", () => {
      const known = specByKey();
      const counts = new Map<string, number>();
      for (const r of apiRoutes()) counts.set(key(r.method, r.path), (counts.get(key(r.method, r.path)) ?? 0) + 1);
      const bypassing = [...counts.keys()].filter((k) => !known.has(k));
      const twice = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
      expect(bypassing, "mounted without a route spec").to.deep.equal([]);
      expect(twice, "mounted more than once").to.deep.equal([]);
      const unmounted = [...known.keys()].filter((k) => !counts.has(k));
      expect(unmounted, "route specs that were never mounted").to.deep.equal([]);
    });

    it("has no route outside /api but the client fallback", () => {
      const outside = mounted.filter((r) => !r.path.startsWith("/api")).map((r) => key(r.method, r.path));
      expect(outside).to.deep.equal([CLIENT_FALLBACK]);
    });
  });

  describe("every route spec", () => {
    it("lives under /api, has a summary and a tag, and no two share a method and path", () => {
      for (const spec of specs) {
        const name = key(spec.method, spec.path);
        expect(spec.path, name).to.match(/^\/api\//);
        expect(spec.summary, `${name}: summary`).to.be.a("string").and.not.equal("");
        expect(spec.tag, `${name}: tag`).to.be.a("string").and.not.equal("");
      }
      expect(specByKey().size).to.equal(specs.length);
    });

    it("has an access rule: public, user, or a non-empty list of known roles", () => {
      for (const spec of specs) {
        const name = key(spec.method, spec.path);
        if (spec.access === "public" || spec.access === "user") continue;
        expect(spec.access, `${name}: access`).to.be.an("array").with.length.greaterThan(0);
        for (const role of spec.access) expect(ROLES, `${name}: role ${role}`).to.include(role);
      }
    });

    it("validates a body on every POST, PATCH and PUT, except the deliberate body-less ones", () => {
      const missing = specs
        .filter((s) => MUTATING.has(s.method) && !s.body && !s.multipart && !BODYLESS_MUTATIONS.has(key(s.method, s.path)))
        .map((s) => key(s.method, s.path));
      expect(missing, "mutating routes without a body schema (add one, or list them in BODYLESS_MUTATIONS)").to.deep.equal(
        [],
      );
    });

    it("keeps the body-less allow-list honest: each entry exists and still declares no body", () => {
      const known = specByKey();
      for (const entry of BODYLESS_MUTATIONS) {
        expect(known.has(entry), `${entry} is no longer a route`).to.equal(true);
        expect(known.get(entry)!.body, `${entry} now has a body: remove it from the list`).to.equal(undefined);
      }
    });

    it("has a params schema naming exactly its :params, all required", () => {
      for (const spec of specs) {
        const name = key(spec.method, spec.path);
        const names = pathParams(spec.path);
        if (names.length === 0) {
          expect(spec.params, `${name} has a params schema but no :params`).to.equal(undefined);
          continue;
        }
        expect(spec.params, `${name}: params schema`).to.be.an("object");
        expect(Object.keys(spec.params!.properties ?? {}).sort(), `${name}: params`).to.deep.equal([...names].sort());
        expect([...((spec.params!.required as string[] | undefined) ?? [])].sort(), `${name}: required`).to.deep.equal(
          [...names].sort(),
        );
      }
    });

    it("has a response schema", () => {
      for (const spec of specs) expect(spec.response, key(spec.method, spec.path)).to.be.an("object");
    });
  });

  describe("the OpenAPI document at GET /api/openapi.json", () => {
    it("is OpenAPI 3.1.0 with the Error schema", () => {
      expect(openApi.openapi).to.equal("3.1.0");
      expect(openApi.components?.schemas?.Error).to.be.an("object");
    });

    it("describes exactly the routes the app mounts", () => {
      const documented = Object.entries(openApi.paths ?? {}).flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => key(method, path)),
      );
      const expected = apiRoutes().map((r) => key(r.method, openApiPath(r.path)));
      expect([...documented].sort()).to.deep.equal([...new Set(expected)].sort());
    });

    it("gives every operation a success response and error responses that reference the Error schema", () => {
      for (const spec of specs) {
        const name = key(spec.method, spec.path);
        const responses = operation(spec)?.responses ?? {};
        const success = String(spec.status ?? 200);
        expect(success, name).to.match(/^2\d\d$/);
        expect(responses, `${name}: success response`).to.have.property(success);
        const errors = Object.keys(responses).filter((status) => /^[45]\d\d$/.test(status) && !spec.alsoStatus?.includes(Number(status)));
        expect(errors, `${name}: error responses`).to.have.length.greaterThan(0);
        for (const status of errors) {
          const ref = responses[status]!.content?.["application/json"]?.schema?.$ref;
          expect(ref, `${name} ${status}`).to.equal("#/components/schemas/Error");
        }
      }
    });

    it("documents 401 for every non-public route and 403 for every role-restricted one", () => {
      for (const spec of specs) {
        const name = key(spec.method, spec.path);
        const responses = operation(spec)?.responses ?? {};
        expect(operation(spec)?.["x-access"], name).to.deep.equal(spec.access);
        if (spec.access !== "public") expect(responses, name).to.have.property("401");
        if (Array.isArray(spec.access)) expect(responses, name).to.have.property("403");
      }
    });

    it("gives an operation a JSON requestBody exactly when its route has a body schema (a multipart one for uploads)", () => {
      for (const spec of specs) {
        const name = key(spec.method, spec.path);
        const body = operation(spec)?.requestBody;
        if (spec.body) {
          // A body `{}` satisfies may be left out (the router reads a missing body as `{}`): not required.
          expect(body?.required, `${name}: requestBody.required`).to.equal(!compile(spec.body, "strict")({}));
          expect(body?.content?.["application/json"]?.schema, `${name}: requestBody schema`).to.be.an("object");
          expect(operation(spec)?.responses, `${name}: 400`).to.have.property("400");
        } else if (spec.multipart) {
          expect(body?.content?.["multipart/form-data"]?.schema?.required, `${name}: multipart file field`).to.deep.equal([spec.multipart.field]);
        } else {
          expect(body, `${name} documents a body it does not read`).to.equal(undefined);
        }
      }
    });

    it("documents a file route's media types instead of JSON (schemathesis: no undocumented Content-Type), and 304 where it answers If-None-Match", () => {
      const files = specs.filter((s) => s.file);
      expect(files.map((s) => key(s.method, s.path))).to.include.members(["GET /api/uploads/:id", "GET /api/photos/:photoId/:file", "GET /api/ical/:file", "GET /api/settlements/:id/export"]);
      for (const spec of specs) {
        const responses = operation(spec)?.responses as Record<string, { content?: Record<string, unknown> }>;
        const types = Object.keys(responses[String(spec.status ?? 200)]?.content ?? {});
        expect(types, key(spec.method, spec.path)).to.deep.equal(spec.file ? [...spec.file.types] : ["application/json"]);
        expect(Object.hasOwn(responses, "304"), `${key(spec.method, spec.path)}: 304`).to.equal(spec.file?.notModified === true);
      }
    });

    it("documents the statuses a handler sets itself (schemathesis ST103): 201 and 200 of idempotent creates, health's 503 with its own body", () => {
      const ops = openApi.paths!;
      for (const path of ["/api/awards", "/api/settlements"]) expect(Object.keys(ops[path]!.post!.responses!), path).to.include.members(["200", "201"]);
      const health = ops["/api/health"]!.get!.responses!;
      expect(health["503"]!.content!["application/json"]!.schema, "health 503").to.deep.equal(health["200"]!.content!["application/json"]!.schema);
    });

    it("declares every path parameter as a required `in: path` parameter", () => {
      for (const spec of specs) {
        const parameters = operation(spec)?.parameters ?? [];
        for (const param of pathParams(spec.path)) {
          const declared = parameters.find((p) => p.name === param && p.in === "path");
          expect(declared?.required, `${key(spec.method, spec.path)}: {${param}}`).to.equal(true);
        }
      }
    });
  });
});
