// One statistics request of the dashboard: its answer, loading and error (the server's message),
// re-run by `load`. A later call wins over an earlier one still in flight (a quick change of range).
import { ref, shallowRef, type Ref } from "vue";
import { ApiError } from "../api/http";

export function useStatsQuery<T>(fetch: () => Promise<T>) {
  const data = shallowRef<T | null>(null) as Ref<T | null>;
  const loading = ref(false);
  const error = ref("");
  let run = 0;

  async function load() {
    const mine = ++run;
    loading.value = true;
    error.value = "";
    try {
      const value = await fetch();
      if (mine === run) data.value = value;
    } catch (e) {
      if (mine !== run) return;
      if (!(e instanceof ApiError)) throw e;
      error.value = e.message;
      data.value = null;
    } finally {
      if (mine === run) loading.value = false;
    }
  }

  return { data, loading, error, load };
}
