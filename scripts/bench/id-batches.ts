// What one `_id` read costs alone and inside a batch (server/db/batched-reads.ts): 20 parallel
// readers fetch 6,000 documents by `_id`, as single `findOne`s and as `_id $in` queries of 2, 5 and
// 10 ids, through the driver on the embedded database. Prints ids/s and the CPU each process spent
// per id (this one: the driver; the database's from /proc). Figures, no target.
// Run: npx tsx scripts/bench/id-batches.ts
import { cpuMsOf, machine, runBench, withBenchServer } from "./support";

const READERS = 20;
const IDS = 6_000;
const DOCS = 5_000;

runBench(() =>
  withBenchServer(async (env) => {
    console.log(`_id reads alone and in batches: embedded ${env.dbKind}, ${machine()}`);
    const col = env.conn.db!.collection<{ _id: string; n: number; name: string }>("bench_id_batches");
    await col.insertMany(Array.from({ length: DOCS }, (_, n) => ({ _id: `d${n}`, n, name: "x".repeat(100) })));
    for (const batch of [1, 2, 5, 10]) {
      let left = IDS / batch;
      const [t0, node0, db0] = [performance.now(), process.cpuUsage(), await cpuMsOf(env.dbPid())];
      await Promise.all(
        Array.from({ length: READERS }, async () => {
          while (left-- > 0) {
            const ids = Array.from({ length: batch }, (_, k) => `d${(left * batch + k) % DOCS}`);
            if (batch === 1) await col.findOne({ _id: ids[0]! });
            else await col.find({ _id: { $in: ids } }).toArray();
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const node = process.cpuUsage(node0);
      const db1 = await cpuMsOf(env.dbPid());
      const dbPerId = db0 !== undefined && db1 !== undefined ? `${(((db1 - db0) * 1000) / IDS).toFixed(0)} µs` : "n/a";
      console.log(
        `  ${batch === 1 ? "findOne      " : `$in of ${String(batch).padEnd(2)} ids`}  ${(IDS / seconds).toFixed(0).padStart(6)} ids/s  ` +
          `CPU per id: driver ${((node.user + node.system) / IDS).toFixed(0)} µs, database ${dbPerId}`,
      );
    }
    await col.drop();
    console.log(`(${machine()} at the end)`);
  }),
);
