// Mocha global fixture (loaded via .mocharc.json "require"): one database server for the whole
// run. Uses MONGODB_URI if set, else starts an embedded server with data in a fresh temp dir.
// Test files read LABSHARE_TEST_MONGODB_URI inside before() hooks (see test/support/db.ts).
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../../server/db/embedded";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
let embedded: EmbeddedDatabase | undefined;
let tempDir: string | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) {
    process.env.LABSHARE_TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  tempDir = await fs.mkdtemp(path.join(os.tmpdir(), "labshare-test-"));
  embedded = await startEmbeddedDatabase({
    dataDir: tempDir,
    toolsDir: path.join(projectRoot, ".tools"),
    log: (msg) => console.log(`[test db] ${msg}`),
  });
  process.env.LABSHARE_TEST_MONGODB_URI = embedded.uri;
}

export async function mochaGlobalTeardown(): Promise<void> {
  await embedded?.stop();
  embedded = undefined;
  if (tempDir) await fs.rm(tempDir, { recursive: true, force: true });
  tempDir = undefined;
}
