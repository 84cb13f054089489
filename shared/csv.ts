// CSV as spreadsheets open it: UTF-8 with a BOM, CRLF, RFC 4180 quoting. A text cell that starts
// like a formula (= + - @, tab, CR) gets a leading apostrophe so a spreadsheet shows it instead of
// evaluating it (CSV injection); numbers are written as they are.
export type CsvCell = string | number | boolean | null | undefined;

function cell(v: CsvCell): string {
  if (v === null || v === undefined) return "";
  if (typeof v !== "string") return String(v);
  const t = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

export function toCsv(headers: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return "\uFEFF" + [headers, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}
