import { expect } from "chai";
import { percentOfFen, providerSubsidyFen, splitSubsidy } from "../../shared/voucher-split";

const YUAN = 100;

describe("the voucher split (shared/voucher-split.ts)", () => {
  it("splits a 10,000-yuan service of a local provider into province 6,000, city 3,000, enterprise 1,000, provider subsidy 500", () => {
    const amount = 10_000 * YUAN;
    expect(splitSubsidy(amount, { provinceBp: 6000, cityBp: 3000 })).to.deep.equal({ provinceFen: 6000 * YUAN, cityFen: 3000 * YUAN, enterpriseFen: 1000 * YUAN });
    expect(providerSubsidyFen(amount, 500)).to.equal(500 * YUAN);
  });

  it("gives 60% + 0% for a provider outside the city: the enterprise pays 40%", () => {
    expect(splitSubsidy(10_000 * YUAN, { provinceBp: 6000, cityBp: 0 })).to.deep.equal({ provinceFen: 6000 * YUAN, cityFen: 0, enterpriseFen: 4000 * YUAN });
  });

  it("rounds half up to the fen, province first, city = total − province", () => {
    expect(percentOfFen(5, 6000)).to.equal(3); // 3.0
    expect(percentOfFen(1, 5000)).to.equal(1); // 0.5 → 1
    expect(splitSubsidy(1, { provinceBp: 6000, cityBp: 3000 })).to.deep.equal({ provinceFen: 1, cityFen: 0, enterpriseFen: 0 }); // total 0.9 → 1, province 0.6 → 1
    expect(splitSubsidy(7, { provinceBp: 6000, cityBp: 3000 })).to.deep.equal({ provinceFen: 4, cityFen: 2, enterpriseFen: 1 }); // 6.3 → 6, 4.2 → 4
  });

  it("shares a capped subsidy in the rates' proportion and never goes above the cap", () => {
    expect(splitSubsidy(1_000_000, { provinceBp: 6000, cityBp: 3000 }, 90_000)).to.deep.equal({ provinceFen: 60_000, cityFen: 30_000, enterpriseFen: 910_000 });
    expect(splitSubsidy(1_000_000, { provinceBp: 6000, cityBp: 3000 }, 0)).to.deep.equal({ provinceFen: 0, cityFen: 0, enterpriseFen: 1_000_000 });
  });

  it("always adds the parts up to the amount, with no negative part, over 20,000 random amounts, rates and caps", () => {
    let seed = 42;
    // The high bits of the LCG: its low bits repeat with a short period.
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
    for (let i = 0; i < 20_000; i++) {
      const amount = rnd(4) === 0 ? rnd(100) : rnd(2_000_000_000);
      const provinceBp = rnd(10_001);
      const cityBp = rnd(10_001 - provinceBp);
      const cap = rnd(3) === 0 ? Infinity : rnd(amount + 1);
      const s = splitSubsidy(amount, { provinceBp, cityBp }, cap);
      const context = JSON.stringify({ amount, provinceBp, cityBp, cap, s });
      expect(s.provinceFen + s.cityFen + s.enterpriseFen, context).to.equal(amount);
      expect(Math.min(s.provinceFen, s.cityFen, s.enterpriseFen), context).to.be.at.least(0);
      expect(s.provinceFen + s.cityFen, context).to.be.at.most(cap);
      if (cap === Infinity) expect(s.provinceFen, context).to.equal(percentOfFen(amount, provinceBp));
      for (const part of Object.values(s)) expect(Number.isInteger(part), context).to.equal(true);
    }
  });
});
