// Which Chromium the browser tests drive: the system's when there is one (CHROMIUM_PATH, else
// `chromium` on PATH, Debian's /usr/bin/chromium), otherwise the headless Chromium that the npm
// package @sparticuz/chromium carries inside it (no browser download), so `npm test` runs on a
// machine with nothing but Node and Go. The tests assert nothing that depends on fonts.
import { execFile } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import sparticuz from "@sparticuz/chromium";
import { findOnPath } from "../../server/db/embedded";

export interface ChromiumBinary {
  executablePath: string;
  /** For the log: where it came from. */
  source: string;
}

/**
 * Flags that keep Chromium off this machine's closed network and quiet in a container, for either
 * binary. @sparticuz/chromium's own `args` are tuned for AWS Lambda and are not used: with its
 * --single-process, closing one test's browser context ends the whole browser, and its
 * --disable-web-security would make the tests' browser laxer than a user's.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let found: Promise<ChromiumBinary> | undefined;

export function findChromium(): Promise<ChromiumBinary> {
  found ??= locate().then((chromium) => {
    console.log(`    (Chromium for the browser tests: ${chromium.executablePath}, ${chromium.source})`);
    return chromium;
  });
  return found;
}

async function locate(): Promise<ChromiumBinary> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH is set to ${configured}, which does not exist`);
    return { executablePath: configured, source: "CHROMIUM_PATH" };
  }
  const installed = await findOnPath("chromium");
  if (installed) return { executablePath: installed, source: "system" };
  return { executablePath: await unpackBundled(), source: "@sparticuz/chromium" };
}

/**
 * Unpacks the package's brotli-compressed binary into the temp folder (~2 s, once per machine).
 * The package reuses whatever is at that path, so a copy left half-written by a killed run is
 * removed and unpacked again.
 */
async function unpackBundled(): Promise<string> {
  const bin = await sparticuz.executablePath();
  if (await starts(bin)) return bin;
  await fs.rm(bin, { force: true });
  const again = await sparticuz.executablePath();
  if (!(await starts(again))) throw new Error(`@sparticuz/chromium unpacked ${again}, but it does not start`);
  return again;
}

function starts(bin: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(bin, ["--version"], { timeout: 15_000 }, (err, stdout) => resolve(!err && stdout.includes("Chromium")));
  });
}
