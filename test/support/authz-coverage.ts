// Whether the authorization matrix covers the API exactly: every operation of the served OpenAPI
// document has a row, and every row names an operation that exists. Pure, so a unit test can feed it
// a document with an operation too many and see it reported.

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** The part of an OpenAPI document read here. */
export interface OpenApiPaths {
  paths?: Record<string, Partial<Record<string, unknown>>>;
}

/** OpenAPI `/a/{id}` → the route spec's `/a/:id`, which is how matrix rows name routes. */
export const expressPath = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ":$1");

/** Every operation of the document as "METHOD /path/:param", in document order. */
export function operationsOf(doc: OpenApiPaths): string[] {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => item?.[m] !== undefined).map((m) => `${m.toUpperCase()} ${expressPath(path)}`),
  );
}

export interface CoverageRow {
  route: string;
  expected: readonly unknown[];
}

/**
 * What is wrong with the matrix, one sentence per problem naming the row to add or remove (empty
 * when it covers the document exactly and every row has one expectation per caller).
 */
export function coverageProblems(operations: string[], rows: readonly CoverageRow[], callers: readonly string[], file: string): string[] {
  const ops = new Set(operations);
  const routes = new Set(rows.map((r) => r.route));
  const columns = `[${callers.join(", ")}]`;
  return [
    ...operations
      .filter((op) => !routes.has(op))
      .map((op) => `no row for "${op}", an operation of GET /api/openapi.json: add { route: "${op}", call: …, expected: ${columns} } to MATRIX in ${file}`),
    ...[...routes]
      .filter((route) => !ops.has(route))
      .map((route) => `row "${route}" in ${file} names no operation of GET /api/openapi.json: remove it or fix its "METHOD /path/:param"`),
    ...rows
      .filter((r) => r.expected.length !== callers.length)
      .map((r) => `row "${r.route}" has ${r.expected.length} expected statuses, not one per caller ${columns}`),
  ];
}
