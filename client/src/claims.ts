// Claim helpers shared by the enterprise's pages: when a completed booking's voucher can be claimed,
// until when (the policy's claim window, DESIGN.md: 6 months after completion), and the upload rules.
import type { Booking } from "@shared/schemas/scheduling";
import { MAX_UPLOAD_BYTES, UPLOAD_TYPES } from "@shared/schemas/evidence";

/** When the service was completed: the booking's last "completed" event. */
export function completedAt(booking: Booking): string | undefined {
  return booking.history.filter((entry) => entry.status === "completed").at(-1)?.at;
}

/**
 * The end of the claim window: the completion instant `months` calendar months later, the day held
 * to the month's last (Aug 31 + 6 → Feb 28). Beijing has no daylight saving, so UTC arithmetic on the
 * shifted instant gives the same wall time.
 */
export function claimDeadline(completed: string, months: number): string {
  const shift = 8 * 3600_000;
  const d = new Date(Date.parse(completed) + shift);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return new Date(d.getTime() - shift).toISOString();
}

/** Whole days and hours left until `deadline` (null once it passed). */
export function timeLeft(deadline: string, now: number): { days: number; hours: number } | null {
  const ms = Date.parse(deadline) - now;
  if (ms <= 0) return null;
  return { days: Math.floor(ms / 86_400_000), hours: Math.floor((ms % 86_400_000) / 3_600_000) };
}

/** Why a file cannot be sent, before the server is asked (it checks the content again). */
export function uploadProblem(file: File): "type" | "size" | null {
  if (file.size > MAX_UPLOAD_BYTES) return "size";
  const byName = /\.(pdf|jpe?g|png)$/i.test(file.name);
  if (!byName && !(UPLOAD_TYPES as readonly string[]).includes(file.type)) return "type";
  return null;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
