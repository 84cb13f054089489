// What a booking shows of its voucher, asked through a port that the vouchers module implements and
// app.ts injects: scheduling never imports vouchers (STYLE.md "The house today").
import type { BookingSubsidy } from "../../../shared/schemas/vouchers";
import type { Booking } from "../../../shared/schemas/scheduling";

export interface SubsidyPort {
  /** The voucher's split once issued, else the expected split; undefined without useVoucher. */
  subsidyFor(booking: Booking): Promise<BookingSubsidy | undefined>;
}

/** The booking with its subsidy when it asked for a voucher; a port failure leaves the booking as it is. */
export async function withSubsidy(port: SubsidyPort | null, booking: Booking): Promise<Booking> {
  if (!port || !booking.useVoucher) return booking;
  const subsidy = await port.subsidyFor(booking).catch(() => undefined);
  return subsidy ? { ...booking, subsidy } : booking;
}
