// Driver errors that mean "the database is unreachable right now" become 503 DB_UNAVAILABLE:
// recognised by class, label and server code, never by message text.
import { createRequire } from "node:module";
import { expect } from "chai";
import mongoose from "mongoose";
import { isDatabaseUnavailableError, isDuplicateKeyError } from "../../server/db/errors";

const { mongo } = mongoose;
// Not exported by the driver's index; the class the pool throws after a connection broke.
const { PoolClearedError } = createRequire(import.meta.url)("mongodb/lib/cmap/errors.js") as {
  PoolClearedError: new (pool: { address: string; serverError?: Error }) => Error;
};

// What the driver attaches to a selection timeout: the topology it saw.
const topologyWithoutServer = { servers: new Map() } as unknown as ConstructorParameters<typeof mongo.MongoServerSelectionError>[1];

describe("recognising an unavailable database", () => {
  const unavailable: [string, unknown][] = [
    ["a PoolClearedError", new PoolClearedError({ address: "127.0.0.1:1", serverError: new mongo.MongoNetworkError("x") })],
    ["a MongoNetworkError", new mongo.MongoNetworkError("connect ECONNREFUSED")],
    ["a MongoNetworkTimeoutError", new mongo.MongoNetworkTimeoutError("timed out")],
    ["a MongoServerSelectionError", new mongo.MongoServerSelectionError("Server selection timed out after 1500 ms", topologyWithoutServer)],
    ["a MongoNotConnectedError", new mongo.MongoNotConnectedError("Client must be connected")],
    ["a MongoTopologyClosedError", new mongo.MongoTopologyClosedError()],
    ["a mongoose MongooseServerSelectionError", new mongoose.Error.MongooseServerSelectionError("no server")],
    ["a server error 91 ShutdownInProgress", new mongo.MongoServerError({ code: 91, errmsg: "shutting down" })],
    ["a server error 10107 NotWritablePrimary", new mongo.MongoServerError({ code: 10107, errmsg: "not primary" })],
    ["a server error labelled ResetPool", new mongo.MongoServerError({ code: 1, errmsg: "x", errorLabels: ["ResetPool"] })],
    ["a network error wrapped as the cause of another error", new Error("query failed", { cause: new mongo.MongoNetworkError("reset") })],
    // What socket.write throws when the database closed the connection (seen in `npm run chaos`).
    ["Node's EPIPE from writing to a connection the database ended", Object.assign(new Error("This socket has been ended by the other party"), { code: "EPIPE" })],
    ["Node's ECONNRESET", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })],
    // insertMany's MongoBulkWriteError when the connection closed mid-write (seen in `npm run chaos`).
    ["a bulk write error whose errorResponse is a network error", Object.assign(new Error("connection 27 closed"), { errorResponse: new mongo.MongoNetworkError("connection 27 closed") })],
  ];
  for (const [what, err] of unavailable) {
    it(`treats ${what} as unavailable`, () => {
      expect(isDatabaseUnavailableError(err)).to.equal(true);
    });
  }

  const other: [string, unknown][] = [
    ["a duplicate key error", new mongo.MongoServerError({ code: 11000, errmsg: "E11000 duplicate key" })],
    ["a plain Error whose message mentions the network", new Error("MongoNetworkError: connect ECONNREFUSED")],
    ["an object named like a driver error", { name: "MongoNetworkError", message: "fake" }],
    ["a validation error", new mongoose.Error.ValidationError()],
    ["undefined", undefined],
  ];
  for (const [what, err] of other) {
    it(`does not treat ${what} as unavailable`, () => {
      expect(isDatabaseUnavailableError(err)).to.equal(false);
    });
  }

  it("keeps duplicate keys and unavailability apart", () => {
    expect(isDuplicateKeyError(new mongo.MongoNetworkError("x"))).to.equal(false);
  });
});
