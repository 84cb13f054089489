// Reads by _id go through the unique _id index on the embedded FerretDB only because our build
// patches its SQLite backend (server/db/ferretdb-patches/, docs/database.md "Patched FerretDB").
// The plan checks are FerretDB-only; the answers are checked on every server, because the patch
// may only narrow the rows FerretDB reads, never change which documents match.
import { expect } from "chai";
import mongoose from "mongoose";
import { openTestDatabase, type TestDatabase } from "../support/db";

const { ObjectId, Long, Double } = mongoose.mongo;
type Id = string | number | mongoose.mongo.ObjectId | mongoose.mongo.Long | mongoose.mongo.Double | Date;
interface Item {
  _id: Id;
  kind: string;
  n: number;
  touched?: boolean;
}
type Filter = mongoose.mongo.Filter<Item>;

const STRING_IDS = Array.from({ length: 20 }, (_, i) => `a${i + 1}`);
const OBJECT_IDS = Array.from({ length: 5 }, () => new ObjectId());
// Characters whose JSON encodings differ between encoders (escaped HTML, quotes, line separators).
const ODD_IDS = ['q"uote', "back\\slash", "<b>&amp;</b>", "é漢字", "line\u2028sep", "emoji😀", ""];
// Numbers of each BSON type; queries below use other types of equal value (5 == 5.0 == Long(5)).
const NUMERIC_IDS: Id[] = [
  new Double(5), Long.fromNumber(6), 7, 7.5, new Double(-0), Long.fromNumber(2 ** 53), 1e-7, 0.1, -3, 123456789012,
];

function items(): Item[] {
  return [
    ...STRING_IDS.map((_id, i) => ({ _id, kind: "a", n: i + 1 })),
    ...OBJECT_IDS.map((_id, i) => ({ _id, kind: "o", n: i + 1 })),
    ...ODD_IDS.map((_id, i) => ({ _id, kind: "odd", n: i + 1 })),
    ...NUMERIC_IDS.map((_id, i) => ({ _id, kind: "num", n: i + 1 })),
  ];
}

/** Numbers come back as JS numbers whatever their BSON type. */
function key(id: Id): string {
  if (id instanceof Long) return `number:${id.toNumber()}`;
  if (id instanceof Double) return `number:${id.value}`;
  return typeof id === "object" ? `${id.constructor.name}:${id.toString()}` : `${typeof id}:${id}`;
}
const keys = (ids: Id[]) => ids.map(key).sort();

describe("reading by _id on the embedded FerretDB uses the unique _id index (FerretDB only; MongoDB indexes _id itself)", function () {
  let db: TestDatabase;
  let col: mongoose.mongo.Collection<Item>;

  before(async function () {
    db = await openTestDatabase("ferretidx");
    const info = await db.conn.db!.admin().command({ buildInfo: 1 });
    if (!("ferretdbVersion" in info)) {
      console.log("    (skipped: the test database is MongoDB, not FerretDB)");
      return this.skip();
    }
    col = db.conn.db!.collection<Item>("items");
    await col.insertMany(items());
  });

  after(async function () {
    await db?.drop();
  });

  async function planOf(filter: Filter): Promise<{ plan: string; pushdown: boolean }> {
    const explained = await col.find(filter).explain();
    return {
      plan: (explained.queryPlanner as { Plan: string[] }).Plan.join("\n"),
      pushdown: explained.filterPushdown as boolean,
    };
  }
  const INDEX_READ = /SEARCH \S+ USING INDEX \S+__id_ \(<expr>=\?\)/;

  it("{_id: string}, {_id: ObjectId} and {_id: number} search the _id index instead of scanning", async function () {
    for (const filter of [{ _id: "a3" }, { _id: OBJECT_IDS[0]! }, { _id: 7 }, { _id: Long.fromNumber(5) }, { _id: 0.1 }]) {
      const { plan, pushdown } = await planOf(filter);
      expect(plan, JSON.stringify(filter)).to.match(INDEX_READ).and.not.match(/\bSCAN\b/);
      expect(pushdown).to.equal(true);
    }
  });

  it("{_id: {$in: [168 ids]}} searches the _id index", async function () {
    const ids = Array.from({ length: 168 }, (_, i) => `claim:${i}`);
    const { plan, pushdown } = await planOf({ _id: { $in: ids } });
    expect(plan).to.match(INDEX_READ).and.not.match(/\bSCAN\b/);
    expect(pushdown).to.equal(true);
  });

  it("{_id: {$eq: v}} and _id next to other conditions search the _id index", async function () {
    const filters: Filter[] = [
      { _id: { $eq: "a3" } },
      { _id: "a3", kind: "a" },
      { _id: { $in: ["a1", OBJECT_IDS[1]!] }, n: { $gte: 2 } },
      { _id: { $in: ["a1", "a2"], $nin: ["a2"] }, $or: [{ n: 1 }, { kind: "x" }] },
      { _id: { $in: [Long.fromNumber(5), 7.5, 0, "a1"] } },
    ];
    for (const filter of filters) {
      const { plan } = await planOf(filter);
      expect(plan, JSON.stringify(filter)).to.match(INDEX_READ).and.not.match(/\bSCAN\b/);
    }
  });

  it("filters the index cannot serve still scan (so the plan check tells the two apart)", async function () {
    const filters: Filter[] = [
      { n: 3 },
      { _id: { $gt: "a5" } },
      { _id: { $in: ["a1", /^a/] } },
      { _id: { $in: [7, Long.fromNumber(2 ** 60)] } },
      { _id: new Date(0) },
    ];
    for (const filter of filters) {
      const { plan, pushdown } = await planOf(filter);
      expect(plan, String(Object.values(filter))).to.match(/\bSCAN\b/);
      expect(pushdown).to.equal(false);
    }
  });
});

