import { i18n } from '@lingui/core';
import type { Locale } from '../api/types.js';
import { messages as en } from '../locales/en.js';
import { messages as fr } from '../locales/fr.js';
import { messages as ru } from '../locales/ru.js';

export const LOCALES: readonly Locale[] = ['en', 'fr', 'ru'];
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', fr: 'Français', ru: 'Русский' };

i18n.load({ en, fr, ru });
i18n.activate(initialLocale());
if (typeof document !== 'undefined') {
  document.documentElement.lang = i18n.locale;
}

/** Chooses the first locale: the last one used on this device, else the browser's. Why: sign-in is translated too. */
function initialLocale(): Locale {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem('sb_locale');
  if (isLocale(stored)) {
    return stored;
  }
  const browser = typeof navigator === 'undefined' ? 'en' : navigator.language.slice(0, 2);
  return isLocale(browser) ? browser : 'en';
}

/** True for a locale the app ships. Why: the user's stored locale comes from the server or storage. */
function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'fr' || value === 'ru';
}

/** Switches the UI language and remembers it on this device. Why: the server keeps it per user too. */
export function activateLocale(locale: Locale): void {
  if (i18n.locale !== locale) {
    i18n.activate(locale);
  }
  localStorage.setItem('sb_locale', locale);
  document.documentElement.lang = locale;
}

export { i18n };
