// Which process holds the server end of a TCP connection, from /proc (Linux): the socket inodes in
// /proc/<pid>/fd, matched with /proc/net/tcp{,6} rows whose local port is the server's and whose
// remote port is the client's. Lets a cluster test tell which worker a connection landed on without
// asking the server anything.
import { promises as fs } from "node:fs";

async function socketInodes(pid: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  for (const fd of await fs.readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
    const link = await fs.readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
    const m = /^socket:\[(\d+)\]$/.exec(link);
    if (m) inodes.add(m[1]!);
  }
  return inodes;
}

/** Inode of the server-side socket of each connection to `serverPort`, keyed by the client's port. */
async function serverSidesByClientPort(serverPort: number): Promise<Map<number, string>> {
  const byClient = new Map<number, string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const rows = (await fs.readFile(table, "utf8").catch(() => "")).split("\n").slice(1);
    for (const row of rows) {
      const f = row.trim().split(/\s+/);
      if (f.length < 10) continue;
      const local = parseInt(f[1]!.split(":")[1]!, 16);
      const remote = parseInt(f[2]!.split(":")[1]!, 16);
      if (local === serverPort) byClient.set(remote, f[9]!);
    }
  }
  return byClient;
}

/** For each client port, the pid among `pids` whose process holds the server end (undefined: none of them). */
export async function ownersOfConnections(serverPort: number, clientPorts: number[], pids: number[]): Promise<(number | undefined)[]> {
  const sides = await serverSidesByClientPort(serverPort);
  const held = await Promise.all(pids.map(async (pid) => ({ pid, inodes: await socketInodes(pid) })));
  return clientPorts.map((port) => {
    const inode = sides.get(port);
    return inode === undefined ? undefined : held.find((h) => h.inodes.has(inode))?.pid;
  });
}
