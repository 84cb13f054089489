import { expect } from "chai";
import { creditCodeCheckChar, isValidCreditCode } from "../../shared/credit-code";
import { errorMessage, ERRORS } from "../../shared/errors";
import { COUNTIES } from "../../shared/enums";

describe("unified social credit code", () => {
  it("accepts published valid codes", () => {
    for (const code of ["91350100M000100Y43", "91110108551385082Q", "12100000400010398P"]) {
      expect(isValidCreditCode(code), code).to.equal(true);
    }
  });

  it("rejects a wrong check character, a letter outside the alphabet, and a wrong length", () => {
    expect(isValidCreditCode("91350100M000100Y44")).to.equal(false);
    expect(isValidCreditCode("91350100M000100I43")).to.equal(false); // I is not in the alphabet
    expect(isValidCreditCode("91350100M000100Y4")).to.equal(false);
    expect(isValidCreditCode("91350100m000100y43")).to.equal(false);
  });

  it("computes the check character that makes a code valid", () => {
    const body = "91371500MA3C7K2P1";
    expect(isValidCreditCode(body + creditCodeCheckChar(body))).to.equal(true);
  });
});

describe("error catalogue", () => {
  it("has a status, Chinese and English text for every code", () => {
    for (const [code, e] of Object.entries(ERRORS)) {
      expect(code).to.match(/^[A-Z][A-Z_]+$/);
      expect(e.status).to.be.within(400, 599);
      expect(e.zh).to.match(/[\u4e00-\u9fff]/, code);
      expect(e.en).to.match(/[a-z]/, code);
    }
  });

  it("fills placeholders per language", () => {
    expect(errorMessage("RATE_LIMITED", "en", { retryAfter: 30 })).to.equal("Too many attempts; try again in 30 s");
    expect(errorMessage("RATE_LIMITED", "zh-CN", { retryAfter: 30 })).to.include("30 秒");
  });
});

describe("counties", () => {
  it("lists the 11 county-level units of DESIGN.md with unique codes", () => {
    expect(COUNTIES).to.have.length(11);
    expect(new Set(COUNTIES.map((c) => c.code)).size).to.equal(11);
    expect(COUNTIES.map((c) => c.zh)).to.include.members(["东昌府区", "临清市", "江北水城旅游度假区"]);
  });
});
