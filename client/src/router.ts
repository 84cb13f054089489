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

export const router = createRouter({
  history: createWebHistory(),
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
