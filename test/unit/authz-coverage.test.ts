// The authorization matrix's completeness check (test/support/authz-coverage.ts): an operation the
// OpenAPI document gains without a matrix row must fail the matrix, and say which row to add.
import { expect } from "chai";
import { coverageProblems, operationsOf } from "../support/authz-coverage";

const CALLERS = ["anonymous", "member", "otherOrg"];
const FILE = "authorization.test.ts";
const doc = {
  paths: {
    "/api/health": { get: {} },
    "/api/bookings": { get: {}, post: {} },
    "/api/bookings/{id}/cancel": { post: {}, parameters: [] },
  },
};
const rows = [
  { route: "GET /api/health", expected: [200, 200, 200] },
  { route: "GET /api/bookings", expected: [401, 200, 200] },
  { route: "POST /api/bookings", expected: [401, 201, 403] },
  { route: "POST /api/bookings/:id/cancel", expected: [401, 200, 404] },
];

describe("authorization matrix coverage", () => {
  it("reads every operation of an OpenAPI document as METHOD and route path, ignoring path-level keys", () => {
    expect(operationsOf(doc)).to.deep.equal(["GET /api/health", "GET /api/bookings", "POST /api/bookings", "POST /api/bookings/:id/cancel"]);
  });

  it("finds nothing wrong when each operation has exactly one row with one status per caller", () => {
    expect(coverageProblems(operationsOf(doc), rows, CALLERS, FILE)).to.deep.equal([]);
  });

  it("reports an operation without a row, naming the row to add and the file", () => {
    const extra = { paths: { ...doc.paths, "/api/stats/live/{county}": { get: {} } } };
    const problems = coverageProblems(operationsOf(extra), rows, CALLERS, FILE);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.contain('no row for "GET /api/stats/live/:county"').and.contain(FILE).and.contain("[anonymous, member, otherOrg]");
  });

  it("reports a row whose operation is not in the document", () => {
    const problems = coverageProblems(operationsOf(doc), [...rows, { route: "DELETE /api/bookings/:id", expected: [401, 403, 403] }], CALLERS, FILE);
    expect(problems).to.deep.equal([`row "DELETE /api/bookings/:id" in ${FILE} names no operation of GET /api/openapi.json: remove it or fix its "METHOD /path/:param"`]);
  });

  it("reports a row without one expected status per caller", () => {
    const short = rows.map((r) => (r.route === "GET /api/health" ? { ...r, expected: [200, 200] } : r));
    expect(coverageProblems(operationsOf(doc), short, CALLERS, FILE)).to.deep.equal([
      'row "GET /api/health" has 2 expected statuses, not one per caller [anonymous, member, otherOrg]',
    ]);
  });
});
