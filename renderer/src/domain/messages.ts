/**
 * A message to show, as an i18n key with its parameters, so pure modules (validation, stores) can
 * produce user-facing text without knowing the user's language; components translate at render.
 */
export interface UiMessage {
  readonly key: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

export function uiMessage(key: string, params?: Readonly<Record<string, string | number>>): UiMessage {
  return params === undefined ? { key } : { key, params };
}
