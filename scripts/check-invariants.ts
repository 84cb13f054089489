// CLI: `npm run check-invariants` reads the database (MONGODB_URI, or the embedded one under
// LABSHARE_DATA_DIR like `npm start` — stop the server first then, the embedded database has one
// owner) and checks the invariants of DESIGN.md (server/modules/invariants/checker.ts).
// Prints a report; exit 0 when every invariant holds, 1 on any violation, 2 when it could not check.
// `--json` prints the report as JSON.
import type { Connection } from "mongoose";
import { createServices } from "../server/app";
import { loadConfig } from "../server/config";
import { connectDatabase } from "../server/db/connection";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../server/db/embedded";
import { checkInvariants } from "../server/modules/invariants/checker";

async function main(): Promise<number> {
  const config = loadConfig();
  const json = process.argv.includes("--json");
  let embedded: EmbeddedDatabase | undefined;
  let conn: Connection | undefined;
  try {
    let uri = config.mongodbUri;
    if (!uri) {
      embedded = await startEmbeddedDatabase({ dataDir: config.dataDir, toolsDir: config.toolsDir, log: (msg) => !json && console.error(msg) });
      uri = embedded.uri;
    }
    conn = await connectDatabase(uri, config.mongodbDb);
    const services = createServices(conn, config);
    services.notificationFollower.detach();
    const report = await checkInvariants(services);
    if (json) console.log(JSON.stringify(report, null, 2));
    else {
      const c = report.checked;
      console.log(`Checked ${c.activeBookings} active bookings, ${c.liveClaims} live claims, ${c.ledgerEntries} ledger entries in ${c.ledgerAccounts} accounts (database "${config.mongodbDb}").`);
      for (const v of report.violations) console.log(`  VIOLATION ${v.invariant}  ${v.subject}: ${v.detail}`);
      console.log(report.ok ? "Every invariant holds." : `${report.violations.length} violation(s).`);
    }
    return report.ok ? 0 : 1;
  } finally {
    await conn?.close();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
