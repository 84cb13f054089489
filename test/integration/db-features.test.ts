// The database features the platform relies on, checked against the real test server
// (embedded FerretDB by default, or MONGODB_URI). See docs/database.md for what we may not use.
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import mongoose, { Schema } from "mongoose";
import { pingDatabase } from "../../server/db/connection";
import { startEmbeddedDatabase } from "../../server/db/embedded";
import { duplicateKeyOf, isDuplicateKeyError } from "../../server/db/errors";
import { openTestDatabase, type TestDatabase } from "../support/db";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected the operation to fail");
}

interface Account {
  _id: string;
  owner: string;
  balance: number;
  log: string[];
  tier?: string;
}

describe("database features (integration)", function () {
  let db: TestDatabase;
  let Accounts: mongoose.Model<Account>;
  let isFerret = false;

  before(async function () {
    db = await openTestDatabase("dbfeat");
    const schema = new Schema<Account>({
      _id: String,
      owner: { type: String, required: true, unique: true },
      balance: { type: Number, required: true },
      log: { type: [String], default: [] },
      tier: String,
    });
    Accounts = db.conn.model<Account>("Account", schema);
    await Accounts.init(); // waits for autoIndex to build the unique index
    const info = await db.conn.db!.admin().command({ buildInfo: 1 });
    isFerret = "ferretdbVersion" in info;
  });

  after(async function () {
    await db?.drop();
  });

  beforeEach(async function () {
    await Accounts.deleteMany({});
  });

  it("connects and answers ping", async function () {
    expect(db.conn.readyState).to.equal(1);
    expect(await pingDatabase(db.conn)).to.equal(true);
  });

  it("creates the unique index and rejects duplicate _id and duplicate secondary key with E11000", async function () {
    const indexes = await Accounts.collection.indexes();
    const owner = indexes.find((i) => i.key.owner === 1);
    expect(owner?.unique).to.equal(true);

    await Accounts.create({ _id: "a1", owner: "alice", balance: 10 });
    const dupId = await caught(Accounts.create({ _id: "a1", owner: "bob", balance: 1 }));
    expect(isDuplicateKeyError(dupId)).to.equal(true);
    const dupOwner = await caught(Accounts.create({ _id: "a2", owner: "alice", balance: 1 }));
    expect(isDuplicateKeyError(dupOwner)).to.equal(true);
    // MongoDB reports the key, FerretDB does not: callers must not depend on it.
    const key = duplicateKeyOf(dupId);
    if (key) expect(key).to.deep.equal({ _id: "a1" });
    expect(isDuplicateKeyError(new Error("other"))).to.equal(false);
    expect(await Accounts.countDocuments()).to.equal(1);
  });

  it("inserts and finds by _id and by filter", async function () {
    await Accounts.insertMany([
      { _id: "a1", owner: "alice", balance: 10 },
      { _id: "a2", owner: "bob", balance: 20 },
    ]);
    expect((await Accounts.findById("a2").lean())?.owner).to.equal("bob");
    const rich = await Accounts.find({ balance: { $gt: 15 } }).lean();
    expect(rich.map((a) => a._id)).to.deep.equal(["a2"]);
  });

  it("guarded findOneAndUpdate applies $inc and $push, then returns null when the guard fails", async function () {
    await Accounts.create({ _id: "a1", owner: "alice", balance: 10 });
    const spend = (x: number) =>
      Accounts.findOneAndUpdate(
        { _id: "a1", balance: { $gte: x } },
        { $inc: { balance: -x }, $push: { log: `spent ${x}` } },
        { returnDocument: "after" },
      ).lean();
    const first = await spend(7);
    expect(first?.balance).to.equal(3);
    expect(first?.log).to.deep.equal(["spent 7"]);
    expect(await spend(7)).to.equal(null);
    expect((await Accounts.findById("a1").lean())?.balance).to.equal(3);
  });

  it("upserts with $setOnInsert and $inc", async function () {
    const bump = () =>
      Accounts.updateOne(
        { _id: "a9" },
        { $setOnInsert: { owner: "zoe", log: [] }, $inc: { balance: 5 } },
        { upsert: true },
      );
    const r1 = await bump();
    expect(r1.upsertedCount).to.equal(1);
    const r2 = await bump();
    expect(r2.upsertedCount).to.equal(0);
    expect(r2.modifiedCount).to.equal(1);
    const doc = await Accounts.findById("a9").lean();
    expect(doc).to.include({ owner: "zoe", balance: 10 });
  });

  describe("aggregation", function () {
    beforeEach(async function () {
      await Accounts.insertMany([
        { _id: "a1", owner: "alice", balance: 10, log: ["x", "y"], tier: "low" },
        { _id: "a2", owner: "bob", balance: 20, log: ["x"], tier: "high" },
        { _id: "a3", owner: "carol", balance: 5, log: [], tier: "low" },
        { _id: "a4", owner: "dave", balance: 40, log: ["z"], tier: "high" },
      ]);
    });

    const byGroup = (rows: { _id: string; v: number }[]) =>
      Object.fromEntries(rows.map((r) => [r._id, r.v]));

    it("$group with $sum of a field", async function () {
      const rows = await Accounts.aggregate<{ _id: string; v: number }>([
        { $group: { _id: "$tier", v: { $sum: "$balance" } } },
      ]);
      expect(byGroup(rows)).to.deep.equal({ high: 60, low: 15 });
    });

    it("counts per group with {$count: {}} and with {$sum: 1} (each as the only accumulator)", async function () {
      for (const acc of [{ $count: {} }, { $sum: 1 }]) {
        const rows = await Accounts.aggregate<{ _id: string; v: number }>([
          { $group: { _id: "$tier", v: acc } },
        ]);
        expect(byGroup(rows), JSON.stringify(acc)).to.deep.equal({ high: 2, low: 2 });
      }
    });

    it("FerretDB computes only the FIRST accumulator of a $group (the others come back 0): use one per $group", async function () {
      const [row] = await Accounts.aggregate<{ n: number; total: number }>([
        { $group: { _id: null, n: { $count: {} }, total: { $sum: "$balance" } } },
      ]);
      expect(row?.n).to.equal(4);
      // Canary: if this starts failing on FerretDB, the bug was fixed; update docs/database.md.
      expect(row?.total).to.equal(isFerret ? 0 : 75);
    });

    it("$match $sort $skip $limit $project", async function () {
      const rows = await Accounts.aggregate([
        { $match: { balance: { $gte: 10 } } },
        { $sort: { balance: -1 } },
        { $skip: 1 },
        { $limit: 1 },
        { $project: { _id: 0, owner: 1 } },
      ]);
      expect(rows).to.deep.equal([{ owner: "bob" }]);
    });

    it("$unwind then $group, and the $count stage", async function () {
      const rows = await Accounts.aggregate<{ _id: string; v: number }>([
        { $unwind: "$log" },
        { $group: { _id: "$log", v: { $count: {} } } },
      ]);
      expect(byGroup(rows)).to.deep.equal({ x: 2, y: 1, z: 1 });
      const counted = await Accounts.aggregate([{ $match: { balance: { $lt: 15 } } }, { $count: "n" }]);
      expect(counted).to.deep.equal([{ n: 2 }]);
    });
  });

  describe("insertMany with a duplicate (not all-or-nothing, same as MongoDB)", function () {
    const docs = ["d1", "d2", "dup", "d4"].map((id, i) => ({ _id: id, owner: `o${i}`, balance: 1 }));

    beforeEach(async function () {
      await Accounts.create({ _id: "dup", owner: "existing", balance: 0 });
    });

    it("ordered: documents before the duplicate stay inserted, the rest are not", async function () {
      const err = await caught(Accounts.insertMany(docs));
      expect(isDuplicateKeyError(err)).to.equal(true);
      const ids = (await Accounts.find().sort({ _id: 1 }).lean()).map((d) => d._id);
      expect(ids).to.deep.equal(["d1", "d2", "dup"]);
    });

    it("unordered: every non-duplicate document is inserted", async function () {
      const err = await caught(Accounts.insertMany(docs, { ordered: false }));
      expect(isDuplicateKeyError(err)).to.equal(true);
      const ids = (await Accounts.find().sort({ _id: 1 }).lean()).map((d) => d._id);
      expect(ids).to.deep.equal(["d1", "d2", "d4", "dup"]);
    });
  });

  it("exclusive decision: 50 concurrent inserts of the same _id → exactly one wins, 49 get E11000", async function () {
    const Claims = db.conn.model("Claim", new Schema({ _id: String, by: Number }));
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => Claims.create({ _id: "inst1:2025-01-01T09:00:1", by: i })),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).to.have.length(1);
    expect(lost).to.have.length(49);
    for (const r of lost) expect(isDuplicateKeyError(r.reason), String(r.reason)).to.equal(true);
    expect(await Claims.countDocuments()).to.equal(1);
  });
});

