// Sending a booking request and keeping its outcome (for BookingOutcome). Each attempt carries an
// idempotency key: after no answer (or a server fault) the attempt may have landed, so a retry
// reuses its key; a refusal, a success or a changed request (`newAttempt`) starts a new one.
import { ref } from "vue";
import type { Booking, BookingCreateBody } from "@shared/schemas/scheduling";
import { ApiError } from "../api/http";
import { bookingApi, newIdempotencyKey } from "../api/scheduling";

export function useBookingRequest() {
  const submitting = ref(false);
  const failure = ref<{ code: string; message: string } | null>(null);
  const booked = ref<Booking | null>(null);
  let attemptKey: string | null = null;

  function newAttempt() {
    attemptKey = null;
  }

  /** The booking made, or null when refused (`refused` hears the error code). */
  async function send(body: BookingCreateBody, refused?: (code: string) => void): Promise<Booking | null> {
    attemptKey ??= newIdempotencyKey();
    submitting.value = true;
    failure.value = null;
    booked.value = null;
    try {
      booked.value = await bookingApi.create(body, attemptKey);
      attemptKey = null;
      return booked.value;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      failure.value = { code: e.code, message: e.message };
      if (e.status !== 0 && e.status < 500) attemptKey = null;
      refused?.(e.code);
      return null;
    } finally {
      submitting.value = false;
    }
  }

  return { submitting, failure, booked, newAttempt, send };
}
