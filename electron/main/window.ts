/**
 * The one application window and the rules every web contents lives by: context isolation,
 * sandbox, no Node integration, no navigation away from the app, no new windows, no webviews, no
 * permissions. The renderer is untrusted; these options are asserted by the desktop-shell test.
 */
import { join } from 'node:path';
import { BrowserWindow, app, screen, shell, type WebContents } from 'electron';
import { readWindowState, rememberWindowState, restoredWindowState, windowStateFile } from './window-state.js';

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const;

const WINDOW_LIMITS = { minWidth: 960, minHeight: 640 } as const;

/** Opens the window where it was last (window-state.ts), else at its default size. */
export function createMainWindow(preloadPath: string, entryUrl: string): BrowserWindow {
  const stateFile = windowStateFile(app.getPath('userData'));
  const { state, problem } = restoredWindowState(
    readWindowState(stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
    WINDOW_LIMITS,
  );
  if (problem !== null) console.warn(`Kafka Lab Workbench: the window opens at its default size: ${problem}`);
  const window = new BrowserWindow({
    ...(state === null ? { width: 1440, height: 900 } : state.bounds),
    ...WINDOW_LIMITS,
    title: 'Kafka Lab Workbench',
    show: false,
    backgroundColor: '#10141a',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: preloadPath },
  });
  if (state?.maximized === true) window.maximize();
  rememberWindowState(window, stateFile);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(entryUrl);
  return window;
}

/**
 * Whether `url` is a page of the app itself: same scheme and host as the entry. (WHATWG URL gives
 * every non-special scheme, app: and file: alike, the opaque origin "null", so origins cannot be
 * compared here.)
 */
export function isAppUrl(url: string, entryUrl: string): boolean {
  try {
    const candidate = new URL(url);
    const entry = new URL(entryUrl);
    return candidate.protocol === entry.protocol && candidate.host === entry.host && candidate.host !== '';
  } catch {
    return false;
  }
}

/** Applies the navigation and window rules to every web contents the app ever creates. */
export function lockDownWebContents(entryUrl: string): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, entryUrl)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url, entryUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to Kafka's documentation open in the user's browser; the app never opens a window.
      if (url.startsWith('https://kafka.apache.org/')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  });
}

export function preloadPathFrom(mainDir: string): string {
  return join(mainDir, '..', 'preload', 'index.cjs');
}
