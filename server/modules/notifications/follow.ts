// Which domain event tells whom what. Notifications are written after the answer (the bus
// listener only schedules the work), and a failure is reported, never thrown into the request.
//
//   booking.created                     → booking_requested  every member of each provider involved
//   booking.updated confirmed/rejected  → booking_confirmed / booking_rejected  the booker
//   booking.updated cancelled           → booking_cancelled  the booker, and the providers' members
//                                          unless a provider cancelled it
//   (reminder, remindLapsing)           → booking_expiring   the booker, a pending request lapsing within 12 h
//   organization.reviewed approved/rejected → registration_reviewed  the organization's members
// The actor of an event is never told about their own act. Event keys name the event per booking
// (a booking is confirmed, rejected or cancelled at most once) or per review round.
import type { BookingChanged } from "../../../shared/events";
import type { OrgStatus, OrgType } from "../../../shared/enums";
import type { DomainEventBus } from "../../events";
import type { BookingDoc } from "../scheduling/model";
import type { NotificationContent } from "./model";
import type { NotificationsService } from "./service";

export const LAPSING_WITHIN_MS = 12 * 3_600_000;

export interface FollowDeps {
  bus: DomainEventBus;
  bookings: {
    load(id: string): Promise<BookingDoc | null>;
    pendingLapsingBetween(from: Date, to: Date): Promise<{ _id: string }[]>;
  };
  memberIds(orgId: string): Promise<string[]>;
  /** The organization's current review round (1 at registration), or null if it does not exist. */
  reviewRound(type: Exclude<OrgType, "bureau">, id: string): Promise<number | null>;
}

const bookingContent = (kind: NotificationContent["kind"], b: BookingDoc): NotificationContent => ({
  kind,
  bookingId: b._id,
  title: b.title,
  bookingStatus: b.status,
});

/** Who made the booking's last change to `status` (null: the system, e.g. an expiry). */
function actorOf(b: BookingDoc, status: BookingDoc["status"]): string | null {
  const entry = [...b.history].reverse().find((h) => h.status === status);
  return entry?.actorId ?? null;
}

export class NotificationFollower {
  private readonly inFlight = new Set<Promise<unknown>>();
  private offs: (() => void)[] = [];
  /** app.ts routes failures to the logger; tests replace it to see them. */
  reportFailure: (step: string, subject: string, err: unknown) => void = () => {};

  constructor(
    private readonly notifications: NotificationsService,
    private readonly d: FollowDeps,
  ) {
    this.attach();
  }

  attach(): void {
    this.detach();
    this.offs = [
      this.d.bus.on("booking.created", (p) => this.later("booking.created", p.bookingId, () => this.bookingCreated(p))),
      this.d.bus.on("booking.updated", (p) => this.later("booking.updated", p.bookingId, () => this.bookingUpdated(p))),
      this.d.bus.on("organization.reviewed", (p) => this.later("organization.reviewed", p.organizationId, () => this.reviewed(p.organizationId, p.type, p.status))),
    ];
  }

  detach(): void {
    this.offs.forEach((off) => off());
    this.offs = [];
  }

  /** Resolves once every notification write started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Runs after the current request has answered (next turn of the event loop), never failing it. */
  private later(step: string, subject: string, work: () => Promise<unknown>): void {
    const run = new Promise((resolve) => setImmediate(resolve))
      .then(work)
      .catch((err: unknown) => this.reportFailure(step, subject, err));
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  private async providerMembers(b: { providerIds: readonly string[] }): Promise<string[]> {
    return (await Promise.all(b.providerIds.map((id) => this.d.memberIds(id)))).flat();
  }

  async bookingCreated(p: BookingChanged): Promise<void> {
    const b = await this.d.bookings.load(p.bookingId);
    if (!b) return;
    await this.notifications.deliver(await this.providerMembers(b), `${b._id}:requested`, bookingContent("booking_requested", { ...b, status: p.status }), b.createdBy);
  }

  async bookingUpdated(p: BookingChanged): Promise<void> {
    const kind = ({ confirmed: "booking_confirmed", rejected: "booking_rejected", cancelled: "booking_cancelled" } as const)[p.status as "confirmed"];
    if (!kind) return;
    const b = await this.d.bookings.load(p.bookingId);
    if (!b) return;
    const actorId = actorOf(b, p.status);
    const recipients = [b.createdBy];
    if (p.status === "cancelled") {
      const providerMembers = await this.providerMembers(b);
      // A provider cancelling tells the enterprise; the enterprise (or the bureau) cancelling tells the providers too.
      if (!actorId || !providerMembers.includes(actorId)) recipients.push(...providerMembers);
    }
    await this.notifications.deliver(recipients, `${b._id}:${p.status}`, bookingContent(kind, { ...b, status: p.status }), actorId);
  }

  async reviewed(orgId: string, type: OrgType, status: OrgStatus): Promise<void> {
    if (type === "bureau" || (status !== "approved" && status !== "rejected")) return;
    const round = await this.d.reviewRound(type, orgId);
    if (round === null) return;
    await this.notifications.deliver(await this.d.memberIds(orgId), `${orgId}:reviewed:${round}`, { kind: "registration_reviewed", organizationId: orgId, decision: status });
  }

  /**
   * booking_expiring for every pending request whose hold lapses within 12 hours, once per booking
   * (run by main.ts every few minutes; tests call it with a moved clock). Returns how many were told.
   */
  async remindLapsing(now = this.notifications.now()): Promise<number> {
    const due = await this.d.bookings.pendingLapsingBetween(new Date(now), new Date(now + LAPSING_WITHIN_MS));
    let told = 0;
    for (const { _id } of due) {
      const b = await this.d.bookings.load(_id);
      const lapses = b?.holdExpiresAt?.getTime();
      if (!b || b.status !== "pending" || !lapses || lapses <= now || lapses > now + LAPSING_WITHIN_MS) continue;
      told += await this.notifications.deliver([b.createdBy], `${b._id}:expiring`, { ...bookingContent("booking_expiring", b), expiresAt: b.holdExpiresAt });
    }
    return told;
  }
}
