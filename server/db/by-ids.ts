// Reads documents by `_id` in `$in` batches: the labshare FerretDB build answers `_id $in` from the
// index (docs/database.md), and bounded batches keep each query's SQL and Go-side filter small.
import type { Model } from "mongoose";

/** Ids per `$in` query. */
export const ID_CHUNK = 1000;

export function chunks<T>(items: readonly T[], size = ID_CHUNK): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, k) => items.slice(k * size, (k + 1) * size));
}

/** The documents among `ids` that exist (in no particular order), read `ID_CHUNK` ids at a time, in parallel. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function findByIds<D extends { _id: string }>(model: Model<any>, ids: readonly string[], projection?: Record<string, 0 | 1>): Promise<D[]> {
  const found = await Promise.all(chunks(ids).map((chunk) => model.find({ _id: { $in: chunk } }, projection).lean<D[]>()));
  return found.flat();
}

/**
 * Deletes every document matching `filter`: their ids are read in one query, then deleted
 * `ID_CHUNK` at a time by `_id $in`. A plain `deleteMany` that matches more than ~32,000 documents
 * fails on the embedded FerretDB ("too many SQL variables": it deletes the matches by a list of ids
 * in one SQL statement), e.g. a sweep's first run over a year of past claims.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function deleteMatching(model: Model<any>, filter: Record<string, unknown>): Promise<number> {
  const ids = (await model.find(filter, { _id: 1 }).lean<{ _id: string }[]>()).map((d) => d._id);
  let deleted = 0;
  for (const chunk of chunks(ids)) deleted += (await model.deleteMany({ _id: { $in: chunk } })).deletedCount;
  return deleted;
}
