// The interface language: remembered on this browser, applied to vue-i18n, Element Plus (through
// the config provider in App.vue) and <html lang>.
import { defineStore } from "pinia";
import { computed } from "vue";
import type { Locale } from "@shared/enums";
import { i18n, LOCALE_STORAGE_KEY, storedLocale } from "../i18n";

export const useLocaleStore = defineStore("locale", () => {
  const locale = computed(() => i18n.global.locale.value);

  function apply(next: Locale) {
    i18n.global.locale.value = next;
    document.documentElement.lang = next;
    document.title = i18n.global.t("app.name");
  }

  function setLocale(next: Locale) {
    apply(next);
    try {
      localStorage.setItem(LOCALE_STORAGE_KEY, next);
    } catch {
      // storage disabled: the choice lasts for this page only
    }
  }

  /** Whether the visitor ever chose a language here (then it wins over the profile's). */
  const hasStoredChoice = () => storedLocale() !== null;

  return { locale, apply, setLocale, hasStoredChoice };
});
