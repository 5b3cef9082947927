/**
 * The user's language and theme. Both are remembered in localStorage; until the user picks a
 * theme it follows the OS (prefers-color-scheme), and until they pick a language it follows the
 * browser's. The environment is passed in so the store runs in unit tests without a browser.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { isLocale, localeFromLanguages, type Locale } from '../i18n/locales';

export type Theme = 'light' | 'dark';

export const LOCALE_STORAGE_KEY = 'kafka-lab.locale';
export const THEME_STORAGE_KEY = 'kafka-lab.theme';

/** The part of localStorage the store uses. */
export interface PreferenceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface PreferenceEnvironment {
  readonly storage: PreferenceStorage | null;
  readonly languages: readonly string[];
  prefersDark(): boolean;
  onPrefersDarkChange(listener: (dark: boolean) => void): void;
}

function isTheme(value: unknown): value is Theme {
  return value === 'light' || value === 'dark';
}

/** localStorage can throw (disabled storage, quota); a preference that cannot be saved is still applied. */
function safeGet(storage: PreferenceEnvironment['storage'], key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function safeSet(storage: PreferenceEnvironment['storage'], key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // Not remembered across restarts, which is all that is lost.
  }
}

export const usePreferencesStore = defineStore('preferences', () => {
  const locale = ref<Locale>('en');
  /** The user's explicit choice; null follows the OS. */
  const themeChoice = ref<Theme | null>(null);
  const systemPrefersDark = ref(false);
  let storage: PreferenceEnvironment['storage'] = null;

  const theme = computed<Theme>(() => themeChoice.value ?? (systemPrefersDark.value ? 'dark' : 'light'));

  function init(env: PreferenceEnvironment): void {
    storage = env.storage;
    const savedLocale = safeGet(storage, LOCALE_STORAGE_KEY);
    locale.value = isLocale(savedLocale) ? savedLocale : localeFromLanguages(env.languages);
    const savedTheme = safeGet(storage, THEME_STORAGE_KEY);
    themeChoice.value = isTheme(savedTheme) ? savedTheme : null;
    systemPrefersDark.value = env.prefersDark();
    env.onPrefersDarkChange((dark) => {
      systemPrefersDark.value = dark;
    });
  }

  function setLocale(next: Locale): void {
    locale.value = next;
    safeSet(storage, LOCALE_STORAGE_KEY, next);
  }

  function setTheme(next: Theme): void {
    themeChoice.value = next;
    safeSet(storage, THEME_STORAGE_KEY, next);
  }

  return { locale, themeChoice, systemPrefersDark, theme, init, setLocale, setTheme };
});
