/**
 * Where the workbench keeps its data by default: the OS app-data folder, the same one Electron's
 * `app.getPath('userData')` gives for this product name, so the desktop app and `kafka-lab serve`
 * share one cluster (never at once: the data-dir lock sees to that).
 */
import { join } from 'node:path';

export const PRODUCT_NAME = 'Kafka Lab Workbench';

export function defaultUserDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, homeDir: string): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homeDir, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(homeDir, 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homeDir, '.config'), PRODUCT_NAME);
}

/** The engine's data directory inside the user-data folder. */
export function dataDirIn(userDataDir: string): string {
  return join(userDataDir, 'data');
}
