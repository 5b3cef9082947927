/**
 * End-to-end tests of the UI, in Debian's Chromium (never a downloaded browser), one worker: each
 * test file starts its own `kafka-lab serve` on a fresh data directory, and the machine has two
 * cores. The tests need the built app (`npx electron-vite build`, which `npm test` runs first).
 */
import { defineConfig } from '@playwright/test';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/playwright',
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  projects: [
    // The UI in Debian's Chromium, served by `kafka-lab serve`.
    { name: 'browser', testDir: 'test/e2e' },
    // The real desktop app; skipped with a message where the Electron binary is not installed.
    { name: 'electron', testDir: 'test/electron' },
  ],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 860 },
    locale: 'en-US',
    colorScheme: 'light',
    actionTimeout: 10_000,
    navigationTimeout: 30_000,
    screenshot: 'only-on-failure',
    trace: 'off',
  },
});
