/**
 * The real desktop app, driven through Playwright's Electron support. It needs the Electron binary,
 * which `npm install` downloads on a machine with internet access; where the binary is absent
 * (CI machines installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1) the test is skipped and says why.
 * The same window is covered without the binary by test/shell/desktop-shell.test.ts and the
 * browser end-to-end tests.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

const require = createRequire(import.meta.url);

/**
 * The installed Electron executable, or null. Looks at the package's files instead of loading it:
 * `require('electron')` would try to download a missing binary, and this machine may have no network.
 */
function electronBinary(): string | null {
  const packageDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : null;
}

const binary = electronBinary();

test.describe('desktop app (real Electron)', () => {
  test.skip(binary === null, 'The Electron binary is not installed here (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1); run `npm install` with internet access to get it.');

  test('opens the workbench window with the embedded 3-broker cluster', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kafka-lab-electron-'));
    const app = await electron.launch({
      executablePath: binary!,
      args: ['.', `--user-data-dir=${join(home, 'user-data')}`],
      env: { ...process.env, XDG_CONFIG_HOME: home },
    });
    try {
      const window = await app.firstWindow();
      await expect(window).toHaveTitle(/Kafka Lab Workbench/);
      // Sandboxed, isolated page: no Node globals, and the bridge exposes contract functions only.
      const page = await window.evaluate(() => {
        const g = globalThis as unknown as { require?: unknown; process?: unknown; kafkaLab?: { commands: object; queries: object } };
        return { require: typeof g.require, process: typeof g.process, bridge: Object.keys(g.kafkaLab ?? {}).sort() };
      });
      expect(page).toEqual({ require: 'undefined', process: 'undefined', bridge: ['commands', 'queries', 'subscribe'] });
      await expect(window.getByTestId('broker-card')).toHaveCount(3);
    } finally {
      await app.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
