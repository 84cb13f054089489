// One week of an instrument's availability, kept live: loaded for [from, to), patched in place by
// `availability:changed` while the instrument is watched, loaded again after a reconnect (events may
// have been missed). A slot whose free count just dropped flashes for a moment.
import { computed, onScopeDispose, reactive, ref, watch, type Ref } from "vue";
import type { Availability } from "@shared/schemas/scheduling";
import { availabilityApi } from "../api/scheduling";
import { ApiError } from "../api/http";
import { isLive, onReconnect, onServerEvent, watchInstrument } from "../realtime/socket";

export interface SlotView {
  start: string;
  end: string;
  startMs: number;
  endMs: number;
  free: number;
}

const FLASH_MS = 2500;

export function useAvailability(instrumentId: Ref<string | null>, range: Ref<{ from: string; to: string } | null>) {
  const slots = ref<SlotView[]>([]);
  const meta = ref<Omit<Availability, "slots"> | null>(null);
  const loading = ref(false);
  const error = ref("");
  /** startMs of the slots that just lost capacity. */
  const flashing = reactive(new Set<number>());
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let latest = 0;

  async function load() {
    const id = instrumentId.value;
    const bounds = range.value;
    if (!id || !bounds) return;
    const request = ++latest;
    loading.value = true;
    error.value = "";
    try {
      const answer = await availabilityApi.get(id, bounds.from, bounds.to);
      if (request !== latest) return;
      const { slots: list, ...rest } = answer;
      meta.value = rest;
      slots.value = list
        .map((s) => ({ ...s, startMs: Date.parse(s.start), endMs: Date.parse(s.end) }))
        .sort((a, b) => a.startMs - b.startMs);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (request === latest) error.value = e.message;
    } finally {
      if (request === latest) loading.value = false;
    }
  }

  function flash(startMs: number) {
    flashing.add(startMs);
    const timer = setTimeout(() => {
      flashing.delete(startMs);
      timers.delete(timer);
    }, FLASH_MS);
    timers.add(timer);
  }

  onServerEvent("availability:changed", ({ instrumentId: changed, changes }) => {
    if (changed !== instrumentId.value) return;
    const byStart = new Map(slots.value.map((slot) => [slot.startMs, slot]));
    for (const change of changes) {
      const slot = byStart.get(Date.parse(change.start));
      if (!slot) continue; // another week
      if (change.free < slot.free) flash(slot.startMs);
      slot.free = change.free;
    }
  });
  onReconnect(() => void load());

  let unwatch: (() => void) | null = null;
  watch(
    instrumentId,
    (id) => {
      unwatch?.();
      unwatch = id ? watchInstrument(id) : null;
    },
    { immediate: true },
  );
  watch([instrumentId, range], () => void load(), { immediate: true, deep: true });
  onScopeDispose(() => {
    unwatch?.();
    for (const timer of timers) clearTimeout(timer);
  });

  const live = computed(() => !!instrumentId.value && isLive(instrumentId.value));
  return { slots, meta, loading, error, flashing, live, load };
}

export type SlotState = "free" | "taken" | "past" | "blackout";

/** What a slot is to someone booking now: started slots are past, downtime wins over free counts. */
export function slotState(slot: SlotView, now: number, blackouts: readonly { start: string; end: string }[]): SlotState {
  if (slot.startMs < now) return "past";
  if (blackouts.some((b) => Date.parse(b.start) < slot.endMs && Date.parse(b.end) > slot.startMs)) return "blackout";
  return slot.free > 0 ? "free" : "taken";
}
