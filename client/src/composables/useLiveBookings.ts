// Keeps a list of bookings on screen current: a booking that changed state is fetched again by id
// and replaced in place (the event carries ids only); one that is new to this list, or that left the
// list's filter (a confirmed request under "pending"), reloads it. `concerns` says whether an event
// is about this viewer at all.
import type { Ref } from "vue";
import type { BookingChanged } from "@shared/events";
import type { Booking } from "@shared/schemas/scheduling";
import { bookingApi } from "../api/scheduling";
import { onServerEvent } from "../realtime/socket";

interface LiveBookingsOptions {
  concerns(event: BookingChanged): boolean;
  reload(): void;
  /** Whether the list's filter shows this booking (all, when left out). */
  shows?(booking: Booking): boolean;
  /** After the list was brought up to date for an event. */
  changed?(event: BookingChanged, kind: "created" | "updated", booking: Booking | null): void;
}

export function useLiveBookings(rows: Ref<Booking[]>, options: LiveBookingsOptions) {
  async function refresh(event: BookingChanged, kind: "created" | "updated") {
    if (!options.concerns(event)) return;
    const index = rows.value.findIndex((row) => row.id === event.bookingId);
    let booking: Booking | null = null;
    if (index >= 0) {
      booking = await bookingApi.get(event.bookingId).catch(() => null);
      const at = rows.value.findIndex((row) => row.id === event.bookingId); // the list may have moved on
      if (booking && at >= 0) {
        if (options.shows?.(booking) === false) options.reload();
        else rows.value.splice(at, 1, booking);
      }
    } else {
      options.reload();
    }
    options.changed?.(event, kind, booking);
  }
  onServerEvent("booking:created", (event) => void refresh(event, "created"));
  onServerEvent("booking:updated", (event) => void refresh(event, "updated"));
}
