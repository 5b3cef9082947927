/**
 * The Cluster view at workshop-breaking scale, in Chromium against a real `kafka-lab serve`
 * (seeded): a topic of 1,000 partitions puts only a screenful of grid rows in the page, scrolls to
 * partition 999, and the offsets chart follows the rows in view; each broker card shows the disk
 * its partition logs use, which grows with produced records and stays on a killed broker (its
 * files are still there). Screenshots in English light and Korean dark go to
 * test-results/screenshots/cluster-scale/.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { contractClient, type ContractClient } from './contract-client';
import { screenshotTo, setLook } from './ui-helpers';
import { REPO_ROOT, startWorkbench, type WorkbenchServer } from './workbench-server';

const SHOTS = join(REPO_ROOT, 'test-results', 'screenshots', 'cluster-scale');
const PARTITIONS = 1000;

let server: WorkbenchServer;
let api: ContractClient;

test.beforeAll(async () => {
  server = await startWorkbench(['--seed', '23']);
  api = await contractClient(server.url);
});

test.afterAll(async () => {
  api?.close();
  await server?.stop();
});

async function diskBytes(page: Page, broker: number): Promise<number> {
  const value = await page.locator(`[data-testid="broker-card"][data-broker="${broker}"] [data-testid="broker-disk"]`).getAttribute('data-bytes');
  return Number(value ?? Number.NaN);
}

test('a topic of 1,000 partitions: a virtual grid, the chart follows the rows in view; disk used per broker', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await api.command('createTopic', { name: 'wide', partitions: PARTITIONS, replicationFactor: 2 });
  await page.goto(server.url);
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  await page.getByTestId('nav-cluster').click();
  await page.locator('[data-testid="topic-chip"]', { hasText: 'wide' }).click();

  const grid = page.getByTestId('partition-grid');
  const scroller = page.getByTestId('partition-grid-scroller');
  const rows = grid.getByTestId('partition-row');

  await test.step('only a screenful of the 1,000 rows is in the page; the table says how many there are', async () => {
    await expect(grid).toHaveAttribute('aria-rowcount', String(PARTITIONS + 1));
    await expect(rows.first()).toHaveAttribute('data-partition', '0');
    const rendered = await rows.count();
    expect(rendered).toBeGreaterThan(3);
    expect(rendered).toBeLessThan(30);
    await expect(page.getByTestId('offsets-chart-window')).toHaveText('Partitions 0 to 31 of 1000: the rows in view in the grid above.');
  });

  await test.step('scrolling the grid to its end shows partition 999, and the chart the last 32', async () => {
    await scroller.scrollIntoViewIfNeeded();
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    const last = grid.locator('[data-testid="partition-row"][data-partition="999"]');
    await expect(last).toBeInViewport();
    await expect(last.getByTestId('partition-replicas')).toHaveText(/^\d,\d$/);
    expect(await rows.count()).toBeLessThan(30);
    await expect(page.getByTestId('offsets-chart-window')).toHaveText(/^Partitions 9\d\d to 999 of 1000/);
    await expect(page.getByTestId('offsets-chart-window')).toHaveText('Partitions 968 to 999 of 1000: the rows in view in the grid above.');
  });

  await test.step('the keyboard scrolls the grid too: it is one tab stop with a visible focus', async () => {
    await scroller.focus();
    await page.keyboard.press('Home');
    await expect(grid.locator('[data-testid="partition-row"][data-partition="0"]')).toBeInViewport();
    const outline = await scroller.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).toBe('solid');
    await page.keyboard.press('End');
    await expect(grid.locator('[data-testid="partition-row"][data-partition="999"]')).toBeInViewport();
    await page.keyboard.press('Home');
    await expect(grid.locator('[data-testid="partition-row"][data-partition="0"]')).toBeInViewport();
  });

  await test.step('disk used grows with records on every replica and stays on a killed broker', async () => {
    const before = await diskBytes(page, 1);
    expect(before).toBe(0);
    for (let i = 0; i < 20; i++) await api.command('produceRecord', { topic: 'wide', key: `key-${i}`, value: 'x'.repeat(200), acks: 'all' });
    await expect.poll(async () => (await diskBytes(page, 1)) + (await diskBytes(page, 2)) + (await diskBytes(page, 3))).toBeGreaterThan(20 * 200 * 2);
    const card = page.locator('[data-testid="broker-card"][data-broker="2"]');
    // Settled: the status stream has shown every replica's append (two reads half a second apart agree).
    let used = -1;
    await expect
      .poll(async () => {
        const previous = used;
        used = await diskBytes(page, 2);
        return used === previous;
      }, { intervals: [500] })
      .toBe(true);
    expect(used).toBeGreaterThan(0);
    await expect(card.getByTestId('broker-disk')).toHaveText(/^\d+(\.\d+)? (B|KiB|MiB)$/);
    await api.command('killBroker', { brokerId: 2 });
    await expect(card).toHaveAttribute('data-state', 'stopped');
    expect(await diskBytes(page, 2)).toBe(used);
  });

  await screenshotTo(SHOTS, page, 'cluster-1000-en-light.png');
  await setLook(page, 'ko-dark');
  await expect(page.getByTestId('offsets-chart-window')).toHaveText('파티션 1000개 중 0~31번: 위 그리드에 보이는 행입니다.');
  await screenshotTo(SHOTS, page, 'cluster-1000-ko-dark.png');
  await setLook(page, 'en-light');
  expect(errors).toEqual([]);
});
