// A short, unpaged list fetched from the API ({items}): the rows, loading and error (the server's
// message), loaded on mount; `load` reloads it after a change.
import { onMounted, ref, type Ref } from "vue";
import { ApiError } from "../api/http";

export function useItemList<T>(fetch: () => Promise<{ items: T[] }>) {
  const items = ref([]) as Ref<T[]>;
  const loading = ref(true);
  const error = ref("");

  async function load() {
    loading.value = true;
    error.value = "";
    try {
      items.value = (await fetch()).items;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      error.value = e.message;
    } finally {
      loading.value = false;
    }
  }

  onMounted(load);
  return { items, loading, error, load };
}
