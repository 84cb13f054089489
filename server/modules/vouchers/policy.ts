// Voucher policy versions (configuration, versioned by effective date). A version is the insert of
// `_id = <effectiveFrom>`: it takes effect from a future day only, so nothing already computed
// under the policy in force changes (history is never rewritten). The article's numbers are the
// version in force from DEFAULT_POLICY_FROM, stored on first use so the database holds the history.
import { DateTime } from "luxon";
import type { Policy, PolicyCreateBody, PolicyList } from "../../../shared/schemas/vouchers";
import { CITY_ZONE, DEFAULT_POLICY_FROM, DEFAULT_POLICY_TERMS, BP } from "../../../shared/voucher-split";
import { isDuplicateKeyError } from "../../db/errors";
import { ConflictError, RuleError, ValidationError } from "../../errors";
import type { Actor } from "../accounts/actor";
import type { PolicyDoc, VoucherModels } from "./model";

/** The city's calendar day of an instant, YYYY-MM-DD. */
export const cityDay = (ms: number): string => DateTime.fromMillis(ms, { zone: CITY_ZONE }).toISODate()!;

export function presentPolicy(doc: PolicyDoc): Policy {
  const { _id, createdBy: _by, createdAt, note, ...terms } = doc;
  return { id: _id, effectiveFrom: _id, ...terms, ...(note ? { note } : {}), createdAt: new Date(createdAt).toISOString() } as Policy;
}

export class PolicyService {
  private seeded?: Promise<void>;

  constructor(
    private readonly m: VoucherModels,
    private readonly now: () => number,
  ) {}

  private ensureDefault(): Promise<void> {
    return (this.seeded ??= this.m.policies
      .create({ _id: DEFAULT_POLICY_FROM, ...DEFAULT_POLICY_TERMS, createdBy: null, createdAt: new Date() })
      .then(() => undefined, (err: unknown) => {
        if (!isDuplicateKeyError(err)) {
          this.seeded = undefined;
          throw err;
        }
      }));
  }

  /** Every version, oldest first (a handful of documents: read whole, no cache, so every process agrees). */
  async versions(): Promise<PolicyDoc[]> {
    await this.ensureDefault();
    const docs = await this.m.policies.find({}).lean<PolicyDoc[]>();
    return docs.sort((a, b) => a._id.localeCompare(b._id));
  }

  /** The version in force on a city day (YYYY-MM-DD). */
  async inForce(day: string): Promise<PolicyDoc> {
    const versions = await this.versions();
    return versions.filter((v) => v._id <= day).at(-1) ?? versions[0]!;
  }

  async list(): Promise<PolicyList> {
    const versions = await this.versions();
    const today = cityDay(this.now());
    return { items: versions.map(presentPolicy), inForce: versions.filter((v) => v._id <= today).at(-1)!._id };
  }

  async create(actor: Actor, body: PolicyCreateBody): Promise<Policy> {
    const earliest = DateTime.fromMillis(this.now(), { zone: CITY_ZONE }).plus({ days: 1 }).toISODate()!;
    if (body.effectiveFrom < earliest) throw new RuleError("POLICY_NOT_FUTURE", { earliest });
    for (const [field, province] of [["provinceBpInCity", body.provinceBpInCity], ["provinceBpElsewhere", body.provinceBpElsewhere]] as const) {
      if (province + body.cityBp > BP) {
        throw new ValidationError([{ field: `/body/${field}`, rule: "maximum", message: "province + city must not exceed 100%", params: { limit: BP - body.cityBp } }]);
      }
    }
    const { effectiveFrom, note, ...terms } = body;
    const doc: PolicyDoc = { _id: effectiveFrom, ...terms, ...(note?.trim() ? { note: note.trim() } : {}), createdBy: actor.userId, createdAt: new Date(this.now()) };
    await this.ensureDefault();
    try {
      await this.m.policies.create(doc);
    } catch (err) {
      if (isDuplicateKeyError(err)) throw new ConflictError("POLICY_DATE_TAKEN", { date: effectiveFrom });
      throw err;
    }
    return presentPolicy(doc);
  }
}
