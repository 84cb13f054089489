// A paged list fetched from the API: rows, total, page and size, loading and error, and answers to
// superseded requests dropped. Filters in `reloadOn` start again on page 1; `typing` (a search box)
// does too, after a pause.
import { onScopeDispose, ref, watch, type Ref, type WatchSource } from "vue";
import type { PageOf } from "@shared/schemas/common";
import { ApiError } from "../api/http";

interface PagedListOptions {
  reloadOn?: WatchSource[];
  typing?: WatchSource<string>;
  pageSize?: number;
}

export function usePagedList<T>(fetch: (page: number, pageSize: number) => Promise<PageOf<T>>, options: PagedListOptions = {}) {
  const rows = ref([]) as Ref<T[]>;
  const total = ref(0);
  const page = ref(1);
  const pageSize = ref(options.pageSize ?? 20);
  const loading = ref(false);
  const error = ref("");
  let latest = 0;

  async function load() {
    const request = ++latest;
    loading.value = true;
    error.value = "";
    try {
      const result = await fetch(page.value, pageSize.value);
      if (request !== latest) return;
      rows.value = result.items;
      total.value = result.total;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (request === latest) error.value = e.message;
    } finally {
      if (request === latest) loading.value = false;
    }
  }

  function reload() {
    if (page.value === 1) void load();
    else page.value = 1; // the page watcher loads
  }

  watch(page, () => void load());
  watch([pageSize, ...(options.reloadOn ?? [])], reload);
  if (options.typing) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    watch(options.typing, () => {
      clearTimeout(timer);
      timer = setTimeout(reload, 300);
    });
    onScopeDispose(() => clearTimeout(timer));
  }
  void load();
  return { rows, total, page, pageSize, loading, error, load };
}
