// Live updates over Socket.IO, same origin, authenticated by the session cookie. The socket lives
// as long as the login; the server moves it into an organization's room when the user joins one.
import { watch } from "vue";
import { io, type Socket } from "socket.io-client";
import { ElNotification } from "element-plus";
import type { ClientToServerEvents, OrganizationReviewed, ServerToClientEvents } from "@shared/events";
import { i18n } from "../i18n";
import { useSessionStore } from "../stores/session";

type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: AppSocket | null = null;

function close() {
  socket?.disconnect();
  socket = null;
}

function open(onReviewed: (payload: OrganizationReviewed) => void) {
  close();
  socket = io({ path: "/socket.io", withCredentials: true });
  socket.on("organization:reviewed", onReviewed);
}

/** Call once after the app is set up: keeps the socket in step with the session. */
export function startRealtime() {
  const session = useSessionStore();

  async function onReviewed(payload: OrganizationReviewed) {
    await session.refresh(); // the event carries ids only; /api/me is the truth
    const { t } = i18n.global;
    ElNotification({
      title: t("notify.reviewedTitle"),
      message: t(payload.status === "approved" ? "notify.reviewedApproved" : "notify.reviewedRejected"),
      type: payload.status === "approved" ? "success" : "warning",
    });
  }

  // Keyed on the user id, so refreshing /api/me does not reopen the socket.
  watch(
    () => session.user?.id,
    (userId) => (userId ? open(onReviewed) : close()),
    { immediate: true },
  );
}
