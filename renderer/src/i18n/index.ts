/**
 * The i18n instance: Composition API mode (no legacy API), English as fallback. Messages are
 * plain objects compiled by vue-i18n's JIT compiler, which needs no eval and so runs under the CSP.
 */
import { createI18n } from 'vue-i18n';
import { en, type MessageSchema } from './en';
import { ko } from './ko';
import type { Locale } from './locales';

export function createAppI18n(locale: Locale) {
  return createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, ko },
    // Missing keys are a bug caught by the typecheck and the unit tests, not something to log at run time.
    missingWarn: false,
    fallbackWarn: false,
  });
}

export type AppI18n = ReturnType<typeof createAppI18n>;
