// CLI: `npm run stats:verify [-- --rebuild]` recomputes every stored statistics roll-up (`stats_days`
// and `stats_months`) by scanning the source documents and compares. Exit 0 when all agree; exit 1
// with a report of each difference (and, with --rebuild, after replacing the wrong roll-ups), 2 on
// error. Connects like `npm run seed`: MONGODB_URI, or the embedded database under LABSHARE_DATA_DIR.
import type { Connection } from "mongoose";
import { loadConfig } from "../server/config";
import { connectDatabase } from "../server/db/connection";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../server/db/embedded";
import { StatsService } from "../server/modules/stats/service";

async function main(): Promise<number> {
  const rebuild = process.argv.includes("--rebuild");
  const config = loadConfig();
  let embedded: EmbeddedDatabase | undefined;
  let conn: Connection | undefined;
  try {
    let uri = config.mongodbUri;
    if (!uri) {
      embedded = await startEmbeddedDatabase({ dataDir: config.dataDir, toolsDir: config.toolsDir, log: (m) => console.log(m) });
      uri = embedded.uri;
    }
    conn = await connectDatabase(uri, config.mongodbDb);
    const report = await new StatsService(conn).verify({ rebuild });
    console.log(`stats:verify: ${report.checked.days} daily and ${report.checked.months} monthly roll-ups checked in database "${config.mongodbDb}"`);
    for (const d of report.differences) {
      console.log(`  DIFFERENT ${d.key}${report.rebuilt.includes(d.key) ? " (rebuilt from the source)" : ""}:`);
      for (const day of d.days) console.log(`    ${day.day}: stored ${JSON.stringify(day.stored)}\n    ${" ".repeat(day.day.length)}  source ${JSON.stringify(day.computed)}`);
      if (d.subsidies) console.log("    the subsidy lines (vouchers per enterprise and county) differ");
      if (d.paidAfter) console.log("    the settlement times (claims paid n days after filing) differ");
      if (d.outdated) console.log("    written under older definitions of the figures (schema)");
    }
    console.log(report.ok ? "  all roll-ups agree with the source" : `  ${report.differences.length} roll-up(s) differ${rebuild ? "; rebuilt" : "; run with --rebuild to replace them"}`);
    return report.ok ? 0 : 1;
  } finally {
    await conn?.close();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error("stats:verify failed:", err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
