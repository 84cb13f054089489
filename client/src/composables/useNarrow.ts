// Whether the screen is phone-sized: the shell swaps its side menu for a drawer and pages swap wide
// tables for card lists. One media-query listener shared by every caller.
import { readonly, ref, type Ref } from "vue";

/** Matches the `@media (max-width: 768px)` rules in styles.css and the views' scoped styles. */
export const NARROW_QUERY = "(max-width: 768px)";

let narrow: Ref<boolean> | undefined;

export function useNarrow(): Readonly<Ref<boolean>> {
  if (!narrow) {
    const query = window.matchMedia(NARROW_QUERY);
    narrow = ref(query.matches);
    query.addEventListener("change", (event) => (narrow!.value = event.matches));
  }
  return readonly(narrow);
}
