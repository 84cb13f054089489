// Who is logged in: the /api/me answer (user, organization summary, roles) and the auth actions.
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import type { LoginBody, Me, RegisterBody, UpdateMeBody } from "@shared/schemas/accounts";
import type { OrgType, Role } from "@shared/enums";
import { ApiError } from "../api/http";
import { authApi, meApi } from "../api/accounts";
import { useLocaleStore } from "./locale";

export const useSessionStore = defineStore("session", () => {
  const me = ref<Me | null>(null);
  let loading: Promise<void> | null = null;

  const user = computed(() => me.value?.user ?? null);
  const organization = computed(() => me.value?.organization ?? null);
  const roles = computed<Role[]>(() => me.value?.roles ?? []);
  const isLoggedIn = computed(() => me.value !== null);
  const orgType = computed<OrgType | null>(() => organization.value?.type ?? null);
  const isOrgAdmin = computed(() => roles.value.some((role) => role.endsWith("_admin")));

  function setMe(next: Me | null) {
    me.value = next;
    // A language chosen on this browser wins; otherwise adopt the one saved in the profile.
    const locale = useLocaleStore();
    if (next && !locale.hasStoredChoice()) locale.apply(next.user.locale);
  }

  async function refresh(): Promise<void> {
    try {
      setMe(await meApi.get());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setMe(null);
      else throw error;
    }
  }

  /** Loads /api/me once per page load; route guards await it. */
  function ensureLoaded(): Promise<void> {
    loading ??= refresh().catch(() => {
      loading = null; // the server was unreachable: try again on the next navigation
    });
    return loading;
  }

  async function login(body: LoginBody) {
    await authApi.login(body);
    await refresh();
  }

  async function register(body: RegisterBody) {
    await authApi.register(body);
    await refresh();
  }

  async function logout() {
    try {
      await authApi.logout();
    } finally {
      setMe(null);
    }
  }

  async function updateProfile(body: UpdateMeBody) {
    const updated = await meApi.update(body);
    if (me.value) me.value = { ...me.value, user: updated };
  }

  return {
    me,
    user,
    organization,
    roles,
    isLoggedIn,
    orgType,
    isOrgAdmin,
    setMe,
    refresh,
    ensureLoaded,
    login,
    register,
    logout,
    updateProfile,
  };
});
