// The logged-in user's notifications: the unread count the bell shows and the newest page the
// drawer lists. The server stores them; `notification:new` adds one live, and a reconnect (events may
// have been missed) or another login reads the count again.
import { defineStore } from "pinia";
import { ref } from "vue";
import type { Notification } from "@shared/schemas/notifications";
import { notificationApi } from "../api/notifications";

const PAGE = 20;

export const useNotificationStore = defineStore("notifications", () => {
  const unread = ref(0);
  const items = ref<Notification[]>([]);
  const nextBefore = ref<number | undefined>(undefined);
  const loaded = ref(false);
  const loading = ref(false);
  /** The newest seq the count includes: a notification pushed again after a reconnect is not counted twice. */
  let countedThrough = 0;

  function reset() {
    unread.value = 0;
    items.value = [];
    nextBefore.value = undefined;
    loaded.value = false;
    countedThrough = 0;
  }

  async function refreshCount(): Promise<void> {
    const answer = await notificationApi.unreadCount().catch(() => null);
    if (!answer) return;
    unread.value = answer.unread;
    countedThrough = Math.max(countedThrough, answer.latestSeq);
  }

  /** The newest page again (the drawer opens), or the next older page (`more`). */
  async function load(more = false): Promise<void> {
    loading.value = true;
    try {
      const page = await notificationApi.list({ limit: PAGE, before: more ? nextBefore.value : undefined });
      items.value = more ? [...items.value, ...page.items.filter((n) => !items.value.some((m) => m.id === n.id))] : page.items;
      nextBefore.value = page.nextBefore;
      loaded.value = true;
    } finally {
      loading.value = false;
    }
  }

  /** A notification pushed by the server: on top of the list, one more unread. */
  function received(n: Notification) {
    if (loaded.value && !items.value.some((m) => m.id === n.id)) items.value = [n, ...items.value];
    if (n.seq <= countedThrough) return;
    countedThrough = n.seq;
    if (!n.read) unread.value += 1;
  }

  async function markRead(n: Notification): Promise<void> {
    if (n.read) return;
    const answer = await notificationApi.markRead(n.id);
    items.value = items.value.map((m) => (m.id === n.id ? answer : m));
    unread.value = Math.max(0, unread.value - 1);
  }

  async function markAllRead(): Promise<void> {
    const answer = await notificationApi.markAllRead();
    unread.value = answer.unread;
    countedThrough = Math.max(countedThrough, answer.latestSeq);
    items.value = items.value.map((m) => ({ ...m, read: true }));
  }

  return { unread, items, nextBefore, loaded, loading, reset, refreshCount, load, received, markRead, markAllRead };
});
