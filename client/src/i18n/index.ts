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

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: storedLocale() ?? "zh-CN",
  fallbackLocale: "zh-CN",
  messages: { "zh-CN": zhCN, en },
});

export function currentLocale(): Locale {
  return i18n.global.locale.value;
}