describe("startEmbeddedDatabase lifecycle", function () {
  this.timeout(60_000);
  if (process.env.MONGODB_URI) return; // only meaningful when the embedded server is in use

  const toolsDir = path.join(projectRoot, ".tools");
  const portOf = (uri: string) => Number(new URL(uri).port);
  const isListening = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });

  let dataDir: string;
  beforeEach(async function () {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "labshare-embedded-"));
  });
  afterEach(async function () {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("stop() shuts the server down and frees its port", async function () {
    const server = await startEmbeddedDatabase({ dataDir, toolsDir, log: () => {} });
    const port = portOf(server.uri);
    expect(await isListening(port)).to.equal(true);
    await server.stop();
    expect(await isListening(port)).to.equal(false);
    await server.stop(); // idempotent
  });

  it("kills the server when the parent process exits without calling stop()", async function () {
    const moduleUrl = new URL("../../server/db/embedded.ts", import.meta.url).href;
    const code =
      `const { startEmbeddedDatabase } = await import(${JSON.stringify(moduleUrl)});` +
      `const s = await startEmbeddedDatabase({ dataDir: ${JSON.stringify(dataDir)}, ` +
      `toolsDir: ${JSON.stringify(toolsDir)}, log: () => {} });` +
      `console.log(s.uri); process.exit(0);`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
      cwd: projectRoot,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    const exitCode = await new Promise((resolve) => child.once("exit", resolve));
    expect(exitCode).to.equal(0);
    const port = portOf(out.trim());
    expect(port).to.be.greaterThan(0);
    // SIGKILL is delivered asynchronously: give the orphan a moment to disappear.
    for (let i = 0; i < 20 && (await isListening(port)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await isListening(port)).to.equal(false);
  });
});
