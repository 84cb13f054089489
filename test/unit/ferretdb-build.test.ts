// The FerretDB build's patch step and its marker (server/db/ferretdb-build.ts, ferretdb-patches/):
// patches apply exactly once to the pristine v1.24.2 source or fail the build by name, and a
// binary not built with the current patches is rebuilt.
import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ensureFerretdb, FERRETDB_VERSION } from "../../server/db/ferretdb-build";
import { applyFerretdbPatches, PATCH_ID } from "../../server/db/ferretdb-patches/apply";

const PATCHED_FILES = ["internal/backends/sqlite/metadata/metadata.go", "internal/backends/sqlite/collection.go"];

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}

describe("FerretDB build patches", function () {
  let pristine: string | undefined;
  let moduleDir: string;

  before(function () {
    try {
      const cache = execFileSync("go", ["env", "GOMODCACHE"], { encoding: "utf8" }).trim();
      pristine = path.join(cache, "github.com/!ferret!d!b/!ferret!d!b@" + FERRETDB_VERSION);
    } catch {
      pristine = undefined;
    }
  });

  beforeEach(async function () {
    if (!pristine || !(await fs.stat(pristine).catch(() => null))) {
      console.log("    (skipped: no FerretDB module in the Go module cache; `npm run db:build` puts it there)");
      return this.skip();
    }
    moduleDir = await fs.mkdtemp(path.join(os.tmpdir(), "labshare-ferretdb-src-"));
    for (const file of PATCHED_FILES) {
      await fs.mkdir(path.dirname(path.join(moduleDir, file)), { recursive: true });
      await fs.writeFile(path.join(moduleDir, file), await fs.readFile(path.join(pristine, file)));
    }
  });

  afterEach(async function () {
    if (moduleDir) await fs.rm(moduleDir, { recursive: true, force: true });
  });

  it("apply to the pristine source: _id queried with the index expression, pushdown through one helper", async function () {
    await applyFerretdbPatches(moduleDir, () => {});
    const sqlite = path.join(moduleDir, "internal/backends/sqlite");
    expect(await fs.readFile(path.join(sqlite, "metadata/metadata.go"), "utf8")).to.include(
      'IDColumn = DefaultColumn + "->\\"_id\\""',
    );
    const collection = await fs.readFile(path.join(sqlite, "collection.go"), "utf8");
    expect(collection.match(/prepareIDWhereClause\(params\.Filter\)/g)).to.have.length(2);
    expect(collection).not.to.include("if params.Filter.Len() == 1");
    expect(await fs.readFile(path.join(sqlite, "labshare_id_pushdown.go"), "utf8")).to.include("func prepareIDWhereClause");
  });

  it("fail naming the patch when a snippet is not found exactly once (here: source already patched)", async function () {
    await applyFerretdbPatches(moduleDir, () => {});
    const err = await rejection(applyFerretdbPatches(moduleDir, () => {}));
    expect(err.message).to.match(/FerretDB patch ".+" expected its snippet exactly once in .+metadata\.go, found it 0 times/);
  });
});

describe("FerretDB build marker", function () {
  let toolsDir: string;
  let bin: string;
  const savedPath = process.env.PATH;

  beforeEach(async function () {
    toolsDir = await fs.mkdtemp(path.join(os.tmpdir(), "labshare-ferretdb-tools-"));
    bin = path.join(toolsDir, "bin", "ferretdb");
    await fs.mkdir(path.dirname(bin));
    // Stands in for a working binary: answers --version like FerretDB does.
    await fs.writeFile(bin, `#!/bin/sh\necho "version: ${FERRETDB_VERSION}"\n`, { mode: 0o755 });
    // Without go on PATH a rebuild fails at its first step, which shows that one was attempted.
    process.env.PATH = "/nonexistent";
  });

  afterEach(async function () {
    process.env.PATH = savedPath;
    await fs.rm(toolsDir, { recursive: true, force: true });
  });

  it("a working binary recorded with the current patches is used as it is", async function () {
    await fs.writeFile(`${bin}.patches`, `${PATCH_ID}\n`);
    expect(await ensureFerretdb(toolsDir, () => {})).to.equal(bin);
  });

  it("a working binary without a marker (built before the patches) is rebuilt", async function () {
    const err = await rejection(ensureFerretdb(toolsDir, () => {}));
    expect(err.message).to.include('FerretDB build failed at step "go version"');
  });

  it("a stock or older patched binary is rebuilt, and a stock build does not accept a patched binary", async function () {
    for (const recorded of ["stock", "labshare-id-index/0000000000000000"]) {
      await fs.writeFile(`${bin}.patches`, `${recorded}\n`);
      const err = await rejection(ensureFerretdb(toolsDir, () => {}));
      expect(err.message, recorded).to.include('step "go version"');
    }
    await fs.writeFile(`${bin}.patches`, `${PATCH_ID}\n`);
    expect((await rejection(ensureFerretdb(toolsDir, () => {}, { stock: true }))).message).to.include('step "go version"');
    await fs.writeFile(`${bin}.patches`, "stock\n");
    expect(await ensureFerretdb(toolsDir, () => {}, { stock: true })).to.equal(bin);
  });
});
