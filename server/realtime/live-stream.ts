// The live view over Socket.IO (issue 12): `utilization:subscribe` {providerId?} joins the room of a
// scope (`live:bureau`, `live:<providerId>`) and answers with a fresh snapshot (`utilization:update`),
// which is also how a client resynchronizes after a reconnect: it subscribes again. Domain events
// mark the scopes they touch; each scope with sockets on this process gets at most one snapshot per
// LIVE_MIN_GAP_MS (KeyedThrottle), computed after the last event, so a burst of bookings sends a few
// snapshots and the last is exact. With the Redis adapter the marks travel to the other processes
// (serverSideEmit, batched), and every process computes for its own sockets only.
import { CLIENT_EVENTS, SERVER_EVENTS, type SubscribeUtilization, type UnsubscribeUtilization } from "../../shared/events";
import { compile } from "../../shared/validation";
import type { DomainEventBus } from "../events";
import type { Logger } from "../logger";
import { BUREAU_SCOPE, type LiveUtilization } from "../modules/stats/live";
import { providerScope } from "../modules/stats/utilization";
import { handle } from "./subscriptions";
import { KeyedThrottle } from "./throttle";
import type { LabSocket, RealtimeServer } from "./types";

/** At most one snapshot per scope and process this often. */
export const LIVE_MIN_GAP_MS = 400;
/** Without events, watched scopes are recomputed this often (a booking starts, a maintenance window ends). */
export const LIVE_TICK_MS = 30_000;
/** Marks for other processes are sent in batches this often. */
const FORWARD_MS = 100;
const ALL = "*";

const LIVE_ROOM_PREFIX = "live:";
export const liveRoom = (scope: string) => `${LIVE_ROOM_PREFIX}${scope}`;

export interface LiveStreamDeps {
  bus: DomainEventBus;
  live: LiveUtilization;
  logger: Logger;
  /** Several processes share rooms through Redis: forward the marks. */
  clustered: boolean;
}

export function attachLiveStream(io: RealtimeServer, d: LiveStreamDeps): { handle(socket: LabSocket): void; close(): void } {
  const validUpdate = compile(SERVER_EVENTS["utilization:update"], "response");
  const localRooms = () => [...io.of("/").adapter.rooms.keys()].filter((r) => r.startsWith(LIVE_ROOM_PREFIX));
  const watched = (scope: string) => (io.of("/").adapter.rooms.get(liveRoom(scope))?.size ?? 0) > 0;

  const throttle = new KeyedThrottle(LIVE_MIN_GAP_MS, async (scope) => {
    if (!watched(scope)) return;
    try {
      const snapshot = await d.live.snapshot(scope);
      if (!validUpdate(snapshot)) return d.logger.error({ errors: validUpdate.errors }, "live snapshot does not match its schema");
      io.local.to(liveRoom(scope)).emit("utilization:update", snapshot);
    } catch (err) {
      d.logger.warn({ err, scope }, "live snapshot failed");
    }
  });

  const markLocal = (scopes: readonly string[]) => {
    const targets = scopes.includes(ALL) ? localRooms().map((r) => r.slice(LIVE_ROOM_PREFIX.length)) : scopes.filter(watched);
    for (const scope of targets) throttle.mark(scope);
  };

  // Marks for the other processes, batched.
  const outbox = { scopes: new Set<string>(), voucherBookingIds: new Set<string>() };
  let forwardTimer: NodeJS.Timeout | undefined;
  const forward = (scopes: readonly string[], voucherBookingId?: string) => {
    if (!d.clustered) return;
    scopes.forEach((s) => outbox.scopes.add(s));
    if (voucherBookingId) outbox.voucherBookingIds.add(voucherBookingId);
    forwardTimer ??= setTimeout(() => {
      forwardTimer = undefined;
      const change = { scopes: [...outbox.scopes], voucherBookingIds: [...outbox.voucherBookingIds] };
      outbox.scopes.clear();
      outbox.voucherBookingIds.clear();
      io.serverSideEmit("live:changed", change);
    }, FORWARD_MS);
  };
  const changed = (scopes: string[], voucherBookingId?: string) => {
    if (voucherBookingId) d.live.noteVoucher(voucherBookingId);
    markLocal(scopes);
    forward(scopes, voucherBookingId);
  };

  const offs = [
    d.bus.on("booking.created", (b) => changed([BUREAU_SCOPE, ...b.providerIds])),
    d.bus.on("booking.updated", (b) => changed([BUREAU_SCOPE, ...b.providerIds])),
    // The event does not name the provider: every watched scope looks again.
    d.bus.on("voucher.changed", (v) => changed([ALL], v.bookingId)),
    d.bus.on("instrument.changed", (i) => changed([BUREAU_SCOPE, i.providerId])),
  ];
  io.on("live:changed", (change) => {
    change.voucherBookingIds.forEach((id) => d.live.noteVoucher(id));
    markLocal(change.scopes);
  });
  const tick = setInterval(() => markLocal([ALL]), LIVE_TICK_MS);
  tick.unref();

  const leaveLive = async (socket: LabSocket) => {
    for (const room of socket.rooms) if (room.startsWith(LIVE_ROOM_PREFIX)) await socket.leave(room);
  };

  return {
    handle(socket) {
      // One live scope per connection; subscribing again (a reconnect, another scope) answers a fresh snapshot.
      socket.on(
        "utilization:subscribe",
        handle<SubscribeUtilization>(socket, CLIENT_EVENTS["utilization:subscribe"], d.logger, async ({ providerId }) => {
          const scope = providerScope(socket.data.actor, providerId) ?? BUREAU_SCOPE;
          await leaveLive(socket);
          if (!socket.connected) return { ok: true };
          // Joined before computing: an event meanwhile marks the scope and another snapshot follows.
          await socket.join(liveRoom(scope));
          const snapshot = await d.live.snapshot(scope);
          if (validUpdate(snapshot)) socket.emit("utilization:update", snapshot);
          return { ok: true };
        }),
      );
      socket.on(
        "utilization:unsubscribe",
        handle<UnsubscribeUtilization>(socket, CLIENT_EVENTS["utilization:unsubscribe"], d.logger, async () => {
          await leaveLive(socket);
          return { ok: true };
        }),
      );
    },
    close() {
      offs.forEach((off) => off());
      clearInterval(tick);
      clearTimeout(forwardTimer);
      throttle.close();
    },
  };
}
