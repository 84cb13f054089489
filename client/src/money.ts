// Money is integer fen (分) everywhere; yuan exist only on screen and in form inputs.

const GROUPED = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 123450 → "¥1,234.50" (integer arithmetic: no float rounding in what the user reads). */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(fen));
  const cents = String(abs % 100).padStart(2, "0");
  return `${sign}¥${GROUPED.format(Math.floor(abs / 100))}.${cents}`;
}

/** A yuan amount typed in a form (at most 2 decimals) → integer fen. */
export function yuanToFen(yuan: number): number {
  return Math.round(yuan * 100);
}

/** Integer fen → yuan, only to prefill a form input. */
export function fenToYuan(fen: number): number {
  return fen / 100;
}


/** Savings as a whole percentage of the list price (0 when there is no list price). */
export function savingsPercent(listPriceFen: number, priceFen: number): number {
  return listPriceFen > 0 ? Math.round(((listPriceFen - priceFen) * 100) / listPriceFen) : 0;
}
