// What the utilization and live view read from the modules below (wired in app.ts): instruments from
// the catalog's in-memory index, maintenance windows, bookings by the slots they held and by id,
// today's booking numbers and vouchers by booking. All by `_id` except the maintenance windows.
import type { Instrument } from "../../../shared/schemas/catalog";
import type { BookingDoc } from "../scheduling/model";
import type { VoucherDoc } from "../vouchers/model";

export interface UsageReads {
  instruments(): Promise<Instrument[]>;
  blackouts(instrumentIds: readonly string[], start: Date, end: Date): Promise<Map<string, { start: Date; end: Date }[]>>;
  /** Per instrument, every booking that held one of its slots (claims by `_id`, all instruments at once). */
  slotHolders(wanted: readonly { instrumentId: string; starts: readonly number[]; capacity: number }[]): Promise<Map<string, Set<string>>>;
  bookings(ids: readonly string[]): Promise<BookingDoc[]>;
  numbersOfDay(day: string, after: number): Promise<{ n: number; bookingId: string }[]>;
  vouchersOfBookings(bookingIds: readonly string[]): Promise<Pick<VoucherDoc, "_id" | "bookingId" | "providerId" | "faceValueFen" | "status" | "issuedAt">[]>;
}
