// CLI: build the embedded FerretDB binary ahead of time (`npm run db:build`).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureFerretdb } from "../server/db/ferretdb-build";

// Resolve from this file, not cwd, so it works from any directory.
const toolsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", ".tools");

try {
  const bin = await ensureFerretdb(toolsDir, (msg) => console.log(msg));
  console.log(bin);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
}
