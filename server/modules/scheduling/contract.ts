// The contract amount of a completed booking (issue 10). The provider records it at completion
// (lifecycle.ts, with any extras it declares) or again after a dispute; the booker acknowledges it
// or disputes it with a reason. Each decision is the insert of booking event `<id>:<version + 1>`,
// so of a racing acknowledge and dispute exactly one gets in; the other re-reads and answers 409.
import type { Booking, ContractAmountBody, ContractStatus, DisputeBody } from "../../../shared/schemas/scheduling";
import { appendEvent, eventId } from "../../db/event-store";
import { ConflictError, ForbiddenError, NotFoundError, RuleError, ValidationError } from "../../errors";
import type { Actor } from "../accounts/actor";
import type { SchedulingCore } from "./core";
import { applyEvent, CONTRACT_EVENTS, presentBooking, type TransitionData } from "./projection";
import { load, relation } from "./reads";

const MAX_ATTEMPTS = 5;

export type ContractAction = keyof typeof CONTRACT_EVENTS;

/** The contract states each action may start from ("none": completed before contracts were tracked). */
const FROM: Record<ContractAction, readonly (ContractStatus | "none")[]> = {
  // Not while "recorded": a silent change could be acknowledged by a booker who never saw it.
  record: ["disputed", "none"],
  acknowledge: ["recorded"],
  dispute: ["recorded"],
};

/** Extras need a reason: the enterprise acknowledges what it was told. */
export function requireExtrasReason(extrasFen: number, extrasReason: string | undefined): void {
  if (extrasFen > 0 && !extrasReason) {
    throw new ValidationError([{ field: "/body/extrasReason", rule: "required", message: "declared extras need a reason" }]);
  }
}

/** A contract amount may exceed the booked price only by the extras declared with it. */
export function checkWithinPrice(priceFen: number, amountFen: number, extrasFen: number): void {
  if (amountFen > priceFen + extrasFen) throw new RuleError("CONTRACT_OVER_PRICE", { maxYuan: ((priceFen + extrasFen) / 100).toFixed(2) });
}

export async function decideContract(
  core: SchedulingCore,
  actor: Actor,
  id: string,
  action: ContractAction,
  body: ContractAmountBody | DisputeBody | Record<string, never>,
): Promise<Booking> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const doc = await load(core, id);
    if (!doc) throw new NotFoundError();
    const rel = relation(actor, doc);
    if (!rel.visible) throw new NotFoundError();
    // The acting provider answers for the whole booking's amount; the booker's members decide on it.
    if (action === "record" ? !rel.acting : !rel.enterprise) throw new ForbiddenError();
    if (doc.status !== "completed") throw new ConflictError("INVALID_TRANSITION", { status: doc.status });
    const state = doc.contract?.status ?? "none";
    if (!FROM[action].includes(state)) throw new ConflictError("CONTRACT_NOT_AWAITING", { status: state });
    const data = contractData(doc.priceFen, action, body);
    const seq = doc.version + 1;
    const type = CONTRACT_EVENTS[action];
    if (!(await appendEvent(core.events, { aggregateId: doc._id, seq, type, data: { ...data }, actorId: actor.userId }))) continue;
    const next = applyEvent(doc, { _id: eventId(doc._id, seq), aggregateId: doc._id, seq, type, data: { ...data }, actorId: actor.userId, at: new Date() })!;
    await core.saveProjection(next);
    core.emitBooking("booking.updated", next);
    return presentBooking(next);
  }
  throw new ConflictError();
}

function contractData(priceFen: number, action: ContractAction, body: ContractAmountBody | DisputeBody | Record<string, never>): TransitionData {
  if (action === "acknowledge") return { status: "completed" };
  if (action === "dispute") {
    const reason = (body as DisputeBody).reason?.trim();
    if (!reason) throw new ValidationError([{ field: "/body/reason", rule: "required", message: "a reason is required" }]);
    return { status: "completed", reason };
  }
  const { contractAmountFen, extrasFen = 0 } = body as ContractAmountBody;
  const extrasReason = (body as ContractAmountBody).extrasReason?.trim() || undefined;
  requireExtrasReason(extrasFen, extrasReason);
  checkWithinPrice(priceFen, contractAmountFen, extrasFen);
  return { status: "completed", contractAmountFen, ...(extrasFen ? { extrasFen, extrasReason } : {}) };
}
