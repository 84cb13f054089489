// HTTP adapter for scheduling: availability (public), booking (approved enterprises' members), the
// booking lifecycle (the services check who may do what to which booking).
import { IdParams } from "../../../shared/schemas/common";
import * as S from "../../../shared/schemas/scheduling";
import type { ErrorCode } from "../../../shared/errors";
import { route, type RouteSpec } from "../../http/route";
import type { SchedulingService } from "./service";
import type { PackagesService } from "../catalog/packages";
import type { TransitionName } from "./projection";

const ENTERPRISE = ["enterprise_admin", "enterprise_member"] as const;
const PROVIDER = ["provider_admin", "provider_staff"] as const;
const ANY_MEMBER = [...ENTERPRISE, ...PROVIDER, "bureau_admin", "bureau_reviewer"] as const;

const RULE_ERRORS: ErrorCode[] = [
  "OUTSIDE_OPEN_HOURS", "TOO_SHORT_NOTICE", "TOO_FAR_AHEAD", "NOT_ON_GRID", "TOO_SHORT", "TOO_LONG", "IN_BLACKOUT",
  "INSTRUMENT_NOT_BOOKABLE", "PACKAGE_NOT_BOOKABLE", "NO_FEASIBLE_SCHEDULE",
];

export function schedulingRoutes(d: { scheduling: SchedulingService; packages: PackagesService }): RouteSpec[] {
  const transition = (path: string, name: Exclude<TransitionName, "expire">, summary: string, access: readonly (typeof ANY_MEMBER)[number][], extra: ErrorCode[] = []) =>
    route({
      method: "post", path: `/api/bookings/:id/${path}`, tag: "scheduling", access,
      summary,
      params: IdParams, body: name === "complete" ? S.CompleteBody : S.ReasonBody, response: S.Booking,
      errors: ["NOT_FOUND", "INVALID_TRANSITION", ...extra],
      handler: async ({ actor, params, body }) => d.scheduling.transition(actor!, params.id, name, body ?? {}),
    });
  return [
    route({
      method: "get", path: "/api/instruments/:id/availability", tag: "scheduling", access: "public",
      summary: "Bookable slots of an instrument between from and to (at most 31 days), with free units",
      params: IdParams, query: S.AvailabilityQuery, response: S.Availability, errors: ["NOT_FOUND"],
      sharedResults: true,
      handler: async ({ params, query }) => d.scheduling.availability(params.id, query.from, query.to),
    }),
    route({
      method: "get", path: "/api/packages/:id/schedule", tag: "scheduling", access: "public",
      summary: "The earliest schedule of a package's items on or after start (nothing is held)",
      params: IdParams, query: S.PackageScheduleQuery, response: S.PackageSchedule,
      errors: ["NOT_FOUND", "PACKAGE_NOT_BOOKABLE", "PACKAGE_NOT_ACCEPTED", "INSTRUMENT_NOT_BOOKABLE", "NO_FEASIBLE_SCHEDULE"],
      handler: async ({ params, query }) => {
        return d.scheduling.schedule(params.id, query.start);
      },
    }),
    route({
      method: "post", path: "/api/bookings", tag: "scheduling", access: ENTERPRISE, status: 201,
      summary: "Book instrument time (instrumentId, start, end) or a package (packageId, start); Idempotency-Key supported",
      body: S.BookingCreateBody, response: S.Booking,
      errors: ["NOT_FOUND", "ENTERPRISE_NOT_APPROVED", "SLOT_TAKEN", "IDEMPOTENCY_IN_PROGRESS", "IDEMPOTENCY_KEY_REUSED", "CALENDAR_CHANGED", "PACKAGE_NOT_ACCEPTED", ...RULE_ERRORS],
      handler: async ({ actor, body, req }) => {
        return d.scheduling.create(actor!, body, req.get("idempotency-key"));
      },
    }),
    route({
      method: "get", path: "/api/bookings", tag: "scheduling", access: ANY_MEMBER,
      summary: "Bookings of my enterprise, on my provider's instruments, or all (the bureau), with filters",
      query: S.BookingListQuery, response: S.BookingPage,
      handler: async ({ actor, query }) => d.scheduling.list(actor!, query),
    }),
    route({
      method: "get", path: "/api/bookings/:id", tag: "scheduling", access: ANY_MEMBER,
      summary: "One booking with its history (the booker's members, involved providers, the bureau)",
      params: IdParams, response: S.Booking, errors: ["NOT_FOUND"],
      handler: async ({ actor, params }) => d.scheduling.get(actor!, params.id),
    }),
    route({
      method: "get", path: "/api/bookings/:id/parties", tag: "scheduling", access: ANY_MEMBER,
      summary: "Who a booking brings together: the enterprise, each provider with its address and contact for delivering samples, each instrument with its location and zone",
      params: IdParams, response: S.BookingParties, errors: ["NOT_FOUND"],
      handler: async ({ actor, params }) => d.scheduling.parties(actor!, params.id),
    }),
    transition("confirm", "confirm", "Confirm a pending booking: each provider whose instrument requires it confirms its part", PROVIDER, ["ITEM_NOT_YOURS"]),
    transition("reject", "reject", "Reject a pending booking with a reason (a provider who must confirm, or the acting provider)", PROVIDER, ["ITEM_NOT_YOURS"]),
    transition("cancel", "cancel", "Cancel: the booker before the deadline, or an involved provider with a reason", [...ENTERPRISE, ...PROVIDER], ["CANCEL_DEADLINE_PASSED"]),
    transition("check-in", "checkIn", "Check in an item (the instrument's own provider), from 30 minutes before its start until its end", PROVIDER, ["CHECK_IN_TOO_EARLY", "CHECK_IN_CLOSED", "ITEM_NOT_YOURS"]),
    transition("complete", "complete", "Complete a checked-in item with the contract amount and report number (the instrument's own provider)", PROVIDER, ["NOT_CHECKED_IN", "ITEM_NOT_YOURS", "CONTRACT_OVER_PRICE"]),
    route({
      method: "post", path: "/api/bookings/:id/contract-amount", tag: "scheduling", access: PROVIDER,
      summary: "Record a completed booking's contract amount again after the booker disputed it (the acting provider; extras need a reason)",
      params: IdParams, body: S.ContractAmountBody, response: S.Booking,
      errors: ["NOT_FOUND", "INVALID_TRANSITION", "CONTRACT_NOT_AWAITING", "CONTRACT_OVER_PRICE"],
      handler: async ({ actor, params, body }) => d.scheduling.contract(actor!, params.id, "record", body),
    }),
    route({
      method: "post", path: "/api/bookings/:id/contract-amount/acknowledge", tag: "scheduling", access: ENTERPRISE,
      summary: "Acknowledge the recorded contract amount (the booker's members): only then can it count for a voucher",
      params: IdParams, body: S.EmptyBody, response: S.Booking,
      errors: ["NOT_FOUND", "INVALID_TRANSITION", "CONTRACT_NOT_AWAITING"],
      handler: async ({ actor, params }) => d.scheduling.contract(actor!, params.id, "acknowledge", {}),
    }),
    route({
      method: "post", path: "/api/bookings/:id/contract-amount/dispute", tag: "scheduling", access: ENTERPRISE,
      summary: "Dispute the recorded contract amount with a reason (the booker's members): it returns to the provider",
      params: IdParams, body: S.DisputeBody, response: S.Booking,
      errors: ["NOT_FOUND", "INVALID_TRANSITION", "CONTRACT_NOT_AWAITING"],
      handler: async ({ actor, params, body }) => d.scheduling.contract(actor!, params.id, "dispute", body),
    }),
    transition("no-show", "noShow", "Record that the booker did not come (after the start)", PROVIDER, ["NOT_STARTED", "ITEM_NOT_YOURS"]),
  ];
}
