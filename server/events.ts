// The in-process domain event bus. Services emit after their write has landed; the realtime layer
// maps events to Socket.IO rooms (and, with the Redis adapter, to other processes).
import { EventEmitter } from "node:events";
import type { OrgStatus, OrgType, Role } from "../shared/enums";
import type { AvailabilityChanged, BookingChanged } from "../shared/events";
import type { Notification } from "../shared/schemas/notifications";

export interface DomainEvents {
  "organization.reviewed": { organizationId: string; type: OrgType; status: OrgStatus };
  "membership.created": { userId: string; orgId: string; orgType: OrgType; role: Role };
  /** A session was logged out: its sockets are disconnected. */
  "session.ended": { sessionId: string };
  /** An instrument, its open hours or its maintenance windows (blackouts) changed. */
  "instrument.changed": { instrumentId: string; providerId: string };
  "package.changed": { packageId: string; providerId: string };
  /** Free counts of some slots of one instrument changed (booking, release, blackout, expiry). */
  "availability.changed": AvailabilityChanged;
  "booking.created": BookingChanged;
  "booking.updated": BookingChanged;
  /** A voucher was issued (or declined) or voided (issue 10). */
  "voucher.changed": { voucherId: string; enterpriseId: string; bookingId: string; status: string };
  /** A notification was stored for a user (issue 11): pushed to their sockets. */
  "notification.created": Notification & { userId: string };
}

export class DomainEventBus {
  private readonly emitter = new EventEmitter();

  emit<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): void {
    this.emitter.emit(name, payload);
  }

  on<K extends keyof DomainEvents>(name: K, listener: (payload: DomainEvents[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
