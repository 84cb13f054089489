// CLI: `npm run seed` loads the demo city (server/demo/) into MONGODB_URI, or into the embedded
// database under LABSHARE_DATA_DIR like `npm start` does. Safe to run again: it inserts only what
// is missing. With LABSHARE_ADMIN_EMAIL set, that admin is ensured instead of admin@demo.labshare.
import type { Connection } from "mongoose";
import { ConfigError, loadConfig } from "../server/config";
import { connectDatabase } from "../server/db/connection";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../server/db/embedded";
import { seedProgressReporter } from "../server/demo/progress";
import { seedDemoCity } from "../server/demo/seed";
import { accountsModels } from "../server/modules/accounts/model";
import { AccountsService } from "../server/modules/accounts/service";

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  let embedded: EmbeddedDatabase | undefined;
  let conn: Connection | undefined;
  try {
    let uri = config.mongodbUri;
    if (!uri) {
      const log = (msg: string) => console.log(msg);
      embedded = await startEmbeddedDatabase({ dataDir: config.dataDir, toolsDir: config.toolsDir, log });
      uri = embedded.uri;
    }
    conn = await connectDatabase(uri, config.mongodbDb);
    if (config.admin) {
      const accounts = new AccountsService(accountsModels(conn), { sessionDays: config.sessionDays });
      await accounts.ensureBureauAdmin(config.admin.email, config.admin.password);
    }

    const progress = seedProgressReporter();
    const result = await seedDemoCity(conn, {
      includeBureauAdmin: !config.admin,
      onProgress: (p) => progress.onProgress(p),
    }).finally(() => progress.stop());

    const n = (x: number) => x.toLocaleString("en");
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const counts = Object.entries(result.counts).map(([name, count]) => `${name} ${n(count)}`);
    console.log(`\n  demo city in database "${config.mongodbDb}": ${counts.join(", ")}`);
    console.log(
      `  inserted ${n(result.inserted)} documents, ${n(result.existing)} were already there; ` +
        `seed ${seconds(result.ms)}, total ${seconds(Date.now() - started)}\n`,
    );
    console.log("  Demo log-ins:");
    for (const l of result.logins) {
      const about = [l.organization, l.note].filter(Boolean).join(", ");
      console.log(`    ${l.role}:  ${l.email} / ${l.password}  (${about})`);
    }
    if (config.admin) console.log(`    bureau_admin:  ${config.admin.email} (LABSHARE_ADMIN_EMAIL)`);
    console.log("");
  } finally {
    await conn?.close();
    await embedded?.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  },
);
