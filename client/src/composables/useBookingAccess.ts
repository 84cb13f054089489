// Who may book: enterprises in the registry (approved). Visitors are asked to log in, enterprises
// under review are told to wait, users without an organization to register theirs, other
// organizations that booking is for enterprises.
import { computed } from "vue";
import { useSessionStore } from "../stores/session";

export type BookingAccess = "anonymous" | "enterprise" | "pending" | "no-org" | "other";

export function useBookingAccess() {
  const session = useSessionStore();
  return computed<BookingAccess>(() => {
    if (!session.isLoggedIn) return "anonymous";
    if (!session.organization) return "no-org";
    if (session.orgType !== "enterprise") return "other";
    return session.organization?.status === "approved" ? "enterprise" : "pending";
  });
}
