/** Language and theme: chosen once, remembered; until chosen, they follow the browser and the OS. */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  LOCALE_STORAGE_KEY,
  THEME_STORAGE_KEY,
  usePreferencesStore,
  type PreferenceEnvironment,
} from '../../../renderer/src/stores/preferences-store';

interface TestEnvironment extends PreferenceEnvironment {
  readonly saved: Map<string, string>;
  setSystemDark(dark: boolean): void;
}

function environment(options: { saved?: Record<string, string>; languages?: string[]; dark?: boolean } = {}): TestEnvironment {
  const saved = new Map(Object.entries(options.saved ?? {}));
  let dark = options.dark ?? false;
  const listeners: ((dark: boolean) => void)[] = [];
  return {
    saved,
    storage: { getItem: (key) => saved.get(key) ?? null, setItem: (key, value) => void saved.set(key, value) },
    languages: options.languages ?? ['en-US'],
    prefersDark: () => dark,
    onPrefersDarkChange: (listener) => void listeners.push(listener),
    setSystemDark(next) {
      dark = next;
      for (const listener of listeners) listener(next);
    },
  };
}

beforeEach(() => setActivePinia(createPinia()));

describe('usePreferencesStore', () => {
  it('follows the OS colour scheme until the user chooses, then keeps the choice', () => {
    const env = environment({ dark: true });
    const preferences = usePreferencesStore();
    preferences.init(env);
    expect(preferences.theme).toBe('dark');
    env.setSystemDark(false);
    expect(preferences.theme).toBe('light');
    preferences.setTheme('dark');
    env.setSystemDark(false);
    expect(preferences.theme).toBe('dark');
    expect(env.saved.get(THEME_STORAGE_KEY)).toBe('dark');
  });

  it('starts in Korean for a Korean browser, and a saved choice wins over the browser', () => {
    const korean = usePreferencesStore();
    korean.init(environment({ languages: ['ko-KR', 'en-US'] }));
    expect(korean.locale).toBe('ko');

    setActivePinia(createPinia());
    const saved = usePreferencesStore();
    saved.init(environment({ languages: ['ko-KR'], saved: { [LOCALE_STORAGE_KEY]: 'en', [THEME_STORAGE_KEY]: 'light' } }));
    expect(saved.locale).toBe('en');
    expect(saved.theme).toBe('light');
  });

  it('ignores saved values it does not know and still works without storage', () => {
    const preferences = usePreferencesStore();
    preferences.init({ ...environment({ saved: { [LOCALE_STORAGE_KEY]: 'fr', [THEME_STORAGE_KEY]: 'neon' } }) });
    expect(preferences.locale).toBe('en');
    expect(preferences.themeChoice).toBeNull();

    setActivePinia(createPinia());
    const noStorage = usePreferencesStore();
    noStorage.init({ ...environment(), storage: null });
    noStorage.setLocale('ko');
    expect(noStorage.locale).toBe('ko');
  });
});
