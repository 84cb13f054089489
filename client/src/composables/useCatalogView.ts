// Cards or table for the catalog's instruments: the URL says which (so a link shares it), and
// without `?view=` the user's last choice, kept in localStorage, applies.
import { computed, ref } from "vue";
import { useRouter } from "vue-router";
import { CATALOG_VIEWS, catalogQueryOf, type CatalogState, type CatalogViewMode } from "./useCatalogQuery";

export const CATALOG_VIEW_KEY = "labshare.catalogView";

function storedView(): CatalogViewMode {
  try {
    const value = localStorage.getItem(CATALOG_VIEW_KEY);
    return (CATALOG_VIEWS as readonly string[]).includes(value ?? "") ? (value as CatalogViewMode) : "cards";
  } catch {
    return "cards"; // storage blocked (private mode): cards, as on a first visit
  }
}

export function useCatalogView(state: { value: CatalogState }) {
  const router = useRouter();
  const remembered = ref(storedView());
  const view = computed<CatalogViewMode>(() => (state.value.tab === "instruments" ? (state.value.view ?? remembered.value) : "cards"));

  /** Switches the view in place: the same results and page, no new history entry. */
  function setView(next: CatalogViewMode) {
    remembered.value = next;
    try {
      localStorage.setItem(CATALOG_VIEW_KEY, next);
    } catch {
      /* not remembered across visits; the URL still carries it */
    }
    void router.replace({ query: catalogQueryOf({ ...state.value, view: next }) });
  }

  return { view, setView };
}
