// Reads by `_id` asked for while others are in flight go out together as one `_id $in` query
// (server/db/batched-reads.ts). These tests count the queries the driver sends, and check that each
// caller gets its own document, as fresh as a single read would be.
import { expect } from "chai";
import mongoose, { Schema } from "mongoose";
import { readById } from "../../server/db/batched-reads";
import { openTestDatabase, type TestDatabase } from "../support/db";

const { Binary } = mongoose.mongo;

interface Doc {
  _id: string;
  n: number;
  at: Date;
  bytes: mongoose.mongo.Binary;
  tags: string[];
}

describe("batched reads by _id", function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let conn: mongoose.Connection;
  let Model: mongoose.Model<Doc>;
  const finds: unknown[] = [];

  before(async () => {
    db = await openTestDatabase("batched-reads");
    // A second connection to the same database, with the driver's command monitor on.
    conn = await mongoose.createConnection(db.uri, { dbName: db.dbName, monitorCommands: true }).asPromise();
    conn.getClient().on("commandStarted", (e) => {
      if (e.commandName === "find") finds.push((e.command as { filter: unknown }).filter);
    });
    Model = conn.model<Doc>("BatchedDoc", new Schema<Doc>({ _id: String, n: Number, at: Date, bytes: Schema.Types.Mixed, tags: [String] }), "batched_docs");
    await Model.collection.insertMany(
      Array.from({ length: 60 }, (_, n) => ({ _id: `d${n}`, n, at: new Date(Date.UTC(2026, 0, 1, 0, n)), bytes: new Binary(Buffer.from([n, 1, 2])), tags: ["a", `t${n}`] })) as never[],
    );
  });
  after(async () => {
    await conn.close();
    await db.drop();
  });

  it("60 reads asked for at once go out as at most 4 queries, each caller getting its document or null", async () => {
    finds.length = 0;
    const ids = [...Array.from({ length: 58 }, (_, n) => `d${n}`), "missing-1", "missing-2"];
    const docs = await Promise.all(ids.map((id) => readById<Doc>(Model, id)));
    expect(finds.length, JSON.stringify(finds)).to.be.within(2, 4);
    expect(finds.some((f) => JSON.stringify(f).includes("$in"))).to.equal(true);
    docs.slice(0, 58).forEach((d, n) => {
      expect(d, `d${n}`).to.include({ _id: `d${n}`, n });
      expect(d!.at.getTime()).to.equal(Date.UTC(2026, 0, 1, 0, n));
    });
    expect(docs.slice(58)).to.deep.equal([null, null]);
  });

  it("callers asking for the same document in one query get separate copies with their BSON types", async () => {
    // Two reads to fill the queries in flight, then five callers of d7 queued behind them.
    const first = Promise.all([readById<Doc>(Model, "d1"), readById<Doc>(Model, "d2")]);
    const same = await Promise.all(Array.from({ length: 5 }, () => readById<Doc>(Model, "d7")));
    await first;
    same[0]!.tags.push("changed by the first caller");
    same[0]!.n = -1;
    for (const copy of same.slice(1)) {
      expect(copy).to.not.equal(same[0]);
      expect(copy!.n).to.equal(7);
      expect(copy!.tags).to.deep.equal(["a", "t7"]);
      expect(copy!.at).to.be.instanceOf(Date);
      expect(copy!.bytes).to.be.instanceOf(Binary);
      expect([...copy!.bytes.buffer]).to.deep.equal([7, 1, 2]);
    }
  });

  it("a read asked for after a write has landed sees it, even while reads from before the write are in flight", async () => {
    const before = Array.from({ length: 10 }, () => readById<Doc>(Model, "late"));
    await Model.collection.insertOne({ _id: "late", n: 99, at: new Date(), bytes: new Binary(Buffer.from([9])), tags: [] } as never);
    const after = await readById<Doc>(Model, "late");
    expect(after).to.include({ _id: "late", n: 99 });
    for (const r of await Promise.all(before)) expect(r === null || r.n === 99).to.equal(true);
  });

  it("a failed query fails each read in it, and later reads go out again", async () => {
    const Broken = conn.model<Doc>("BatchedBroken", new Schema<Doc>({ _id: String }), "batched_docs");
    const find = Broken.find;
    Broken.find = (() => {
      throw new Error("database gone");
    }) as unknown as typeof find;
    const findById = Broken.findById;
    Broken.findById = (() => {
      throw new Error("database gone");
    }) as unknown as typeof findById;
    const results = await Promise.allSettled(["d1", "d2", "d3", "d4"].map((id) => readById<Doc>(Broken, id)));
    expect(results.map((r) => r.status)).to.deep.equal(["rejected", "rejected", "rejected", "rejected"]);
    Broken.find = find;
    Broken.findById = findById;
    expect(await readById<Doc>(Broken, "d3")).to.include({ _id: "d3" });
  });
});
