// Who may publish and change catalog entries: an approved provider's own members, or the bureau on
// a provider's behalf. The provider's name, kind and county are copied onto what it publishes
// (search reads one collection; FerretDB has no $lookup) and refreshed on every write.
import type { ProviderKind, ProviderLocation } from "../../../shared/enums";
import { ForbiddenError, ValidationError } from "../../errors";
import { isBureau, isMemberOf, type Actor } from "../accounts/actor";
import type { ProviderDoc } from "../accounts/model";

export interface ProviderCopy {
  providerId: string;
  providerName: string;
  providerKind: ProviderKind;
  county: ProviderLocation;
}

/** Reads a provider as of its last registration event (accounts' OrgStream heals stale projections). */
export type ProviderLookup = (providerId: string) => Promise<ProviderDoc | null>;

export class Publishers {
  constructor(private readonly findProvider: ProviderLookup) {}

  /** The provider a new entry belongs to: the caller's own, or the one the bureau names. */
  async forCreate(actor: Actor, providerId: string | undefined): Promise<ProviderCopy> {
    if (isBureau(actor)) {
      if (!providerId) {
        throw new ValidationError([{ field: "/body/providerId", rule: "required", message: "the bureau names the provider it publishes for" }]);
      }
      const provider = await this.findProvider(providerId);
      if (!provider) {
        throw new ValidationError([{ field: "/body/providerId", rule: "exists", message: "no such provider" }]);
      }
      return this.approved(provider);
    }
    const own = actor.membership?.orgType === "provider" ? actor.membership.orgId : undefined;
    if (!own || (providerId !== undefined && providerId !== own)) throw new ForbiddenError();
    return this.forEdit(actor, own);
  }

  /** The owning provider, freshly read, if the caller may change its entries. */
  async forEdit(actor: Actor, providerId: string): Promise<ProviderCopy> {
    if (!isBureau(actor) && !(actor.membership?.orgType === "provider" && isMemberOf(actor, providerId))) {
      throw new ForbiddenError();
    }
    const provider = await this.findProvider(providerId);
    if (!provider) throw new ForbiddenError("PROVIDER_NOT_APPROVED");
    return this.approved(provider);
  }

  /** Whether a partner's instrument may go into a package: its provider is approved. */
  async isApproved(providerId: string): Promise<boolean> {
    return (await this.findProvider(providerId))?.status === "approved";
  }

  private approved(provider: ProviderDoc): ProviderCopy {
    if (provider.status !== "approved") throw new ForbiddenError("PROVIDER_NOT_APPROVED");
    return { providerId: provider._id, providerName: provider.name, providerKind: provider.kind, county: provider.county };
  }
}
