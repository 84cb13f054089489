// Routes and the guard that sends anonymous visitors to /login?redirect=... and keeps pages to
// the roles that may use them.
import { createRouter, createWebHistory, type RouteLocationNormalized } from "vue-router";
import type { Role } from "@shared/enums";
import { useSessionStore } from "./stores/session";

declare module "vue-router" {
  interface RouteMeta {
    requiresAuth?: boolean;
    /** Only for visitors (login): a logged-in user is sent on. */
    guestOnly?: boolean;
    roles?: readonly Role[];
  }
}

export const BUREAU_ROLES: readonly Role[] = ["bureau_admin", "bureau_reviewer"];
export const PROVIDER_ROLES: readonly Role[] = ["provider_admin", "provider_staff"];
export const ENTERPRISE_ROLES: readonly Role[] = ["enterprise_admin", "enterprise_member"];
const providerOnly = { requiresAuth: true, roles: PROVIDER_ROLES } as const;

export const router = createRouter({
  history: createWebHistory(),
  // Back/forward restores where the reader was; a new page starts at the top.
  scrollBehavior: (to, from, saved) => saved ?? (to.path !== from.path ? { top: 0 } : undefined),
  routes: [
    { path: "/", name: "home", component: () => import("./views/HomeView.vue") },
    { path: "/login", name: "login", component: () => import("./views/LoginView.vue"), meta: { guestOnly: true } },
    { path: "/register", name: "register", component: () => import("./views/RegisterView.vue") },
    {
      path: "/account",
      name: "account",
      component: () => import("./views/AccountView.vue"),
      meta: { requiresAuth: true },
    },
    {
      path: "/invitations/:token",
      name: "invitation",
      component: () => import("./views/InvitationView.vue"),
      meta: { requiresAuth: true },
    },
    {
      path: "/bureau/registrations",
      name: "registrations",
      component: () => import("./views/RegistrationsView.vue"),
      meta: { requiresAuth: true, roles: BUREAU_ROLES },
    },
    // Innovation vouchers (创新券, issue 10): the enterprise's quota, vouchers and claims; the bureau's
    // claim review, settlement and policy; the provider's subsidies.
    { path: "/vouchers", name: "my-vouchers", component: () => import("./views/vouchers/MyVouchersView.vue"), meta: { requiresAuth: true, roles: ENTERPRISE_ROLES } },
    { path: "/bureau/claims", name: "claim-review", component: () => import("./views/bureau/ClaimReviewView.vue"), meta: { requiresAuth: true, roles: BUREAU_ROLES } },
    { path: "/bureau/settlements", name: "settlements", component: () => import("./views/bureau/SettlementsView.vue"), meta: { requiresAuth: true, roles: BUREAU_ROLES } },
    { path: "/bureau/audit", name: "audit-log", component: () => import("./views/bureau/AuditLogView.vue"), meta: { requiresAuth: true, roles: BUREAU_ROLES } },
    { path: "/bureau/policy", name: "policy", component: () => import("./views/bureau/PolicyView.vue"), meta: { requiresAuth: true, roles: BUREAU_ROLES } },
    // Oversight (issue 12): the year's budget, provider scorecards, collusion signals for review.
    { path: "/bureau/budget", name: "budget", component: () => import("./views/bureau/BudgetView.vue"), meta: { requiresAuth: true, roles: BUREAU_ROLES } },
    { path: "/bureau/scorecards", name: "scorecards", component: () => import("./views/bureau/ScorecardsView.vue"), meta: { requiresAuth: true, roles: BUREAU_ROLES } },
    { path: "/bureau/signals", name: "signals", component: () => import("./views/bureau/SignalsView.vue"), meta: { requiresAuth: true, roles: BUREAU_ROLES } },
    // Statistics (issue 12): the dashboard and the printable monthly report; ECharts loads with them.
    { path: "/stats", name: "stats", component: () => import("./views/bureau/StatsDashboardView.vue"), meta: { requiresAuth: true, roles: BUREAU_ROLES } },
    { path: "/stats/report", name: "stats-report", component: () => import("./views/bureau/StatsReportView.vue"), meta: { requiresAuth: true, roles: BUREAU_ROLES } },
    { path: "/provider/subsidies", name: "provider-subsidies", component: () => import("./views/provider/ProviderSubsidiesView.vue"), meta: providerOnly },
    // Live utilization (issue 12): the bureau's whole platform, a provider's own instruments.
    { path: "/stats/live", name: "stats-live", component: () => import("./views/StatsLiveView.vue"), meta: { requiresAuth: true, roles: [...BUREAU_ROLES, ...PROVIDER_ROLES] } },
    // Provider admission notices (公示) are public; objecting needs a login (issue 10).
    { path: "/notices", name: "notices", component: () => import("./views/NoticesView.vue") },
    // The catalog is public: enterprises look before they register.
    { path: "/catalog", name: "catalog", component: () => import("./views/CatalogView.vue") },
    { path: "/instruments/:id", name: "instrument", component: () => import("./views/InstrumentDetailView.vue") },
    { path: "/packages/:id", name: "package", component: () => import("./views/PackageDetailView.vue") },
    {
      path: "/bookings",
      name: "bookings",
      component: () => import("./views/BookingsView.vue"),
      meta: { requiresAuth: true, roles: ENTERPRISE_ROLES },
    },
    // Both sides of a booking open it (the server answers only to those it concerns).
    {
      path: "/bookings/:id",
      name: "booking",
      component: () => import("./views/BookingDetailView.vue"),
      meta: { requiresAuth: true },
    },
    // The printable booking slip (预约单, issue 11): the same people see it as the booking.
    {
      path: "/bookings/:id/slip",
      name: "booking-slip",
      component: () => import("./views/BookingSlipView.vue"),
      meta: { requiresAuth: true },
    },
    {
      path: "/provider/bookings",
      name: "provider-bookings",
      component: () => import("./views/provider/ProviderBookingsView.vue"),
      meta: providerOnly,
    },
    {
      path: "/provider/instruments",
      name: "provider-instruments",
      component: () => import("./views/provider/ProviderInstrumentsView.vue"),
      meta: providerOnly,
    },
    {
      path: "/provider/instruments/new",
      name: "provider-instrument-new",
      component: () => import("./views/provider/InstrumentFormView.vue"),
      meta: providerOnly,
    },
    {
      path: "/provider/instruments/:id/edit",
      name: "provider-instrument-edit",
      component: () => import("./views/provider/InstrumentFormView.vue"),
      meta: providerOnly,
    },
    {
      path: "/provider/packages",
      name: "provider-packages",
      component: () => import("./views/provider/ProviderPackagesView.vue"),
      meta: providerOnly,
    },
    {
      path: "/provider/partner-requests",
      name: "provider-partner-requests",
      component: () => import("./views/provider/PartnerRequestsView.vue"),
      meta: providerOnly,
    },
    {
      path: "/provider/packages/new",
      name: "provider-package-new",
      component: () => import("./views/provider/PackageFormView.vue"),
      meta: providerOnly,
    },
    {
      path: "/provider/packages/:id/edit",
      name: "provider-package-edit",
      component: () => import("./views/provider/PackageFormView.vue"),
      meta: providerOnly,
    },
    { path: "/:pathMatch(.*)*", name: "not-found", component: () => import("./views/NotFoundView.vue") },
  ],
});

/** Only same-site paths are followed after login, never an absolute URL. */
export function safeRedirect(value: unknown): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

router.beforeEach(async (to: RouteLocationNormalized) => {
  const session = useSessionStore();
  await session.ensureLoaded();
  if (to.meta.requiresAuth && !session.isLoggedIn) {
    return { name: "login", query: { redirect: to.fullPath } };
  }
  if (to.meta.guestOnly && session.isLoggedIn) return safeRedirect(to.query.redirect);
  if (to.meta.roles && !session.roles.some((role) => to.meta.roles!.includes(role))) {
    return { name: "home" };
  }
  return true;
});
