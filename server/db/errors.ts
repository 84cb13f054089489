// Duplicate-key (E11000) detection: the loser of an exclusive-decision insert gets this error.
// It can arrive as a MongoServerError, a MongoBulkWriteError (insertMany) or a mongoose
// wrapper, on MongoDB and on FerretDB alike.

const DUP_CODES = new Set([11000, 11001]);

interface MaybeMongoError {
  code?: unknown;
  keyValue?: unknown;
  writeErrors?: unknown;
  err?: unknown;
  cause?: unknown;
  errmsg?: unknown;
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
