// The field-rule catalogue (shared/field-rules.ts): every rule a service in server/ names has a
// message in Chinese and in English, so no Chinese form shows an English sentence under a field.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { PROJECT_ROOT } from "../../server/config";
import type { ErrorParams } from "../../shared/errors";
import { FIELD_RULES, fieldRuleMessage, isFieldRule, localizeFieldError, type FieldRule } from "../../shared/field-rules";

const CJK = /[\u4e00-\u9fff]/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

const SERVER = path.join(PROJECT_ROOT, "server");
/** Where a rule is not a literal on purpose: Ajv's keyword, and the catalog's field() helper itself. */
const COMPUTED_RULES = new Set(["server/http/validate.ts", "server/modules/catalog/rules.ts"]);

/** Rules named in server/: `rule: "x"` in field-error literals and `field(pointer, "x", …)` calls. */
function rulesUsedInServer(): { rules: Map<string, string[]>; computed: string[] } {
  const rules = new Map<string, string[]>();
  const computed: string[] = [];
  for (const file of sourceFiles(SERVER)) {
    const rel = path.relative(PROJECT_ROOT, file);
    // Whole-line and block comments out, so prose such as "the usual rule: the counts" is not code.
    const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    const literal = [...text.matchAll(/\brule:\s*["'`](\w+)["'`]/g), ...text.matchAll(/\bfield\(\s*(?:`[^`]*`|"[^"]*"|[\w.]+)\s*,\s*["'`](\w+)["'`]/g)];
    for (const m of literal) rules.set(m[1]!, [...(rules.get(m[1]!) ?? []), rel]);
    if (COMPUTED_RULES.has(rel)) continue;
    for (const m of text.matchAll(/\brule:\s*(?!["'`])([^,}\s]+)/g)) computed.push(`${rel}: rule: ${m[1]}`);
  }
  return { rules, computed };
}

const SAMPLE_PARAMS = {
  priceUnit: "hour", options: "instrumentId, packageId", allowed: "enterprise_member, enterprise_admin", limit: 120,
  start: "08:00", days: 31, value: "Mars/Base", range: "08:00–12:00", slotMinutes: 30, max: 100,
};

describe("field-rule catalogue", () => {
  it("finds the rules services use (the scan itself works)", () => {
    const { rules } = rulesUsedInServer();
    for (const rule of ["afterStart", "maxRange", "required", "oneOf", "notApplicable", "pattern", "overlap", "checksum"]) {
      expect([...rules.keys()], rule).to.include(rule);
    }
  });

  it("has an entry for every rule a ValidationError in server/ names", () => {
    const { rules } = rulesUsedInServer();
    const missing = [...rules].filter(([rule]) => !isFieldRule(rule)).map(([rule, files]) => `${rule} (${[...new Set(files)].join(", ")})`);
    expect(missing, "add these rules to FIELD_RULES in shared/field-rules.ts, in zh and en").to.deep.equal([]);
  });

  it("finds no field error whose rule is computed, so the scan sees every rule", () => {
    expect(rulesUsedInServer().computed).to.deep.equal([]);
  });

  for (const rule of Object.keys(FIELD_RULES) as FieldRule[]) {
    it(`renders ${rule} in Chinese and English, with and without its params`, () => {
      const variants: ErrorParams[] = [{}, SAMPLE_PARAMS, { ...SAMPLE_PARAMS, priceUnit: "sample", expected: "notBlank" }, { expected: "visibleAscii", max: 100 }];
      for (const params of variants) {
        const zh = fieldRuleMessage(rule, "zh-CN", params);
        const en = fieldRuleMessage(rule, "en", params);
        const context = `${rule} ${JSON.stringify(params)}`;
        expect(zh, context).to.match(CJK);
        expect(en, context).to.be.a("string").and.not.equal("");
        expect(en, context).to.not.match(CJK);
        for (const text of [zh, en]) expect(text, context).to.not.match(/\{\w+\}|undefined|null|NaN/);
      }
    });
  }

  it("puts the params into the message", () => {
    expect(fieldRuleMessage("maxRange", "zh-CN", { days: 31 })).to.equal("结束时间距开始最多 31 天");
    expect(fieldRuleMessage("maxRange", "en", { days: 31 })).to.equal("must be at most 31 days after the start");
    expect(fieldRuleMessage("required", "zh-CN", { priceUnit: "sample" })).to.equal("该仪器按样品数计价，须填写此项");
    expect(fieldRuleMessage("overlap", "en", { range: "08:00–12:00" })).to.include("08:00–12:00");
  });

  it("localizes a service's field error and drops its params from what clients see", () => {
    const fromService = { field: "/query/to", rule: "maxRange", message: "at most 31 days after from", params: { days: 31 } };
    expect(localizeFieldError(fromService, "zh-CN")).to.deep.equal({ field: "/query/to", rule: "maxRange", message: "结束时间距开始最多 31 天" });
    const unknown = { field: "/body/x", rule: "notInCatalogue", message: "developer text" };
    expect(localizeFieldError(unknown, "zh-CN")).to.deep.equal(unknown);
  });

  it("is not fooled by rules named like Object.prototype members", () => {
    expect(isFieldRule("toString")).to.equal(false);
    expect(isFieldRule("constructor")).to.equal(false);
  });
});
