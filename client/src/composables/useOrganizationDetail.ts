// The full record (credit code, county, review note...) of the current user's organization; the
// session only holds its summary. Refetched whenever the summary's status changes (e.g. live).
import { ref, watch } from "vue";
import type { Enterprise, Provider } from "@shared/schemas/accounts";
import { enterpriseApi, providerApi } from "../api/accounts";
import { useSessionStore } from "../stores/session";

export type OrganizationDetail = ({ type: "enterprise" } & Enterprise) | ({ type: "provider" } & Provider);

export function useOrganizationDetail() {
  const session = useSessionStore();
  const detail = ref<OrganizationDetail | null>(null);

  async function load() {
    const org = session.organization;
    if (!org || org.type === "bureau") {
      detail.value = null;
      return;
    }
    try {
      detail.value =
        org.type === "enterprise"
          ? { type: "enterprise", ...(await enterpriseApi.get(org.id)) }
          : { type: "provider", ...(await providerApi.get(org.id)) };
    } catch {
      detail.value = null; // the summary is still shown; details are a bonus
    }
  }

  watch(() => `${session.organization?.id ?? ""}:${session.organization?.status ?? ""}`, load, { immediate: true });
  return { detail, reload: load };
}
