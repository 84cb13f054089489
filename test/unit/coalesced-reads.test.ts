import { expect } from "chai";
import { CoalescedReads } from "../../server/db/coalesced-reads";

/** A run function whose reads the test finishes by hand, recording what each read was asked. */
function controlledReads() {
  const runs: { key: string; queries: number[]; finish: (r: string) => void; fail: (e: Error) => void }[] = [];
  const reads = new CoalescedReads<number, string>(
    (key, queries) => new Promise<string>((resolve, reject) => runs.push({ key, queries: [...queries], finish: resolve, fail: reject })),
  );
  return { reads, runs };
}
const tick = () => new Promise((r) => setImmediate(r));

describe("CoalescedReads", () => {
  it("starts a lone read at once with its own query", async () => {
    const { reads, runs } = controlledReads();
    const answer = reads.read("a", 1);
    await tick();
    expect(runs.map((r) => r.queries)).to.deep.equal([[1]]);
    runs[0]!.finish("one");
    expect(await answer).to.equal("one");
  });

  it("answers reads that arrive while one runs from the next read, one query for all of them, started after they arrived", async () => {
    const { reads, runs } = controlledReads();
    const first = reads.read("a", 1);
    await tick();
    const later = [reads.read("a", 2), reads.read("a", 3), reads.read("a", 4)];
    await tick();
    expect(runs, "the waiting reads do not start while the first runs").to.have.length(1);
    runs[0]!.finish("before");
    expect(await first).to.equal("before");
    await tick();
    expect(runs.map((r) => r.queries)).to.deep.equal([[1], [2, 3, 4]]);
    runs[1]!.finish("after");
    expect(await Promise.all(later)).to.deep.equal(["after", "after", "after"]);
  });

  it("never lets a read that arrives after a read started be answered by it", async () => {
    const { reads, runs } = controlledReads();
    void reads.read("a", 1);
    await tick();
    const second = reads.read("a", 2);
    await tick();
    runs[0]!.finish("stale");
    await tick();
    const third = reads.read("a", 3); // arrives while the second read runs: waits for a third one
    await tick();
    runs[1]!.finish("fresh");
    expect(await second).to.equal("fresh");
    await tick();
    expect(runs.map((r) => r.queries)).to.deep.equal([[1], [2], [3]]);
    runs[2]!.finish("fresher");
    expect(await third).to.equal("fresher");
  });

  it("keeps keys apart and passes a failure to every read of its batch only", async () => {
    const { reads, runs } = controlledReads();
    const a = reads.read("a", 1);
    const b = reads.read("b", 2);
    await tick();
    expect(runs.map((r) => r.key)).to.deep.equal(["a", "b"]);
    runs[0]!.fail(new Error("database gone"));
    runs[1]!.finish("b ok");
    const failure = await a.then(() => null, (err: Error) => err.message);
    expect(failure).to.equal("database gone");
    expect(await b).to.equal("b ok");
    const again = reads.read("a", 3);
    await tick();
    runs[2]!.finish("a ok");
    expect(await again).to.equal("a ok");
  });
});
