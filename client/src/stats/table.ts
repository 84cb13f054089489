// What every dashboard chart can also show as a table and download: named columns of a kind (how
// a value reads on screen and in a file) and rows of plain values. Money stays integer fen until
// shown; a file gets yuan with two decimals, computed without floating point.
export type ColumnKind = "text" | "int" | "fen" | "percent" | "ratio";

export interface StatsColumn {
  key: string;
  label: string;
  kind: ColumnKind;
}

export type StatsRow = Record<string, string | number | null>;

export interface StatsTable {
  columns: StatsColumn[];
  rows: StatsRow[];
}

/** 123450 fen → "1234.50" (for files: no grouping, no currency sign). */
export function fenAsYuan(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** The value as written to a CSV or XLSX cell: numbers stay numbers, null is empty. */
export function fileValue(kind: ColumnKind, value: string | number | null): string | number {
  if (value === null || value === undefined) return "";
  if (kind === "fen") return Number(fenAsYuan(Number(value)));
  return value;
}

function csvCell(kind: ColumnKind, value: string | number | null): string {
  const text = value === null || value === undefined ? "" : kind === "fen" ? fenAsYuan(Number(value)) : kind === "percent" ? Number(value).toFixed(2) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV (CRLF), money in yuan and percents with 2 decimals; a BOM so Excel reads the Chinese right. */
export function toCsv(table: StatsTable): string {
  const header = table.columns.map((c) => csvCell("text", c.label)).join(",");
  const lines = table.rows.map((row) => table.columns.map((c) => csvCell(c.kind, row[c.key] ?? null)).join(","));
  return `\uFEFF${[header, ...lines].join("\r\n")}\r\n`;
}

/** Offers a file to the user (an object URL clicked from a detached link). */
export function saveFile(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadCsv(name: string, table: StatsTable): void {
  saveFile(`${name}.csv`, new Blob([toCsv(table)], { type: "text/csv;charset=utf-8" }));
}

/** XLSX through exceljs, loaded only when someone asks for a workbook (it is ~1 MB). */
export async function downloadXlsx(name: string, sheetName: string, table: StatsTable): Promise<void> {
  const { default: ExcelJS } = await import("exceljs");
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName.slice(0, 31));
  sheet.columns = table.columns.map((c) => ({ header: c.label, key: c.key, width: Math.max(12, c.label.length * 2 + 2) }));
  for (const row of table.rows) sheet.addRow(Object.fromEntries(table.columns.map((c) => [c.key, fileValue(c.kind, row[c.key] ?? null)])));
  table.columns.forEach((c, k) => {
    if (c.kind === "fen") sheet.getColumn(k + 1).numFmt = "#,##0.00";
  });
  sheet.getRow(1).font = { bold: true };
  const buffer = await book.xlsx.writeBuffer();
  saveFile(`${name}.xlsx`, new Blob([buffer], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }));
}
