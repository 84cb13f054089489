// Who holds a unified social credit code or a provider name. A unique index on the organization
// cannot express "unique among live registrations" (a rejected or revoked registration keeps its
// code in its history), so the holder is the head of a chain of claims `<key>:<gen>`: taking a key
// is the insert of the next gen, allowed only when the current head is dead. Racing registrants
// insert the same `_id`: one wins (100 parallel registrations of one code → one enterprise).
import type { Model } from "mongoose";
import { isDuplicateKeyError } from "../../db/errors";
import type { RegistrationClaimDoc } from "./model";

/**
 * A claim whose organization is not (yet) written, or whose round's event is not yet written, is
 * treated as live for this long: the registration is in flight. After that, a crash left it behind.
 */
export const CLAIM_IN_FLIGHT_MS = 60_000;

/** Whether a claim still holds its key: its organization is pending or approved in that round. */
export type ClaimLiveness = (claim: RegistrationClaimDoc) => Promise<boolean>;

export class RegistrationClaims {
  constructor(private readonly claims: Model<RegistrationClaimDoc>) {}

  /** The current holder's claim: the highest gen, found by `_id` reads (keys rarely change hands). */
  async head(key: string): Promise<RegistrationClaimDoc | null> {
    let head: RegistrationClaimDoc | null = null;
    for (let gen = 1; ; gen++) {
      const next = await this.claims.findById(`${key}:${gen}`).lean<RegistrationClaimDoc>();
      if (!next) return head;
      head = next;
    }
  }

  /**
   * Takes `key` for `orgId`'s review `round`. Returns the claim (`created`: by this call, so it may
   * give it back if the registration then fails), or null if a live holder has it. `legacyHolder` answers for keys
   * never claimed (organizations registered before claims existed, e.g. by the demo seed).
   */
  async take(
    key: string,
    orgId: string,
    round: number,
    isLive: ClaimLiveness,
    legacyHolder: () => Promise<boolean>,
  ): Promise<{ id: string; created: boolean } | null> {
    const head = await this.head(key);
    if (head?.orgId === orgId && head.round === round) return { id: head._id, created: false }; // a retry of this round
    if (head ? await isLive(head) : await legacyHolder()) return null;
    const gen = (head?.gen ?? 0) + 1;
    const _id = `${key}:${gen}`;
    try {
      await this.claims.create({ _id, key, gen, orgId, round, at: new Date() });
      return { id: _id, created: true };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const winner = await this.claims.findById(_id).lean<RegistrationClaimDoc>();
      return winner?.orgId === orgId && winner.round === round ? { id: _id, created: false } : null;
    }
  }

  /** Gives back a claim this request took (exact `_id`: nobody else can hold that gen). */
  async giveBack(claimId: string): Promise<void> {
    await this.claims.deleteOne({ _id: claimId });
  }
}

export function creditCodeKey(code: string): string {
  return `credit:${code}`;
}

export function providerNameClaimKey(key: string): string {
  return `provider:${key}`;
}
