// The catalog entry (instrument or package) named by the route's :id, for its detail page and its
// edit form: loaded again when the id changes, with the not-found and error states. Without an id
// (a "new" form) there is no entry. `loaded` hears of every entry shown, null for none.
import { ref, watch, type Ref } from "vue";
import { useRoute } from "vue-router";
import { ApiError } from "../api/http";

export function useCatalogEntry<T extends { id: string }>(fetch: (id: string) => Promise<T>, loaded?: (entry: T | null) => void) {
  const route = useRoute();
  const entry = ref(null) as Ref<T | null>;
  const loading = ref(false);
  const notFound = ref(false);
  const error = ref("");

  async function load(id: string | null) {
    notFound.value = false;
    error.value = "";
    if (id === null) {
      entry.value = null;
      loaded?.(null);
      return;
    }
    if (entry.value?.id === id) return; // the form just created it and moved to its address
    loading.value = true;
    try {
      entry.value = await fetch(id);
      loaded?.(entry.value);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      entry.value = null;
      if (e.status === 404) notFound.value = true;
      else error.value = e.message;
    } finally {
      loading.value = false;
    }
  }

  watch(
    () => route.params.id,
    (id) => void load(typeof id === "string" ? id : null),
    { immediate: true },
  );
  return { entry, loading, notFound, error };
}
