// labshare's changes to the vendored FerretDB v1.24.2 source, applied by ferretdb-build.ts before
// `go build`. Why: docs/database.md "Patched FerretDB". Each edit replaces one known snippet and
// must match exactly once, so a changed upstream source fails the build instead of building a
// silently unpatched binary.
import { createHash } from "node:crypto";
import { readFileSync, promises as fs } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

interface Replacement {
  why: string;
  /** Relative to vendor/github.com/FerretDB/FerretDB. */
  file: string;
  from: string;
  to: string;
}

interface AddedFile {
  why: string;
  /** Relative to vendor/github.com/FerretDB/FerretDB. */
  file: string;
  content: string;
}

const SQLITE = "internal/backends/sqlite";
const lines = (...l: string[]) => l.join("\n");

/** The stock `_id` pushdown: only a filter that is exactly {_id: <string|ObjectId>}. */
const stockIdPushdown = (indent: string, extra: string[]) =>
  lines(
    `${indent}// that logic should exist in one place`,
    `${indent}// TODO https://github.com/FerretDB/FerretDB/issues/3235`,
    `${indent}if params.Filter.Len() == 1 {`,
    `${indent}\tv, _ := params.Filter.Get("_id")`,
    `${indent}\tswitch v.(type) {`,
    `${indent}\tcase string, types.ObjectID:`,
    ...extra.map((l) => `${indent}\t\t${l}`),
    `${indent}\t\twhereClause = fmt.Sprintf(\` WHERE %s = ?\`, metadata.IDColumn)`,
    `${indent}\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}`,
    `${indent}\t}`,
    `${indent}}`,
  );

const REPLACEMENTS: Replacement[] = [
  {
    why: "query _id with the unique index's own expression, so SQLite uses the index",
    file: `${SQLITE}/metadata/metadata.go`,
    from: `\tIDColumn = DefaultColumn + "->'$._id'"`,
    to: lines(
      "\t// labshare: identical to the unique index expression built in Registry.indexesCreate",
      "\t// (DefaultColumn->\"_id\"); with '$._id' SQLite never used that index.",
      `\tIDColumn = DefaultColumn + "->\\"_id\\""`,
    ),
  },
  {
    why: "push _id equality and $eq/$in down in queries (find, update, delete, count, aggregate…)",
    file: `${SQLITE}/collection.go`,
    from: stockIdPushdown("\t", []),
    to: "\t// labshare: narrow by the filter's _id condition (labshare_id_pushdown.go)\n" +
      "\twhereClause, args, _ = prepareIDWhereClause(params.Filter)",
  },
  {
    why: "explain reports the same pushdown and SQLite plan as the query",
    file: `${SQLITE}/collection.go`,
    from: stockIdPushdown("\t", ["filterPushdown = true"]),
    to: "\t// labshare: same narrowing as Query (labshare_id_pushdown.go)\n" +
      "\twhereClause, args, filterPushdown = prepareIDWhereClause(params.Filter)",
  },
];

const here = path.dirname(fileURLToPath(import.meta.url));

const ADDED: AddedFile[] = [
  {
    why: "the _id pushdown used by Query and Explain",
    file: `${SQLITE}/labshare_id_pushdown.go`,
    content: readFileSync(path.join(here, "labshare_id_pushdown.go"), "utf8"),
  },
];

/**
 * Identifies this set of patches; written next to the binary so that a binary built without
 * them (or with an older set) is rebuilt.
 */
export const PATCH_ID =
  "labshare-id-index/" +
  createHash("sha256").update(JSON.stringify({ REPLACEMENTS, ADDED })).digest("hex").slice(0, 16);

/** Applies every patch to the freshly vendored module; throws naming the patch that failed. */
export async function applyFerretdbPatches(moduleDir: string, log: (msg: string) => void): Promise<void> {
  for (const r of REPLACEMENTS) {
    const file = path.join(moduleDir, r.file);
    const source = await fs.readFile(file, "utf8");
    const count = source.split(r.from).length - 1;
    if (count !== 1) {
      throw new Error(
        `FerretDB patch "${r.why}" expected its snippet exactly once in ${r.file}, found it ${count} times ` +
          `(the vendored source is not the expected FerretDB version, or the patch was already applied).`,
      );
    }
    await fs.writeFile(file, source.replace(r.from, () => r.to));
    log(`  patch ${r.file}: ${r.why}`);
  }
  for (const a of ADDED) {
    const file = path.join(moduleDir, a.file);
    try {
      await fs.writeFile(file, a.content, { flag: "wx" });
    } catch (err) {
      throw new Error(`FerretDB patch "${a.why}": cannot create ${a.file}: ${(err as Error).message}`);
    }
    log(`  add ${a.file}: ${a.why}`);
  }
}
