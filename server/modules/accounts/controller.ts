// The bureau's verified actual controller (实际控制人) of an enterprise (issue 10): enterprises with the
// same one share one voucher quota. Recorded as the event "controller_set" on the organization's
// stream, so it races with reviews like any other decision and heals like them.
import type { Enterprise } from "../../../shared/schemas/accounts";
import { cleanName } from "../../../shared/normalize";
import { appendEvent, type EventModel } from "../../db/event-store";
import { ConflictError, NotFoundError } from "../../errors";
import type { Actor } from "./actor";
import type { EnterpriseDoc } from "./model";
import type { OrgStream } from "./org-stream";
import { presentEnterprise } from "./organizations";

export async function setActualController(stream: OrgStream, events: EventModel, actor: Actor, id: string, value: string | null): Promise<Enterprise> {
  const actualController = value === null ? null : cleanName(value) || null;
  for (let attempt = 0; attempt < 5; attempt++) {
    const doc = (await stream.load("enterprise", id)) as EnterpriseDoc | null;
    if (!doc) throw new NotFoundError();
    if ((doc.actualController ?? null) === actualController) return presentEnterprise(doc);
    const seq = doc.version + 1;
    if (await appendEvent(events, { aggregateId: id, seq, type: "controller_set", data: { actualController }, actorId: actor.userId })) {
      return presentEnterprise((await stream.heal("enterprise", doc)) as EnterpriseDoc);
    }
  }
  throw new ConflictError();
}
