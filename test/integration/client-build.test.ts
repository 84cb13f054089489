// `npm start` rebuilds the web client only when its inputs changed (scripts/build-client-if-changed.ts).
import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { PROJECT_ROOT } from "../../server/config";

const run = promisify(execFile);
const SCRIPT = path.join(PROJECT_ROOT, "scripts", "build-client-if-changed.ts");
const STAMP = path.join(PROJECT_ROOT, "client", "dist", ".build-hash");
const buildIfChanged = async () => (await run(process.execPath, ["--import", "tsx", SCRIPT], { cwd: PROJECT_ROOT, maxBuffer: 16 << 20 })).stdout;

describe("building the client on start", function () {
  this.timeout(180_000);

  it("skips vite build when nothing changed since the last build, and builds again when the inputs' hash differs", async () => {
    await buildIfChanged(); // builds once if client/dist is missing or stale
    const hash = (await fs.readFile(STAMP, "utf8")).trim();
    expect(hash).to.match(/^[0-9a-f]{64}$/);

    expect(await buildIfChanged()).to.match(/Client unchanged since its last build: skipping/);

    // As if client/ had changed since the last build: the recorded hash no longer matches.
    await fs.writeFile(STAMP, "0".repeat(64) + "\n");
    const out = await buildIfChanged();
    expect(out).not.to.match(/skipping/);
    expect((await fs.readFile(STAMP, "utf8")).trim()).to.equal(hash);
    await fs.access(path.join(PROJECT_ROOT, "client", "dist", "index.html"));
  });
});
