// English messages of the notification centre (issue 11). Spread into en.ts; same keys as notifications.zh-CN.ts.
import type { notificationsZh } from "./notifications.zh-CN";

export const notificationsEn: typeof notificationsZh = {
  notifications: {
    bell: "Notifications",
    bellUnread: "Notifications, {count} unread",
    title: "Notifications",
    readAll: "Mark all read",
    empty: "No notifications yet",
    more: "Load more",
    close: "Close",
    loadFailed: "Notifications could not be loaded. Please try again later.",
    text: {
      booking_requested: "New booking request: {title}",
      booking_requested_confirmed: "New booking (confirmed automatically): {title}",
      booking_confirmed: "Booking confirmed: {title}",
      booking_rejected: "Booking declined: {title}",
      booking_cancelled: "Booking cancelled: {title}",
      booking_expiring: "Booking request expires at {time}: {title}",
      registration_reviewed_approved: "Your organization's registration was approved",
      registration_reviewed_rejected: "Your organization's registration was not approved; please correct it and resubmit",
    },
    expiringSoon: "Expires within 12 h",
    expiringSoonHint: "Lapses unless confirmed by {time}",
  },
};
