// One vue-i18n instance for the app; the API client reads the current locale from here too.
import { createI18n } from "vue-i18n";
import { LOCALES, type Locale } from "@shared/enums";
import zhCN, { type Messages } from "./zh-CN";
import en from "./en";

export const LOCALE_STORAGE_KEY = "labshare.locale";

function isLocale(value: unknown): value is Locale {
  return (LOCALES as readonly unknown[]).includes(value);
}

/** The locale the user chose earlier on this browser, if any. */
export function storedLocale(): Locale | null {
  try {
    const value = localStorage.getItem(LOCALE_STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null; // storage disabled (private mode): fall back to the default
  }
}

/**
 * The browser's language on a first visit (navigator.languages mirrors its Accept-Language): the
 * first of them that we speak, English or Chinese in any variant; anything else reads Chinese.
 */
export function browserLocale(languages: readonly string[] = navigator.languages ?? [navigator.language]): Locale {
  for (const tag of languages) {
    const primary = tag.toLowerCase().split("-")[0];
    if (primary === "zh") return "zh-CN";
    if (primary === "en") return "en";
  }
  return "zh-CN";
}

// A choice made on this browser wins; then the profile's (stores/session.ts); then the browser's.
export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: storedLocale() ?? browserLocale(),
  fallbackLocale: "zh-CN",
  messages: { "zh-CN": zhCN, en },
});

export function currentLocale(): Locale {
  return i18n.global.locale.value;
}
