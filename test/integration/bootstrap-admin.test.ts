// LABSHARE_ADMIN_EMAIL creates the bureau administrator, and never promotes an existing account
// that is not the bureau's: whoever registered that email first must not get the bureau.
import path from "node:path";
import { spawn } from "node:child_process";
import { expect } from "chai";
import { PROJECT_ROOT } from "../../server/config";
import { BootstrapAdminError } from "../../server/modules/accounts/service";
import { startTestServer, type TestServer } from "../support/server";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, registerUser, uniqueEmail } from "../factories/accounts";

describe("the bureau administrator from LABSHARE_ADMIN_EMAIL", function () {
  let t: TestServer;
  let api: ApiClient;

  before(async () => {
    t = await startTestServer("bootstrap_admin");
    api = apiClient(t.baseUrl);
  });
  after(() => t.stop());

  const ensure = (email: string) => t.server.services.accounts.ensureBureauAdmin(email, "admin-password-1");

  it("refuses to promote an enterprise's admin: the error says why, and the account keeps its organization", async () => {
    const admin = await orgAdmin(api, "enterprise");
    let error: unknown;
    await ensure(admin.email.toUpperCase()).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(BootstrapAdminError);
    expect((error as Error).message).to.include(admin.email).and.include("not a bureau account");
    const me = await api.get("/api/me", { token: admin.token });
    expect(me.body.roles).to.deep.equal(["enterprise_admin"]);
  });

  it("refuses to promote a user without an organization", async () => {
    const user = await registerUser(api);
    await ensure(user.email).then(
      () => expect.fail("promoted"),
      (err: unknown) => expect(err).to.be.instanceOf(BootstrapAdminError),
    );
    expect((await api.get("/api/me", { token: user.token })).body.roles).to.deep.equal([]);
  });

  it("creates a new administrator once, finds it on later starts, also when 10 start at once", async () => {
    const email = uniqueEmail("admin");
    const results = await Promise.all(Array.from({ length: 10 }, () => ensure(email)));
    expect(results.filter((r) => r === "created")).to.have.length(1);
    expect(await ensure(email)).to.equal("exists");
    const token = await login(api, email, "admin-password-1");
    expect((await api.get("/api/me", { token })).body.roles).to.deep.equal(["bureau_admin"]);
  });

  it("stops the server process at start-up with a clear message, exit code 1", async function () {
    this.timeout(60_000);
    const provider = await orgAdmin(api, "provider");
    const child = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "server", "main.ts")], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        MONGODB_URI: t.db.uri,
        MONGODB_DB: t.db.dbName,
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_LEVEL: "silent",
        LABSHARE_ADMIN_EMAIL: provider.email,
        LABSHARE_ADMIN_PASSWORD: "admin-password-1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code, stdout + stderr).to.equal(1);
    expect(stderr).to.include(`LABSHARE_ADMIN_EMAIL=${provider.email}`).and.include("not promoted");
    expect(stderr).to.not.match(/\n\s+at /); // a message, not a stack trace
    expect(stdout).to.not.include("labshare is running");
    expect((await api.get("/api/me", { token: provider.token })).body.roles).to.deep.equal(["provider_admin"]);
  });
});
