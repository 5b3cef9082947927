/**
 * The Charts and Timeline views end to end, against a real `kafka-lab serve`: the order service
 * produces to `orders` (3 partitions) and two inventory replicas consume it; the lag chart draws a
 * line per partition and shades the group's rebalances; adding a replica adds a shaded window;
 * killing a broker puts an election on the time axis. The Timeline lists it all with counts per
 * filter, hides a group of entries, searches, and "Show on charts" pauses the charts on that moment.
 * Screenshots in English/light, Korean/dark, English/dark and Korean/light.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { contractClient, type ContractClient } from './contract-client';
import { REPO_ROOT, startWorkbench, type WorkbenchServer } from './workbench-server';
import { screenshotTo, setLook } from './ui-helpers';

const SHOTS = join(REPO_ROOT, 'test-results', 'screenshots', 'charts');
const TIMEOUT = 30_000;

let server: WorkbenchServer;
let api: ContractClient;

test.beforeAll(async () => {
  server = await startWorkbench(['--seed', '9']);
  api = await contractClient(server.url);
  await api.command('createTopic', { name: 'orders', partitions: 3, replicationFactor: 3 });
  await api.command('configureServices', { order: { topic: 'orders', key: 'orderId' }, inventory: { topic: 'orders', processingMsPerRecord: 150 } });
  await api.command('scaleService', { service: 'order', replicas: 1 });
  await api.command('scaleService', { service: 'inventory', replicas: 2 });
  await api.command('placeOrders', { productId: 1, qty: 1, count: 3000, intervalMs: 100 });
  await api.command('setClockSpeed', { speed: 10 });
});

test.afterAll(async () => {
  api?.close();
  await server?.stop();
});

test('charts: lag per partition with rebalances shaded and an election marked; timeline filters and Show on charts', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  await test.step('the lag chart draws the group inventory, one line per partition, its rebalance shaded', async () => {
    await page.goto(server.url);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
    await page.getByTestId('nav-charts').click();
    await expect(page).toHaveURL(/#\/charts$/);
    await expect(page.getByTestId('charts-group')).toHaveValue('inventory');
    const lag = page.getByTestId('lag-chart');
    await expect(lag).toHaveAttribute('data-series-count', '3');
    await expect.poll(async () => Number(await lag.getAttribute('data-rebalance-windows')), { timeout: TIMEOUT }).toBeGreaterThanOrEqual(1);
    await expect(page.getByTestId('rates-chart')).toHaveAttribute('data-series-count', '2');
    await expect(page.getByTestId('lag-summary')).toContainText('Total lag');
  });

  await test.step('adding a replica is a rebalance: one more shaded window', async () => {
    const lag = page.getByTestId('lag-chart');
    const before = Number(await lag.getAttribute('data-rebalance-windows'));
    await api.command('scaleService', { service: 'inventory', replicas: 3 });
    await expect.poll(async () => Number(await lag.getAttribute('data-rebalance-windows')), { timeout: TIMEOUT }).toBeGreaterThan(before);
  });

  await test.step('a killed broker puts an election on the time axis', async () => {
    await api.command('killBroker', { brokerId: 2 });
    await expect.poll(async () => Number(await page.getByTestId('lag-chart').getAttribute('data-markers')), { timeout: TIMEOUT }).toBeGreaterThanOrEqual(1);
    await expect(page.getByTestId('chart-events').locator('[data-kind="election"]').first()).toBeVisible();
    await page.waitForTimeout(1500);
    await screenshotTo(SHOTS, page, 'charts-en-light.png', 'charts.png');
  });

  await test.step('pause freezes the window; back to live follows again', async () => {
    await page.getByTestId('charts-pause').click();
    await expect(page.getByTestId('charts-state')).toHaveAttribute('data-paused', 'true');
    await page.getByTestId('charts-earlier').click();
    await page.getByTestId('charts-resume').click();
    await expect(page.getByTestId('charts-state')).toHaveAttribute('data-paused', 'false');
  });

  await test.step('in Korean and dark', async () => {
    await setLook(page, 'ko-dark');
    await expect(page.getByRole('heading', { name: '차트', level: 1 })).toBeVisible();
    await page.waitForTimeout(800);
    await screenshotTo(SHOTS, page, 'charts-ko-dark.png');
    await setLook(page, 'en-dark');
    await screenshotTo(SHOTS, page, 'charts-en-dark.png');
    await setLook(page, 'en-light');
  });

  await test.step('the timeline lists elections, rebalances and the fault, filters and searches them', async () => {
    await page.getByTestId('nav-timeline').click();
    await expect(page).toHaveURL(/#\/timeline$/);
    await expect.poll(async () => Number(await page.getByTestId('timeline-count-elections').innerText()), { timeout: TIMEOUT }).toBeGreaterThanOrEqual(1);
    await expect.poll(async () => Number(await page.getByTestId('timeline-count-rebalances').innerText())).toBeGreaterThanOrEqual(2);
    await expect(page.locator('[data-testid="timeline-entry"][data-kind="election"]').first()).toBeVisible();
    await page.getByTestId('timeline-filter-elections').click();
    await expect(page.getByTestId('timeline-filter-elections')).toHaveAttribute('aria-pressed', 'false');
    await expect(page.locator('[data-testid="timeline-entry"][data-kind="election"]')).toHaveCount(0);
    await page.getByTestId('timeline-filter-elections').click();
    await page.getByTestId('timeline-search').fill('inventory');
    await expect(page.locator('[data-testid="timeline-entry"]').first()).toContainText('inventory');
    await screenshotTo(SHOTS, page, 'timeline-en-light.png', 'timeline.png');
    await setLook(page, 'ko-light');
    await screenshotTo(SHOTS, page, 'timeline-ko-light.png');
    await setLook(page, 'en-light');
  });

  await test.step('"Show on charts" pauses the charts on the rebalance', async () => {
    await page.locator('[data-testid="timeline-entry"][data-code="rebalance"]').first().getByTestId('timeline-show-on-charts').click();
    await expect(page).toHaveURL(/#\/charts$/);
    await expect(page.getByTestId('charts-state')).toHaveAttribute('data-paused', 'true');
    await expect(page.getByTestId('chart-events').locator('.is-focused')).toHaveCount(1);
  });

  expect(pageErrors).toEqual([]);
});
