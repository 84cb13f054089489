// Typed calls for the notification centre (issue 11): the caller's own notifications only.
import type { Notification, NotificationList, UnreadCount } from "@shared/schemas/notifications";
import { http } from "./http";

export const notificationApi = {
  /** Newest first; `before`: the previous page's `nextBefore`. */
  list: (query: { limit?: number; before?: number; unread?: boolean } = {}) =>
    http.get<NotificationList>("/api/notifications", { limit: query.limit, before: query.before, unread: query.unread ? "true" : undefined }),
  unreadCount: () => http.get<UnreadCount>("/api/notifications/unread-count"),
  markRead: (id: string) => http.post<Notification>(`/api/notifications/${encodeURIComponent(id)}/read`),
  markAllRead: () => http.post<UnreadCount>("/api/notifications/read-all"),
};
