// The payout file's arithmetic and quoting, pure: yuan from integer fen, totals from lines, CSV cells.
import { expect } from "chai";
import { settlementCsv, yuan } from "../../server/modules/vouchers/settlement-export";
import { totalsOf } from "../../server/modules/vouchers/settlement";
import type { SettlementLine } from "../../shared/schemas/settlements";

describe("the settlement payout file", () => {
  it("writes fen as yuan with two decimals by integer arithmetic", () => {
    expect([0, 5, 99, 100, 123_456, 9_007_199_254_740_99].map(yuan)).to.deep.equal(["0.00", "0.05", "0.99", "1.00", "1234.56", "9007199254740.99"]);
    expect(yuan(-250)).to.equal("-2.50");
  });

  it("adds the lines up by source and kind", () => {
    const line = (kind: SettlementLine["kind"], source: SettlementLine["source"], amountFen: number): SettlementLine =>
      ({ kind, source, amountFen, payeeKind: "enterprise", payeeId: "e", payeeName: "某公司" });
    const totals = totalsOf([line("voucher_subsidy", "province", 600_000), line("voucher_subsidy", "city", 300_000), line("provider_subsidy", "city", 50_000), line("award_match", "city", 7)], 1, 1);
    expect(totals).to.deep.equal({ provinceFen: 600_000, cityFen: 350_007, totalFen: 950_007, voucherSubsidyFen: 900_000, providerSubsidyFen: 50_000, awardMatchFen: 7, claims: 1, awards: 1 });
  });

  it("quotes CSV cells holding commas or quotes and starts with a BOM", () => {
    const lines: SettlementLine[] = [{ kind: "voucher_subsidy", source: "province", amountFen: 1234, payeeKind: "enterprise", payeeId: "e", payeeName: '聊城"精工",轴承', claimId: "c-v-1" }];
    const csv = settlementCsv({ _id: "2031-01", period: "2031-01", lines, totals: totalsOf(lines, 1, 0), createdBy: "u", createdAt: new Date() }).toString("utf8");
    expect(csv.startsWith("\uFEFF序号,")).to.equal(true);
    expect(csv.split("\r\n")[1]).to.equal('1,"聊城""精工"",轴承",企业,,,,12.34,省级资金,创新券补助,c-v-1');
  });
});
