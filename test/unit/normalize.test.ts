import { expect } from "chai";
import { cleanName, nameKey } from "../../shared/normalize";

describe("name normalization for uniqueness", () => {
  it("removes zero-width and other format characters (U+200B, U+200D, U+FEFF, U+00AD, U+202E)", () => {
    const plain = "聊城大学分析测试中心";
    for (const cf of ["\u200b", "\u200d", "\ufeff", "\u00ad", "\u202e", "\u2060"]) {
      const spiked = `聊城${cf}大学分析${cf}测试中心`;
      expect(nameKey(spiked), JSON.stringify(cf)).to.equal(nameKey(plain));
      expect(cleanName(spiked)).to.equal(plain);
    }
  });

  it("folds full-width letters, digits and spaces (NFKC) and case", () => {
    expect(nameKey("ＡＢＣ检测　中心１")).to.equal(nameKey("abc检测中心1"));
    expect(nameKey("Liaocheng LAB")).to.equal(nameKey("liaocheng lab"));
  });

  it("keeps full-width punctuation in the displayed name, but not in the key", () => {
    expect(cleanName("聊城（山东）轴承有限公司")).to.equal("聊城（山东）轴承有限公司");
    expect(nameKey("聊城（山东）轴承有限公司")).to.equal(nameKey("聊城(山东)轴承有限公司"));
  });

  it("collapses and trims whitespace for display, and ignores it in the key", () => {
    expect(cleanName("  鲁西  质检\t中心\u3000\n")).to.equal("鲁西 质检 中心");
    expect(nameKey("鲁西 质检 中心")).to.equal(nameKey("鲁西质检中心"));
  });

  it("keeps names that differ in letters apart", () => {
    expect(nameKey("聊城市计量测试所")).to.not.equal(nameKey("聊城市计量检测所"));
  });

  it("leaves nothing of a name made only of format characters and spaces", () => {
    expect(nameKey("\u200b \u200b")).to.equal("");
  });
});
