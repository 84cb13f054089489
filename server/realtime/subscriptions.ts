// Client → server events: `subscribe` / `unsubscribe` to an instrument's availability. Each payload
// is checked against shared/events.ts (strict); the answer goes through the ack as `{ok: true}` or
// `{ok: false, error: {code, message}}` in the socket's language. A handler never throws: a bad
// payload, a missing ack or a failing lookup is an answer, not a crash.
import type { TSchema } from "@sinclair/typebox";
import { CLIENT_EVENTS, type Ack, type SubscribeInstrument } from "../../shared/events";
import { errorMessage, type ErrorCode, type ErrorParams } from "../../shared/errors";
import { compile } from "../../shared/validation";
import { DomainError } from "../errors";
import { presentFields } from "../http/errors";
import { toFieldErrors } from "../http/validate";
import type { Logger } from "../logger";
import { INSTRUMENT_ROOM_PREFIX, instrumentRoom } from "./rooms";
import type { LabSocket } from "./types";

/** Per connection; a dashboard watches a handful of instruments, a leak or a scraper many. */
export const MAX_SUBSCRIPTIONS = 50;

export interface SubscriptionDeps {
  /** Resolves if the instrument exists (retired ones too: their availability is as public as they are); throws NotFoundError otherwise. */
  findInstrument(id: string): Promise<unknown>;
  logger: Logger;
}

type Answer = Parameters<Ack>[0];

export function failure(socket: LabSocket, code: ErrorCode, params: ErrorParams = {}, extra: object = {}): Answer {
  const error = { code, message: errorMessage(code, socket.data.locale, params), ...extra };
  return { ok: false, error };
}

/** Wraps a handler: validates the payload, calls the ack once (if the client sent one), catches everything. */
export function handle<T>(
  socket: LabSocket,
  schema: TSchema,
  logger: Logger,
  handler: (payload: T) => Promise<Answer>,
): (payload: unknown, ack?: unknown) => void {
  const validate = compile(schema, "strict");
  return (payload, ack) => {
    const reply = typeof ack === "function" ? (ack as Ack) : () => {};
    if (!validate(payload)) {
      const fields = toFieldErrors("payload", validate.errors ?? [], socket.data.locale);
      return reply(failure(socket, "VALIDATION_FAILED", {}, { fields }));
    }
    handler(payload as T).then(reply, (err: unknown) => {
      if (err instanceof DomainError) {
        const fields = presentFields(err, socket.data.locale);
        return reply(failure(socket, err.code, err.params, fields ? { fields } : {}));
      }
      logger.error({ err }, "socket handler failed");
      reply(failure(socket, "INTERNAL"));
    });
  };
}

const subscriptionCount = (socket: LabSocket) =>
  [...socket.rooms].filter((room) => room.startsWith(INSTRUMENT_ROOM_PREFIX)).length;

export function handleSubscriptions(socket: LabSocket, deps: SubscriptionDeps): void {
  // Rooms being looked up count against the cap too, or a burst of subscribes could pass it together.
  const pending = new Set<string>();
  socket.on(
    "subscribe",
    handle<SubscribeInstrument>(socket, CLIENT_EVENTS.subscribe, deps.logger, async ({ instrumentId }) => {
      const room = instrumentRoom(instrumentId);
      if (socket.rooms.has(room)) return { ok: true };
      if (subscriptionCount(socket) + pending.size >= MAX_SUBSCRIPTIONS) {
        return failure(socket, "TOO_MANY_SUBSCRIPTIONS", { max: MAX_SUBSCRIPTIONS });
      }
      pending.add(room);
      try {
        await deps.findInstrument(instrumentId);
      } finally {
        pending.delete(room);
      }
      if (socket.connected) await socket.join(room); // else it left while we looked: nothing to join
      return { ok: true };
    }),
  );
  // Idempotent: leaving a room one is not in is fine, and says nothing about the instrument.
  socket.on(
    "unsubscribe",
    handle<SubscribeInstrument>(socket, CLIENT_EVENTS.unsubscribe, deps.logger, async ({ instrumentId }) => {
      await socket.leave(instrumentRoom(instrumentId));
      return { ok: true };
    }),
  );
}
