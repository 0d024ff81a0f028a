import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en";
import zhCN from "./zh-CN";
import type { Language as LanguageSetting } from "../api/types";

export const SUPPORTED_LANGUAGES = ["en", "zh-CN"] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

/** Picks the UI language from a BCP 47 tag (e.g. `navigator.language`): any `zh*` → zh-CN, else en. */
export function pickLanguage(tag: string | null | undefined): Language {
  return tag?.trim().toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

/** The UI language for the language setting: "system" follows `navigator.language`. */
export function resolveLanguage(setting: LanguageSetting, systemTag = globalThis.navigator?.language): Language {
  return setting === "system" ? pickLanguage(systemTag) : setting;
}

export const resources = {
  en: { translation: en },
  "zh-CN": { translation: zhCN },
} as const;

/** Initialises i18next once; later calls return the same instance. */
export function initI18n(language: Language = pickLanguage(globalThis.navigator?.language)) {
  if (!i18n.isInitialized) {
    void i18n.use(initReactI18next).init({
      resources,
      lng: language,
      fallbackLng: "en",
      supportedLngs: [...SUPPORTED_LANGUAGES],
      interpolation: { escapeValue: false }, // React escapes already.
      initAsync: false,
    });
  } else if (i18n.language !== language) {
    void i18n.changeLanguage(language);
  }
  document.documentElement.lang = i18n.language;
  return i18n;
}

/** Switches the UI language (from the settings). */
export function applyLanguage(setting: LanguageSetting) {
  const lang = resolveLanguage(setting);
  if (i18n.language !== lang) void i18n.changeLanguage(lang);
  document.documentElement.lang = lang;
}

export default i18n;
