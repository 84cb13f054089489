// The cluster's status file, `<LABSHARE_DATA_DIR>/cluster.json`: the primary's pid and its live
// workers' pids, rewritten by the primary whenever a worker becomes ready or exits. The chaos
// run and the tests read it to kill one worker at a time and to see a replacement arrive.
import { promises as fs } from "node:fs";
import path from "node:path";

export interface ClusterStatus {
  primary: number;
  port: number;
  /** Worker id → pid, for the workers that are ready now (server/main.ts said so). */
  workers: Record<string, number>;
  /** Workers started so far, replacements included. */
  started: number;
}

export const statusFile = (dataDir: string) => path.join(dataDir, "cluster.json");

export async function readClusterStatus(dataDir: string): Promise<ClusterStatus | null> {
  try {
    return JSON.parse(await fs.readFile(statusFile(dataDir), "utf8")) as ClusterStatus;
  } catch {
    return null;
  }
}

/** Written to a temp file and renamed, so a reader never sees half a file. */
export async function writeClusterStatus(dataDir: string, status: ClusterStatus): Promise<void> {
  const file = statusFile(dataDir);
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(`${file}.tmp`, JSON.stringify(status));
  await fs.rename(`${file}.tmp`, file);
}