describe("finding, counting, updating and deleting by _id returns exactly the matching documents", function () {
  let db: TestDatabase;
  let col: mongoose.mongo.Collection<Item>;
  const found = async (filter: Filter) => keys((await col.find(filter).toArray()).map((d) => d._id));

  before(async function () {
    db = await openTestDatabase("ferretidx_results");
    col = db.conn.db!.collection<Item>("items");
  });

  after(async function () {
    await db?.drop();
  });

  beforeEach(async function () {
    await col.deleteMany({});
    await col.insertMany(items());
  });

  it("$in with missing and repeated ids returns each existing document once", async function () {
    expect(await found({ _id: { $in: ["a1", "missing", "a2", "a2", "a1"] } })).to.deep.equal(keys(["a1", "a2"]));
    expect(await found({ _id: { $in: ["nope", new ObjectId()] } })).to.deep.equal([]);
    expect(await found({ _id: { $in: [] } })).to.deep.equal([]);
  });

  it("$in and $eq are AND-ed with the other conditions", async function () {
    const first10 = STRING_IDS.slice(0, 10);
    expect(await found({ _id: { $in: first10 }, n: { $gte: 8 } })).to.deep.equal(keys(["a8", "a9", "a10"]));
    expect(await found({ _id: { $eq: "a3" } })).to.deep.equal(keys(["a3"]));
    expect(await found({ _id: { $eq: "a3" }, kind: "o" })).to.deep.equal([]);
    expect(await found({ _id: "a4", $or: [{ n: 4 }, { kind: "x" }] })).to.deep.equal(keys(["a4"]));
    expect(await found({ _id: "a4", $or: [{ n: 5 }, { kind: "x" }] })).to.deep.equal([]);
    expect(await found({ _id: { $in: ["a1", "a2", "a3"], $nin: ["a2"] } })).to.deep.equal(keys(["a1", "a3"]));
    expect(await found({ _id: { $eq: "a1", $ne: "a1" } })).to.deep.equal([]);
  });

  it("ObjectId ids, alone, in $in and mixed with string ids", async function () {
    const [o0, o1, o2] = OBJECT_IDS;
    expect(await found({ _id: o1! })).to.deep.equal(keys([o1!]));
    expect(await found({ _id: { $in: [o0!, o2!, new ObjectId()] } })).to.deep.equal(keys([o0!, o2!]));
    expect(await found({ _id: { $in: ["a1", o0!] }, kind: "o" })).to.deep.equal(keys([o0!]));
  });

  it("string ids with quotes, backslashes, HTML characters, non-ASCII, U+2028 and the empty string", async function () {
    expect(await found({ _id: { $in: ODD_IDS } })).to.deep.equal(keys(ODD_IDS));
    for (const id of ODD_IDS) expect(await found({ _id: id }), JSON.stringify(id)).to.deep.equal(keys([id]));
    expect(await found({ _id: { $in: ODD_IDS }, n: { $lte: 2 } })).to.deep.equal(keys(ODD_IDS.slice(0, 2)));
  });

  it("numbers match equal numbers of every BSON type, including -0 and 2^53", async function () {
    const cases: [Id, Id][] = [
      [Long.fromNumber(5), 5], [5, 5], [new Double(6), 6], [Long.fromNumber(7), 7], [new Double(7), 7], [7.5, 7.5],
      [0, -0], [new Double(0), -0], [Long.fromNumber(0), -0], [new Double(2 ** 53), 2 ** 53], [1e-7, 1e-7], [0.1, 0.1],
      [Long.fromNumber(-3), -3], [Long.fromNumber(123456789012), 123456789012],
    ];
    for (const [query, expected] of cases) {
      expect(await found({ _id: query }), `${key(query)} (${query.constructor.name})`).to.deep.equal(keys([expected]));
    }
    expect(await found({ _id: { $in: [Long.fromNumber(5), new Double(6), 7, 0, "a1", 999, 7.25] } })).to.deep.equal(
      keys([5, 6, 7, -0, "a1"]),
    );
    expect(await found({ _id: { $in: [5, 6, 7.5] }, n: { $gte: 2 } })).to.deep.equal(keys([6, 7.5]));
  });

  it("$in values the index cannot serve (regexes, dates, numbers beyond 2^53) still match", async function () {
    expect(await found({ _id: { $in: [/^a1/] } })).to.deep.equal(keys(["a1", ...STRING_IDS.slice(9, 19)]));
    expect(await found({ _id: { $in: [new Date(0), 7, Long.fromNumber(2 ** 60)] } })).to.deep.equal(keys([7]));
  });

  it("countDocuments, aggregate $match and findOneAndUpdate apply every condition", async function () {
    expect(await col.countDocuments({ _id: { $in: ["a1", "a2", "a3", "zz"] }, n: { $lt: 3 } })).to.equal(2);
    const [row] = await col.aggregate([{ $match: { _id: { $in: ["a1", "a5", "a9"] }, n: { $gt: 1 } } }, { $count: "c" }]).toArray();
    expect(row?.c).to.equal(2);
    expect(await col.findOneAndUpdate({ _id: "a4", n: 99 }, { $set: { touched: true } })).to.equal(null);
    expect((await col.findOne({ _id: "a4" }))?.touched).to.equal(undefined);
  });

  it("updateMany and deleteMany by $in change only documents meeting the other conditions", async function () {
    const updated = await col.updateMany({ _id: { $in: ["a1", "a2", "a3"] }, n: { $gt: 1 } }, { $set: { touched: true } });
    expect(updated.modifiedCount).to.equal(2);
    expect(await found({ touched: true })).to.deep.equal(keys(["a2", "a3"]));

    const deleted = await col.deleteMany({ _id: { $in: ["a1", "a2", OBJECT_IDS[0]!] }, kind: "a" });
    expect(deleted.deletedCount).to.equal(2);
    expect(await found({ _id: { $in: ["a1", "a2", OBJECT_IDS[0]!] } })).to.deep.equal(keys([OBJECT_IDS[0]!]));
  });

  it("updateOne and deleteOne by _id write the right document, also for ObjectId and odd string ids", async function () {
    for (const id of [OBJECT_IDS[3]!, 'q"uote', "<b>&amp;</b>", "line\u2028sep", ""]) {
      const res = await col.updateOne({ _id: id }, { $set: { n: 1000 } });
      expect(res.modifiedCount, JSON.stringify(id)).to.equal(1);
      expect(await found({ n: 1000 })).to.deep.equal(keys([id]));
      expect((await col.deleteOne({ _id: id })).deletedCount).to.equal(1);
      expect(await found({ _id: id })).to.deep.equal([]);
    }
    expect(await col.countDocuments({})).to.equal(items().length - 5);
  });
});
