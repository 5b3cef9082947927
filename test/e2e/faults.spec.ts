/**
 * The Faults view end to end, in Chromium against a real `kafka-lab serve` (seeded): the catalogue
 * grouped by target; broker 2 crashed for 30 s of engine time (the Cluster view shows it down),
 * counting down, then undone by hand (it runs again, and the fault is among the recent ones);
 * the consumer-crash-no-leave preset applied to an inventory replica, its run and steps followed
 * as engine time passes, its fault on the timeline. Screenshots in English/light, Korean/dark and
 * more go to test-results/ (docs/screenshots/faults.png with KAFKA_LAB_README_SHOTS=1).
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { REPO_ROOT, startWorkbench, type WorkbenchServer } from './workbench-server';
import { screenshotTo, setLook, skip10s } from './ui-helpers';

const SHOTS = process.env.KAFKA_LAB_FAULTS_SHOTS ?? join(REPO_ROOT, 'test-results');
/** Joining waits group.initial.rebalance.delay.ms (3 s) and heartbeats (3 s); a crash waits session.timeout.ms (45 s). */
const ENGINE_TIMEOUT = 30_000;

let server: WorkbenchServer;

test.beforeAll(async () => {
  server = await startWorkbench(['--seed', '7']);
});

test.afterAll(async () => {
  await server?.stop();
});




/** The countdown of the only active fault, in seconds ("ends in 0:27" → 27). */
async function countdownSeconds(page: Page): Promise<number> {
  const text = (await page.getByTestId('active-fault').getByTestId('fault-countdown').textContent()) ?? '';
  const match = /(\d+):(\d\d)/.exec(text);
  return match === null ? Number.NaN : Number(match[1]) * 60 + Number(match[2]);
}

