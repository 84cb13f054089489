// Money is integer fen (分) everywhere; yuan exist only on screen and in form inputs.
import type { PriceUnit } from "./enums";

/**
 * What one item costs booked on its own, in whole fen: per sample, price × samples; per hour,
 * price × minutes / 60 rounded half up (at 0.5 fen and above to the next fen). Each item is rounded
 * on its own, as it would be billed; a package's list price is the sum of its rounded items. The
 * server's prices and the client's previews both come from here.
 */
export function itemListPriceFen(priceFen: number, unit: PriceUnit, amount: { minutes?: number; samples?: number }): number {
  if (unit === "sample") return priceFen * (amount.samples ?? 0);
  return Math.floor((priceFen * (amount.minutes ?? 0) + 30) / 60);
}
