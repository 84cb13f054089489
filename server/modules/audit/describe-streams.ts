// Audit facts of an event in one of the audited streams: an organization's registration, a voucher,
// a claim. The figures before and after come from folding the stream up to the event with the
// module's own projection function, so the entry is the same whoever writes it (the recorder
// right after the event, or the repair pass later).
import type { StoredEvent } from "../../db/event-store";
import { applyOrgEvent, type OrgDoc } from "../accounts/org-stream";
import { applyClaimEvent } from "../vouchers/claim-stream";
import type { ClaimDoc } from "../vouchers/claim-model";
import { applyVoucherEvent } from "../vouchers/stream";
import type { VoucherDoc } from "../vouchers/model";
import type { AuditKind, Figures } from "../../../shared/schemas/audit";
import type { JournalFacts } from "./model";

/** Reads events 1…seq of a stream (by `_id`). */
export type StreamReader = (aggregateId: string, seq: number) => Promise<StoredEvent[]>;

const ORG_TYPES = new Set(["registered", "reviewed", "resubmitted", "controller_set"]);
const VOUCHER_TYPES = new Set(["issued", "declined", "voided", "claimed", "redeemed", "expired"]);
const CLAIM_TYPES = new Set(["submitted", "approved", "rejected", "returned", "resubmitted"]);

export type StreamKind = "org" | "voucher" | "claim";

/** Which audited stream an event belongs to, or null (bookings, catalog, invitations, …). */
export function streamOf(e: Pick<StoredEvent, "aggregateId" | "type" | "data">): StreamKind | null {
  if (e.aggregateId.startsWith("v-")) return VOUCHER_TYPES.has(e.type) ? "voucher" : null;
  if (e.aggregateId.startsWith("c-")) return CLAIM_TYPES.has(e.type) ? "claim" : null;
  if (!/^[0-9a-f]{24}$/.test(e.aggregateId)) return null;
  // An invitation's stream also has "revoked" (with no status): only the registration's carries one.
  if (ORG_TYPES.has(e.type) || (e.type === "revoked" && (e.data as { status?: unknown })?.status === "revoked")) return "org";
  return null;
}

function fold<T>(events: StoredEvent[], apply: (doc: T | null, e: StoredEvent) => T | null): { before: T | null; after: T | null } {
  let before: T | null = null;
  let after: T | null = null;
  for (const e of events) {
    before = after;
    after = apply(after, e);
  }
  return { before, after };
}

const reasonOf = (e: StoredEvent) => (typeof e.data.reason === "string" && e.data.reason ? { reason: e.data.reason } : {});

export async function describeStreamEvent(e: StoredEvent, read: StreamReader): Promise<JournalFacts | null> {
  const kind = streamOf(e);
  if (!kind) return null;
  const events = await read(e.aggregateId, e.seq);
  if (events.length !== e.seq || events[e.seq - 1]?._id !== e._id) return null; // a stream with a hole: not ours to judge
  const common = { at: new Date(e.at), actorId: e.actorId ?? null, ...reasonOf(e) };
  if (kind === "org") return { ...common, ...describeOrg(e, events) };
  if (kind === "voucher") return { ...common, ...describeVoucher(e, events) };
  return { ...common, ...describeClaim(e, events) };
}

type Described = Omit<JournalFacts, "at" | "actorId" | "reason">;

function describeOrg(e: StoredEvent, events: StoredEvent[]): Described {
  const first = events[0]!.data as Record<string, unknown>;
  const orgType = first.type === "provider" ? "provider" : "enterprise";
  const { type: _type, ...fields } = first;
  const { before, after } = fold<OrgDoc>(events, (doc, ev) =>
    doc ? applyOrgEvent(doc, ev) : ({ _id: ev.aggregateId, ...fields, status: "pending", version: 1, round: 1, createdAt: ev.at } as unknown as OrgDoc));
  const status = (d: OrgDoc | null): Figures => (d ? { status: d.status, round: d.round ?? 1 } : { status: null });
  let kind: AuditKind;
  if (e.type === "reviewed") kind = after!.status === "approved" ? "registration.approved" : "registration.rejected";
  else if (e.type === "controller_set") kind = "enterprise.controller_set";
  else kind = `registration.${e.type}` as AuditKind;
  const figures = (d: OrgDoc | null): Figures =>
    e.type === "controller_set" ? { actualController: (d as { actualController?: string } | null)?.actualController ?? null } : status(d);
  return {
    kind, subjectType: orgType, subjectId: e.aggregateId, orgIds: [e.aggregateId],
    before: figures(before), after: figures(after),
    state: { ...after!, orgType } as Record<string, unknown>,
  };
}

function describeVoucher(e: StoredEvent, events: StoredEvent[]): Described {
  const { before, after } = fold<VoucherDoc>(events, applyVoucherEvent);
  const v = after!;
  const figures = (d: VoucherDoc | null): Figures => (d ? { status: d.status, faceValueFen: d.faceValueFen, provinceFen: d.provinceFen, cityFen: d.cityFen } : { status: null });
  const amountFen = e.type === "redeemed" && typeof e.data.amountFen === "number" ? e.data.amountFen : v.faceValueFen;
  return {
    kind: `voucher.${e.type}` as AuditKind, subjectType: "voucher", subjectId: v._id, orgIds: [v.enterpriseId, v.providerId],
    amountFen, before: figures(before), after: figures(after), state: v as unknown as Record<string, unknown>,
  };
}

function describeClaim(e: StoredEvent, events: StoredEvent[]): Described {
  const { before, after } = fold<ClaimDoc>(events, applyClaimEvent);
  const c = after!;
  const figures = (d: ClaimDoc | null): Figures =>
    d ? { status: d.status, contractAmountFen: d.contractAmountFen, amountFen: d.amountFen, provinceFen: d.provinceFen, cityFen: d.cityFen } : { status: null };
  const { attachments: _a, history: _h, ...state } = c;
  return {
    kind: `claim.${e.type}` as AuditKind, subjectType: "claim", subjectId: c._id, orgIds: [c.enterpriseId, c.providerId],
    amountFen: c.amountFen, before: figures(before), after: figures(after), state: state as unknown as Record<string, unknown>,
  };
}
