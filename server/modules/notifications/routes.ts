// HTTP adapter for the notification centre: every logged-in user reads and marks their own.
import { NotificationList, NotificationListQuery, NotificationParams, Notification, UnreadCount } from "../../../shared/schemas/notifications";
import { EmptyBody } from "../../../shared/schemas/scheduling";
import { route, type RouteSpec } from "../../http/route";
import type { NotificationsService } from "./service";

export function notificationsRoutes(d: { notifications: NotificationsService }): RouteSpec[] {
  return [
    route({
      method: "get", path: "/api/notifications", tag: "notifications", access: "user",
      summary: "The caller's notifications, newest first (`before`: the previous page's `nextBefore`; `unread=true`: unread only)",
      query: NotificationListQuery, response: NotificationList,
      handler: ({ actor, query }) => d.notifications.list(actor!, query),
    }),
    route({
      method: "get", path: "/api/notifications/unread-count", tag: "notifications", access: "user",
      summary: "How many of the caller's newest 100 notifications are unread",
      response: UnreadCount,
      handler: ({ actor }) => d.notifications.unreadCount(actor!),
    }),
    route({
      method: "post", path: "/api/notifications/read-all", tag: "notifications", access: "user",
      summary: "Mark every notification the caller has so far read; answers the new unread count",
      body: EmptyBody, response: UnreadCount,
      handler: ({ actor }) => d.notifications.markAllRead(actor!),
    }),
    route({
      method: "post", path: "/api/notifications/:id/read", tag: "notifications", access: "user",
      summary: "Mark one of the caller's notifications read (someone else's: 404)",
      params: NotificationParams, body: EmptyBody, response: Notification, errors: ["NOT_FOUND"],
      handler: ({ actor, params }) => d.notifications.markRead(actor!, params.id),
    }),
  ];
}
