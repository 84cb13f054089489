// The notification centre's domain logic, without HTTP: delivering a notification once per user
// and event, and a user's reads (list, unread count, mark read). Writes come from the domain events
// (follow.ts); a user only ever reads and marks their own notifications.
import type { Notification, NotificationList, NotificationListQuery, UnreadCount } from "../../../shared/schemas/notifications";
import { UNREAD_COUNT_CAP } from "../../../shared/schemas/notifications";
import { isDuplicateKeyError } from "../../db/errors";
import { NotFoundError } from "../../errors";
import type { DomainEventBus } from "../../events";
import type { Actor } from "../accounts/actor";
import { parseFeedId, seqRange, UserFeeds } from "./feed";
import type { NotificationContent, NotificationDoc, NotificationModels } from "./model";

/** A list page reads at most this many numbers below `before` looking for unread ones. */
const UNREAD_SEARCH_SPAN = 500;

export function presentNotification(doc: NotificationDoc, readThrough: number): Notification {
  return {
    id: doc._id,
    seq: doc.seq,
    kind: doc.kind,
    read: !!doc.readAt || doc.seq <= readThrough,
    createdAt: doc.createdAt.toISOString(),
    ...(doc.bookingId ? { bookingId: doc.bookingId } : {}),
    ...(doc.title ? { title: doc.title } : {}),
    ...(doc.bookingStatus ? { bookingStatus: doc.bookingStatus } : {}),
    ...(doc.expiresAt ? { expiresAt: doc.expiresAt.toISOString() } : {}),
    ...(doc.organizationId ? { organizationId: doc.organizationId } : {}),
    ...(doc.decision ? { decision: doc.decision } : {}),
  };
}

export class NotificationsService {
  readonly feeds: UserFeeds;
  now: () => number = () => Date.now();

  constructor(
    readonly m: NotificationModels,
    private readonly bus: DomainEventBus,
  ) {
    this.feeds = new UserFeeds(m);
  }

  /**
   * Tells each user about one event, once: the insert of `<userId>:<eventKey>` decides it (a replay,
   * a second process or a retry after a crash finds it taken), then the notification is appended
   * and pushed to the user's sockets. The actor of the event is not told about their own act.
   */
  async deliver(userIds: readonly string[], eventKey: string, content: NotificationContent, actorId?: string | null): Promise<number> {
    const at = new Date(this.now());
    const told = await Promise.all(
      [...new Set(userIds)].filter((u) => u !== actorId).map(async (userId) => {
        try {
          await this.m.keys.create({ _id: `${userId}:${eventKey}`, createdAt: at });
        } catch (err) {
          if (isDuplicateKeyError(err)) return 0;
          throw err;
        }
        const doc = await this.feeds.append(userId, eventKey, content, at);
        this.bus.emit("notification.created", { userId, ...presentNotification(doc, 0) });
        return 1;
      }),
    );
    return told.reduce<number>((a, b) => a + b, 0);
  }

  private async readThrough(userId: string): Promise<number> {
    return (await this.m.reads.findById(userId).lean())?.through ?? 0;
  }

  /** Newest first; `before` pages by seq; `unread` skips read ones (looking back a bounded span). */
  async list(actor: Actor, q: NotificationListQuery): Promise<NotificationList> {
    const limit = q.limit ?? 20;
    const [head, through] = await Promise.all([this.feeds.head(actor.userId), this.readThrough(actor.userId)]);
    let top = Math.min(head, (q.before ?? head + 1) - 1);
    const floor = q.unread ? Math.max(through, top - UNREAD_SEARCH_SPAN) : 0;
    const items: Notification[] = [];
    while (items.length < limit && top > floor) {
      const want = q.unread ? Math.max(limit, 50) : limit - items.length;
      const docs = await this.feeds.read(actor.userId, seqRange(Math.max(floor + 1, top - want + 1), top));
      for (const doc of docs) {
        const n = presentNotification(doc, through);
        if (items.length < limit && !(q.unread && n.read)) items.push(n);
      }
      top = Math.max(floor, top - want);
    }
    const last = items[items.length - 1];
    const more = items.length === limit && last !== undefined && last.seq > floor + 1;
    return { items, ...(more ? { nextBefore: last.seq } : {}) };
  }

  /** Unread among the newest UNREAD_COUNT_CAP: three reads by `_id` whatever the history's length. */
  async unreadCount(actor: Actor): Promise<UnreadCount> {
    const [head, through] = await Promise.all([this.feeds.head(actor.userId), this.readThrough(actor.userId)]);
    const from = Math.max(through, head - UNREAD_COUNT_CAP) + 1;
    const docs = await this.feeds.read(actor.userId, seqRange(from, head));
    return { unread: docs.filter((d) => !d.readAt).length, latestSeq: head };
  }

  /** Marks one of the caller's notifications read; someone else's answers 404 like a missing one. */
  async markRead(actor: Actor, id: string): Promise<Notification> {
    const parsed = parseFeedId(id);
    if (!parsed || parsed.userId !== actor.userId) throw new NotFoundError();
    const doc = await this.m.notifications.findById(id).lean<NotificationDoc>();
    if (!doc || doc.userId !== actor.userId) throw new NotFoundError();
    if (!doc.readAt) {
      // One field set by its owner: a lost update (FerretDB) would only write the same fact twice.
      doc.readAt = new Date(this.now());
      await this.m.notifications.updateOne({ _id: id }, { $set: { readAt: doc.readAt } });
    }
    return presentNotification(doc, await this.readThrough(actor.userId));
  }

  /** Everything up to the current head is read; later notifications stay unread. */
  async markAllRead(actor: Actor): Promise<UnreadCount> {
    const head = await this.feeds.head(actor.userId);
    if (head > (await this.readThrough(actor.userId))) {
      try {
        // The filter keeps a slower "read all" from moving the mark back (not a guard: nothing races on it but the user).
        await this.m.reads.updateOne({ _id: actor.userId, through: { $lt: head } }, { $set: { through: head, at: new Date(this.now()) } }, { upsert: true });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err; // a later mark already stands
      }
    }
    return this.unreadCount(actor);
  }
}
