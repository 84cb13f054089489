// The payout file the finance office needs (兑付明细): one row per line — payee, bank fields when
// known, amount in yuan with two decimals, funding source — and a total row. Chinese headers:
// the file goes to the city's finance office. CSV is UTF-8 with a BOM (Excel opens it correctly).
import ExcelJS from "exceljs";
import type { SettlementLine } from "../../../shared/schemas/settlements";
import type { SettlementDoc } from "./claim-model";

export const EXPORT_HEADERS = ["序号", "收款方", "收款方类型", "开户银行", "户名", "银行账号", "金额（元）", "资金来源", "类别", "申请/奖励编号"] as const;
const PAYEE_KIND = { enterprise: "企业", provider: "服务机构" } as const;
const SOURCE = { province: "省级资金", city: "市级资金" } as const;
const KIND = { voucher_subsidy: "创新券补助", provider_subsidy: "服务机构补助", award_match: "绩效奖励市级配套" } as const;

/** Fen as yuan with two decimals, by integer arithmetic (never a float on the way). */
export const yuan = (fen: number) => `${fen < 0 ? "-" : ""}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, "0")}`;

function row(l: SettlementLine, k: number): (string | number)[] {
  return [k + 1, l.payeeName, PAYEE_KIND[l.payeeKind], l.bank?.bankName ?? "", l.bank?.accountName ?? "", l.bank?.accountNo ?? "", yuan(l.amountFen), SOURCE[l.source], KIND[l.kind], l.claimId ?? l.awardId ?? ""];
}

export function settlementCsv(s: SettlementDoc): Buffer {
  const cell = (v: string | number) => {
    const t = String(v);
    return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  const rows = [[...EXPORT_HEADERS], ...s.lines.map(row), ["合计", "", "", "", "", "", yuan(s.totals.totalFen), "", "", ""]];
  return Buffer.from("\uFEFF" + rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n", "utf8");
}

export async function settlementXlsx(s: SettlementDoc): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(`兑付 ${s.period}`);
  ws.addRow([...EXPORT_HEADERS]).font = { bold: true };
  // The amount as a number (the office sums it) shown with two decimals; fen/100 is exact to the fen.
  for (const [k, l] of s.lines.entries()) ws.addRow(row(l, k).map((v, i) => (i === 6 ? l.amountFen / 100 : v)));
  ws.addRow(["合计", "", "", "", "", "", s.totals.totalFen / 100]).font = { bold: true };
  ws.getColumn(7).numFmt = "0.00";
  ws.columns.forEach((c, i) => (c.width = [6, 30, 10, 20, 20, 24, 14, 10, 16, 28][i]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
