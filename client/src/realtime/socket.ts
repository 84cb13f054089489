// Live updates over Socket.IO, same origin, authenticated by the session cookie. The socket lives
// as long as the login; the server moves it into an organization's room when the user joins one.
// Views listen through `onServerEvent` and watch instruments through `watchInstrument`: both outlive
// a socket being replaced (another login) or reconnecting, and end with the view's scope.
import { getCurrentScope, onScopeDispose, reactive, readonly, ref, watch } from "vue";
import { io, type Socket } from "socket.io-client";
import { ElNotification } from "element-plus";
import type { ClientToServerEvents, OrganizationReviewed, ServerToClientEvents, SubscribeUtilization } from "@shared/events";
import { i18n } from "../i18n";
import { useSessionStore } from "../stores/session";

type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type ServerEvent = keyof ServerToClientEvents;
type Payload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];
type Listener = (payload: never) => void;

const SERVER_EVENTS: readonly ServerEvent[] = ["organization:reviewed", "availability:changed", "booking:created", "booking:updated", "notification:new", "utilization:update"];

let socket: AppSocket | null = null;
const listeners = new Map<ServerEvent, Set<Listener>>();
/** Instrument id → how many views watch it (the same instrument can be on screen twice). */
const watched = new Map<string, number>();
const reconnectListeners = new Set<() => void>();
/** The live view's subscription (one per connection), renewed on every connect: the server answers with a fresh snapshot. */
let liveScope: SubscribeUtilization | null = null;
const connected = ref(false);
/** Whether the socket is connected now (a live view shows it). */
export const socketConnected = readonly(connected);
/** Instruments whose room this socket has joined (the server acknowledged): their updates arrive. */
const live = reactive(new Set<string>());

function dispatch(event: ServerEvent, payload: unknown) {
  for (const listener of listeners.get(event) ?? []) (listener as (p: unknown) => void)(payload);
}

function subscribe(instrumentId: string) {
  socket?.emit("subscribe", { instrumentId }, (answer) => {
    if (answer.ok && watched.has(instrumentId)) live.add(instrumentId);
    else if (!answer.ok) console.warn(`subscribe ${instrumentId}: ${answer.error.message}`);
  });
}

function subscribeLive(scope: SubscribeUtilization) {
  socket?.emit("utilization:subscribe", scope, (answer) => {
    if (!answer.ok) console.warn(`utilization:subscribe: ${answer.error.message}`);
  });
}

function close() {
  connected.value = false;
  socket?.disconnect();
  socket = null;
  live.clear();
}

function open() {
  close();
  // WebSocket first: one TCP connection per socket, so any load balancer (or `npm run cluster`) may
  // place it without sticky sessions; long polling only where WebSockets fail (docs/scaling.md).
  const next: AppSocket = io({ path: "/socket.io", withCredentials: true, transports: ["websocket", "polling"], tryAllTransports: true });
  let connectedBefore = false;
  next.on("connect", () => {
    // Rooms do not survive a new connection (nor, reliably, a recovered one): join them again, and
    // let the views refetch what they may have missed while away.
    for (const instrumentId of watched.keys()) subscribe(instrumentId);
    if (liveScope) subscribeLive(liveScope);
    connected.value = true;
    if (connectedBefore) for (const listener of reconnectListeners) listener();
    connectedBefore = true;
  });
  next.on("disconnect", () => {
    live.clear();
    connected.value = false;
  });
  for (const event of SERVER_EVENTS) {
    (next.on as (name: ServerEvent, fn: (payload: unknown) => void) => void)(event, (payload) => dispatch(event, payload));
  }
  socket = next;
}

function disposeWithScope(stop: () => void): () => void {
  if (getCurrentScope()) onScopeDispose(stop);
  return stop;
}

/** Calls `listener` for every `event` until the calling component (scope) ends or the returned stop. */
export function onServerEvent<E extends ServerEvent>(event: E, listener: (payload: Payload<E>) => void): () => void {
  let set = listeners.get(event);
  if (!set) listeners.set(event, (set = new Set()));
  set.add(listener as Listener);
  return disposeWithScope(() => listeners.get(event)?.delete(listener as Listener));
}

/** Calls `listener` after the socket reconnects, when events may have been missed. */
export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return disposeWithScope(() => reconnectListeners.delete(listener));
}

/** Receives `availability:changed` for the instrument while the returned stop is not called. */
export function watchInstrument(instrumentId: string): () => void {
  const count = watched.get(instrumentId) ?? 0;
  watched.set(instrumentId, count + 1);
  if (count === 0 && socket?.connected) subscribe(instrumentId);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    const left = (watched.get(instrumentId) ?? 1) - 1;
    if (left > 0) return void watched.set(instrumentId, left);
    watched.delete(instrumentId);
    live.delete(instrumentId);
    socket?.emit("unsubscribe", { instrumentId });
  };
}

/**
 * Receives `utilization:update` snapshots of a live scope (the caller's own, or the bureau's `providerId`)
 * until the returned stop; after a reconnect the subscription is renewed and a fresh snapshot arrives.
 */
export function watchUtilization(scope: SubscribeUtilization, listener: (snapshot: Payload<"utilization:update">) => void): () => void {
  const off = onServerEvent("utilization:update", listener);
  liveScope = scope;
  if (socket?.connected) subscribeLive(scope);
  return disposeWithScope(() => {
    off();
    if (liveScope !== scope) return;
    liveScope = null;
    socket?.emit("utilization:unsubscribe", {});
  });
}


/** Whether availability updates for the instrument are arriving now. */
export const isLive = (instrumentId: string) => live.has(instrumentId);

/** Call once after the app is set up: keeps the socket in step with the session. */
export function startRealtime() {
  const session = useSessionStore();

  onServerEvent("organization:reviewed", async (payload: OrganizationReviewed) => {
    await session.refresh(); // the event carries ids only; /api/me is the truth
    const { t } = i18n.global;
    ElNotification({
      title: t("notify.reviewedTitle"),
      message: t(
        payload.status === "approved" ? "notify.reviewedApproved" : payload.status === "revoked" ? "rounds.notifyRevoked" : "notify.reviewedRejected",
      ),
      type: payload.status === "approved" ? "success" : "warning",
    });
  });

  // Keyed on the user id, so refreshing /api/me does not reopen the socket.
  watch(
    () => session.user?.id,
    (userId) => (userId ? open() : close()),
    { immediate: true },
  );
}