test('faults: crash broker 2 for 30 s and undo it; the consumer-crash-no-leave preset and its run', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.setViewportSize({ width: 1280, height: 1500 });

  await test.step('the services run: their topic, one order and one inventory replica in the group', async () => {
    await page.goto(server.url);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
    await page.getByTestId('nav-services').click();
    await expect(page.getByTestId('business-figures')).toBeVisible({ timeout: ENGINE_TIMEOUT });
    const missing = page.getByTestId('service-topic-missing');
    if (await missing.isVisible()) {
      await missing.getByTestId('create-service-topic').click();
      await expect(missing).toBeHidden();
    }
    for (const service of ['order', 'inventory'] as const) {
      const scale = page.getByTestId(`scale-${service}`);
      await scale.getByTestId('scale-input').fill('1');
      await scale.getByTestId('scale-apply').click();
      await expect(page.locator(`[data-testid="replica-card"][data-service="${service}"]`)).toHaveCount(1, { timeout: ENGINE_TIMEOUT });
    }
    await skip10s(page);
    await expect(page.locator('[data-testid="replica-card"][data-replica="inventory-1"] [data-testid="partition-chip"]')).toHaveCount(1, { timeout: ENGINE_TIMEOUT });
  });

  await test.step('the Faults area lists the catalogue by target, and nothing is active', async () => {
    const nav = page.getByTestId('nav-faults');
    await expect(nav).toHaveAttribute('href', '#/faults');
    await nav.click();
    await expect(page).toHaveURL(/#\/faults$/);
    await expect(page.getByRole('heading', { name: 'Faults', level: 1 })).toBeVisible();
    await expect(page.locator('[data-testid="fault-catalogue"] [data-target-type]').first()).toHaveAttribute('data-target-type', 'broker', { timeout: ENGINE_TIMEOUT });
    for (const type of ['broker', 'link', 'quorum', 'client']) await expect(page.locator(`[data-testid="fault-catalogue"] [data-target-type="${type}"]`)).toHaveCount(1);
    await expect(page.getByTestId('no-active-faults')).toBeVisible();
    await expect(page.getByTestId('preset')).toHaveCount(6);
  });

  await test.step('crash broker 2 for 30 s: active, counting down, and broker 2 down in the Cluster view', async () => {
    const kind = page.locator('[data-testid="fault-kind"][data-kind="broker-crash"]');
    await kind.getByTestId('fault-kind-toggle').click();
    const form = page.getByTestId('fault-form-broker-crash');
    await form.getByTestId('fault-broker').selectOption('2');
    await form.getByTestId('fault-start-in').fill('0');
    await form.getByTestId('fault-duration').fill('30');
    await form.getByTestId('fault-inject').click();
    const active = page.getByTestId('active-fault');
    await expect(active).toHaveCount(1);
    await expect(active).toHaveAttribute('data-kind', 'broker-crash');
    await expect(active).toHaveAttribute('data-state', 'active', { timeout: ENGINE_TIMEOUT });
    await expect(active.getByTestId('fault-label')).toHaveText('Broker 2 crashed (kill -9)');
    const left = await countdownSeconds(page);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(30);
    await expect(page.getByTestId('summary-active-faults')).toHaveText('1');
    await screenshotTo(SHOTS, page, 'faults-en-light.png');

    await page.getByTestId('nav-cluster').click();
    await expect(page.locator('[data-testid="broker-card"][data-broker="2"]')).not.toHaveAttribute('data-state', 'running', { timeout: ENGINE_TIMEOUT });
    await page.getByTestId('nav-faults').click();
    // Ten seconds of engine time later the countdown is ten seconds shorter.
    const before = await countdownSeconds(page);
    await skip10s(page);
    await expect.poll(() => countdownSeconds(page), { timeout: ENGINE_TIMEOUT }).toBeLessThanOrEqual(before - 9);
  });

  await test.step('undo it: broker 2 starts again, and the fault is among the recent ones', async () => {
    await page.getByTestId('active-fault').getByTestId('fault-undo').click();
    await expect(page.getByTestId('active-fault')).toHaveCount(0, { timeout: ENGINE_TIMEOUT });
    const recent = page.locator('[data-testid="recent-fault"][data-kind="broker-crash"]').first();
    await expect(recent).toHaveAttribute('data-state', 'undone');
    await expect(page.locator('[data-testid="timeline-entry"][data-kind="fault"]').first()).toBeVisible({ timeout: ENGINE_TIMEOUT });
    await page.getByTestId('nav-cluster').click();
    await expect(page.locator('[data-testid="broker-card"][data-broker="2"]')).toHaveAttribute('data-state', 'running', { timeout: ENGINE_TIMEOUT });
    await page.getByTestId('nav-faults').click();
  });

  await test.step('the consumer-crash-no-leave preset on inventory-1: its run and steps as engine time passes', async () => {
    const preset = page.locator('[data-testid="preset"][data-preset="consumer-crash-no-leave"]');
    await expect(preset).toContainText('A consumer crashes without LeaveGroup');
    await preset.getByTestId('preset-client').selectOption('inventory-1');
    await preset.getByTestId('preset-apply').click();
    const run = page.locator('[data-testid="preset-run"][data-preset="consumer-crash-no-leave"]').first();
    await expect(run).toBeVisible({ timeout: ENGINE_TIMEOUT });
    await expect(run.getByTestId('preset-run-target')).toContainText('inventory-1');
    expect(await run.getByTestId('preset-step').count()).toBeGreaterThan(0);
    await expect(run.locator('[data-testid="preset-step"][data-state="done"]').first()).toBeVisible({ timeout: ENGINE_TIMEOUT });
    // The crash is a fault like any other: it shows as a client crash of inventory-1.
    await expect(page.locator('[data-testid="active-fault"][data-kind="client-crash"], [data-testid="recent-fault"][data-kind="client-crash"]').first()).toBeVisible({
      timeout: ENGINE_TIMEOUT,
    });
    await screenshotTo(SHOTS, page, 'faults-preset-en-light.png', 'faults.png');
    // session.timeout.ms (45 s) and the rest of the preset pass in engine time.
    for (let i = 0; i < 9; i++) await skip10s(page);
    await expect(run).toHaveAttribute('data-running', 'false', { timeout: ENGINE_TIMEOUT });
    await expect(run.locator('[data-testid="preset-step"][data-state="pending"]')).toHaveCount(0);
  });

  await test.step('Korean and the dark theme', async () => {
    await setLook(page, 'ko-dark');
    await expect(page.getByRole('heading', { name: '장애 주입', level: 1 })).toBeVisible();
    await expect(page.locator('[data-testid="preset"][data-preset="consumer-crash-no-leave"]')).toContainText('LeaveGroup 없이 죽는 컨슈머');
    await screenshotTo(SHOTS, page, 'faults-ko-dark.png');
    await setLook(page, 'en-dark');
    await screenshotTo(SHOTS, page, 'faults-en-dark.png');
    await setLook(page, 'ko-light');
    await screenshotTo(SHOTS, page, 'faults-ko-light.png');
    await setLook(page, 'en-light');
  });

  expect(pageErrors).toEqual([]);
});
