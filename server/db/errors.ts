// Driver errors the rest of the code needs to recognise, by class, label or code (never by message).
// Duplicate-key (E11000): the loser of an exclusive-decision insert gets this error. It can
// arrive as a MongoServerError, a MongoBulkWriteError (insertMany) or a mongoose wrapper, on
// MongoDB and on FerretDB alike.
import mongoose from "mongoose";

const DUP_CODES = new Set([11000, 11001]);

interface MaybeMongoError {
  code?: unknown;
  keyValue?: unknown;
  writeErrors?: unknown;
  err?: unknown;
  cause?: unknown;
  errmsg?: unknown;
  reason?: unknown;
  errorResponse?: unknown;
}

function candidates(err: unknown): MaybeMongoError[] {
  const out: MaybeMongoError[] = [];
  const visit = (e: unknown, depth: number) => {
    if (!e || typeof e !== "object" || depth > 3) return;
    const m = e as MaybeMongoError;
    out.push(m);
    // Bulk write errors: each WriteError has .code, and the raw server error under .err.
    if (Array.isArray(m.writeErrors)) for (const w of m.writeErrors) visit(w, depth + 1);
    visit(m.err, depth + 1);
    visit(m.cause, depth + 1);
    visit(m.reason, depth + 1);
    // A bulk write (insertMany) cut off by a broken connection: the network error is its errorResponse.
    visit(m.errorResponse, depth + 1);
  };
  visit(err, 0);
  return out;
}

export function isDuplicateKeyError(err: unknown): boolean {
  return candidates(err).some((e) => typeof e.code === "number" && DUP_CODES.has(e.code));
}

/** The duplicated key (e.g. `{ _id: "x" }`) when the server reports it; MongoDB does, FerretDB does not. */
export function duplicateKeyOf(err: unknown): Record<string, unknown> | undefined {
  for (const e of candidates(err)) {
    if (typeof e.code === "number" && DUP_CODES.has(e.code) && e.keyValue && typeof e.keyValue === "object") {
      return e.keyValue as Record<string, unknown>;
    }
  }
  return undefined;
}

const { mongo } = mongoose;
// Raised when the server cannot be reached or the connection broke: the pool was cleared
// (PoolClearedError is a MongoNetworkError), server selection timed out, the client is closed.
const UNREACHABLE_CLASSES = [
  mongo.MongoNetworkError,
  mongo.MongoServerSelectionError,
  mongo.MongoNotConnectedError,
  mongo.MongoTopologyClosedError,
  mongo.MongoClientClosedError,
  mongoose.Error.MongooseServerSelectionError,
];
// Server answers that mean "not now" rather than "no": shutting down, not primary (any more),
// recovering, host unreachable. From the server's error_codes.yml.
const UNAVAILABLE_CODES = new Set([6, 7, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436]);

// Node's own socket errors that reach us unwrapped: the driver writing a command on a connection the
// database closed (it died) throws EPIPE from `socket.write`, not a MongoNetworkError.
const SOCKET_CODES = new Set(["EPIPE", "ECONNRESET"]);

/** True for errors that say the database is unreachable or restarting (→ 503, retry later). */
export function isDatabaseUnavailableError(err: unknown): boolean {
  return candidates(err).some(
    (e) =>
      UNREACHABLE_CLASSES.some((cls) => e instanceof cls) ||
      (e instanceof Error && typeof (e as MaybeMongoError).code === "string" && SOCKET_CODES.has((e as MaybeMongoError).code as string)) ||
      (e instanceof mongo.MongoError && e.hasErrorLabel(mongo.MongoErrorLabel.ResetPool)) ||
      (e instanceof mongo.MongoServerError && typeof e.code === "number" && UNAVAILABLE_CODES.has(e.code)),
  );
}
