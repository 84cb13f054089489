import { expect } from "chai";
import { itemListPriceFen } from "../../shared/money";

describe("an item's list price in fen", () => {
  it("is price × samples per sample", () => {
    expect(itemListPriceFen(28000, "sample", { samples: 3 })).to.equal(84000);
  });

  it("is price × minutes / 60 per hour, rounded half up to a whole fen", () => {
    expect(itemListPriceFen(40000, "hour", { minutes: 960 })).to.equal(640000);
    expect(itemListPriceFen(1, "hour", { minutes: 30 })).to.equal(1); // 0.5 fen → 1
    expect(itemListPriceFen(1, "hour", { minutes: 29 })).to.equal(0); // 0.483 fen → 0
    expect(itemListPriceFen(100, "hour", { minutes: 7 })).to.equal(12); // 11.67 → 12
  });
});
