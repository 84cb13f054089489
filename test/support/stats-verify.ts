// Runs `scripts/stats-verify.ts` as the operator would, against a test database, and tampers with a
// stored roll-up the way a lost or doubled write would.
import { spawn } from "node:child_process";
import type { Model } from "mongoose";
import { PROJECT_ROOT } from "../../server/config";
import type { DayFigures } from "../../server/modules/stats/figures";
import type { StatsMonthDoc } from "../../server/modules/stats/model";
import type { TestDatabase } from "./db";

export function runStatsVerify(db: TestDatabase, args: string[] = []): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/stats-verify.ts", ...args], {
      cwd: PROJECT_ROOT, env: { ...process.env, MONGODB_URI: db.uri, MONGODB_DB: db.dbName, LOG_LEVEL: "silent" }, stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stdout += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout }));
  });
}

export async function tamperWithDay(model: Model<StatsMonthDoc>, month: string, day: string, change: Partial<DayFigures>): Promise<void> {
  const doc = await model.findById(month).lean<StatsMonthDoc>();
  if (!doc) throw new Error(`no roll-up ${month}`);
  await model.updateOne({ _id: month }, { $set: { days: doc.days.map((d) => (d.day === day ? { ...d, ...change } : d)) } });
}
