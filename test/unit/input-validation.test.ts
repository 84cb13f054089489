// The input checks every request part and socket payload gets from shared/validation.ts, beyond
// what its schema says: finite numbers, no NUL, and date-times that are real instants in 2000–2100.
import { expect } from "chai";
import { Type } from "@sinclair/typebox";
import { compile, hostileInputErrors, isInputDateTime } from "../../shared/validation";

const findings = (data: unknown) => hostileInputErrors(data).map((e) => `${e.instancePath} ${e.keyword}`);

describe("input date-time format", () => {
  it("accepts RFC 3339 instants with a zone in the years 2000–2100", () => {
    for (const ok of ["2026-05-01T09:00:00+08:00", "2026-05-01T01:00:00Z", "2000-01-01T00:00:00Z", "2100-12-31T23:59:59.999999999-12:00", "2028-02-29T12:00:00Z", "2026-05-01t09:00:00z"]) {
      expect(isInputDateTime(ok), ok).to.equal(true);
      expect(Number.isFinite(Date.parse(ok)), `${ok} parses`).to.equal(true);
    }
  });

  it("refuses leap seconds, impossible dates and times, missing zones and years outside 2000–2100", () => {
    for (const bad of [
      "2026-12-31T23:59:60Z", "2016-12-31T23:59:60Z", "2026-06-30T23:59:60+00:00",
      "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
      "2026-05-01T24:00:00Z", "2026-05-01T09:60:00Z", "2026-05-01T09:00:00+24:00", "2026-05-01T09:00:00",
      "2026-05-01 09:00:00Z", "1900-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "2101-01-01T00:00:00Z",
      "2200-01-01T00:00:00Z", "+002026-05-01T09:00:00Z", "2026-05-01", "", "2026-05-01T09:00:00Z\u0000",
    ]) {
      expect(isInputDateTime(bad), bad).to.equal(false);
    }
  });

  it("is the date-time of request schemas, and not of responses (which come from our own data)", () => {
    const schema = Type.Object({ at: Type.String({ format: "date-time" }) });
    expect(compile(schema, "strict")({ at: "2026-12-31T23:59:60Z" })).to.equal(false);
    expect(compile(schema, "coercing")({ at: "1900-01-01T00:00:00Z" })).to.equal(false);
    expect(compile(schema, "response")({ at: "1900-01-01T00:00:00Z" })).to.equal(true);
  });
});

describe("input guards", () => {
  const Query = Type.Object({
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    price: Type.Optional(Type.Number({ minimum: 0 })),
    q: Type.Optional(Type.String()),
  });

  for (const text of ["Infinity", "-Infinity", "1e309", "-1e309"]) {
    it(`refuses ${text} coerced from a query string into an integer or a number (Ajv skips its bounds there)`, () => {
      const validate = compile(Query, "coercing");
      expect(validate({ page: text }), "page").to.equal(false);
      expect(validate.errors!.map((e) => `${e.instancePath} ${e.keyword}`)).to.deep.equal(["/page finite"]);
      expect(validate({ price: text }), "price").to.equal(false);
    });
  }

  it("leaves the text Infinity alone where a string is asked for", () => {
    const query = { q: "Infinity" };
    expect(compile(Query, "coercing")(query)).to.equal(true);
    expect(query.q).to.equal("Infinity");
  });

  it("refuses a non-finite number even where the schema accepts anything", () => {
    const Open = Type.Object({ extra: Type.Unknown() });
    const validate = compile(Open, "strict");
    expect(validate(JSON.parse('{"extra": {"deep": [1, 1e309]}}'))).to.equal(false);
    expect(validate.errors!.map((e) => `${e.instancePath} ${e.keyword}`)).to.deep.equal(["/extra/deep/1 finite"]);
  });

  it("finds NUL in strings and in keys, anywhere, with escaped JSON pointers", () => {
    expect(findings({ a: "x\u0000", b: [{ c: "ok" }, "\u0000"], "d/e~": { "k\u0000": 1 } }).sort()).to.deep.equal(
      ["/a noNul", "/b/1 noNul", "/d~1e~0/k\u0000 noNul"].sort(),
    );
    expect(findings({ a: "x", b: [1, 2.5, -3], c: null, d: true })).to.deep.equal([]);
  });

  it("turns -0 into 0", () => {
    const data = { price: -0, list: [-0, 1] };
    expect(compile(Query, "coercing")({ price: "-0" })).to.equal(true);
    expect(findings(data)).to.deep.equal([]);
    expect(Object.is(data.price, 0)).to.equal(true);
    expect(Object.is(data.list[0], 0)).to.equal(true);
  });

  it("walks a body nested 200,000 deep without overflowing the stack, and reports at most 20 findings", () => {
    let deep: unknown = "\u0000";
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findings(deep)).to.have.length(1);
    expect(hostileInputErrors(Array.from({ length: 10_000 }, () => Infinity))).to.have.length(20);
  });

  it("treats keys such as __proto__ and constructor as plain data", () => {
    const data = JSON.parse('{"__proto__": {"x": "\\u0000"}, "constructor": {"prototype": 1e309}}');
    expect(findings(data).sort()).to.deep.equal(["/__proto__/x noNul", "/constructor/prototype finite"]);
    expect(({} as Record<string, unknown>).x).to.equal(undefined);
  });
});
