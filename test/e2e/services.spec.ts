/**
 * The Services view end to end, in Chromium against a real `kafka-lab serve` (seeded), through the
 * seed's scaling experiment: the services' topic with one partition, one order replica, inventory
 * scaled from 1 to 2 replicas so that one of them is idle ("partitions assigned: []"), 10 of
 * product 1 registered on each inventory replica, four orders placed, stock decreasing on the
 * replica that owns the partition only, and a crashed replica. Screenshots in English/light,
 * Korean/dark and more go to test-results/ (docs/screenshots/services.png with
 * KAFKA_LAB_README_SHOTS=1).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { REPO_ROOT, startWorkbench, type WorkbenchServer } from './workbench-server';
import { screenshotTo, setLook, skip10s } from './ui-helpers';

const SHOTS = process.env.KAFKA_LAB_SERVICES_SHOTS ?? join(REPO_ROOT, 'test-results');
/** Joining waits group.initial.rebalance.delay.ms (3 s) and heartbeats (3 s) in engine time. */
const GROUP_TIMEOUT = 30_000;

let server: WorkbenchServer;

test.beforeAll(async () => {
  server = await startWorkbench(['--seed', '7']);
});

test.afterAll(async () => {
  await server?.stop();
});




function card(page: Page, replicaId: string): Locator {
  return page.locator(`[data-testid="replica-card"][data-replica="${replicaId}"]`);
}

function inventoryCards(page: Page): Locator {
  return page.locator('[data-testid="replica-card"][data-service="inventory"]');
}

async function scaleTo(page: Page, service: 'order' | 'inventory', count: number): Promise<void> {
  const scale = page.getByTestId(`scale-${service}`);
  await scale.getByTestId('scale-input').fill(String(count));
  await scale.getByTestId('scale-apply').click();
  await expect(page.locator(`[data-testid="replica-card"][data-service="${service}"]`)).toHaveCount(count, { timeout: GROUP_TIMEOUT });
}

/** Stock of product 1 on a replica's card, as a number (null while none is registered). */
async function stockOnCard(page: Page, replicaId: string): Promise<number | null> {
  const cell = card(page, replicaId).locator('[data-testid="stock-row"][data-product="1"] [data-testid="stock-value"]');
  if ((await cell.count()) === 0) return null;
  return Number((await cell.textContent())?.replace(/,/g, '').trim());
}

test('services: scale inventory 1 → 2 on one partition, one idle; stock; four orders; a crash', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.setViewportSize({ width: 1280, height: 1500 });

  await test.step('the Services area is a link, and its topic is created from the view with one partition', async () => {
    await page.goto(server.url);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
    const nav = page.getByTestId('nav-services');
    await expect(nav).toHaveAttribute('href', '#/services');
    await nav.click();
    await expect(page).toHaveURL(/#\/services$/);
    await expect(page.getByRole('heading', { name: 'Services', level: 1 })).toBeVisible();
    await expect(page.getByTestId('business-figures')).toBeVisible({ timeout: GROUP_TIMEOUT });
    const missing = page.getByTestId('service-topic-missing');
    if (await missing.isVisible()) {
      await missing.getByTestId('service-topic-partitions').fill('1');
      await missing.getByTestId('create-service-topic').click();
      await expect(missing).toBeHidden();
    }
    await expect(page.getByTestId('summary-topic')).toContainText('(partitions: 1)');
  });

  await test.step('one order replica and one inventory replica: it owns the only partition', async () => {
    await scaleTo(page, 'order', 1);
    await scaleTo(page, 'inventory', 1);
    await skip10s(page);
    await expect(card(page, 'inventory-1')).toHaveAttribute('data-state', 'running', { timeout: GROUP_TIMEOUT });
    await expect(card(page, 'inventory-1').getByTestId('partition-chip')).toHaveCount(1, { timeout: GROUP_TIMEOUT });
    await expect(card(page, 'inventory-1')).toHaveAttribute('data-idle', 'false');
  });

  await test.step('a second inventory replica joins the group: one partition, so one of the two is idle', async () => {
    await page.getByTestId('scale-inventory').getByTestId('scale-increase').click();
    await expect(inventoryCards(page)).toHaveCount(2, { timeout: GROUP_TIMEOUT });
    await skip10s(page);
    await expect(page.locator('[data-testid="replica-card"][data-service="inventory"][data-idle="true"]')).toHaveCount(1, { timeout: GROUP_TIMEOUT });
    const idle = page.locator('[data-testid="replica-card"][data-service="inventory"][data-idle="true"]');
    await expect(idle.getByTestId('replica-idle')).toHaveText('idle: no partition');
    await expect(idle.getByTestId('replica-assigned-line')).toHaveText('partitions assigned: []');
    const owner = page.locator('[data-testid="replica-card"][data-service="inventory"][data-idle="false"]');
    await expect(owner).toHaveCount(1);
    await expect(owner.getByTestId('partition-chip')).toHaveCount(1);
    await expect(page.getByTestId('summary-idle')).toHaveText(/^inventory-[12]$/);
  });

  const ownerId = (await page.locator('[data-testid="replica-card"][data-service="inventory"][data-idle="false"]').getAttribute('data-replica')) ?? '';
  const idleId = ownerId === 'inventory-1' ? 'inventory-2' : 'inventory-1';

  await test.step("10 of product 1 on each inventory replica, as the seed's http :8082/inventories id=1 stock=10", async () => {
    const form = page.getByTestId('set-stock-form');
    for (const replicaId of ['inventory-1', 'inventory-2']) {
      await form.getByTestId('stock-target').selectOption(replicaId);
      await form.getByTestId('stock-product').fill('1');
      await form.getByTestId('stock-amount').fill('10');
      await expect(form.getByTestId('stock-command')).toHaveText(`http :${replicaId === 'inventory-1' ? 8082 : 8083}/inventories id=1 stock=10`);
      await form.getByTestId('set-stock').click();
      await expect(form.getByTestId('stock-set')).toHaveText(`Stock of product 1 set to 10 on ${replicaId}.`);
    }
    await expect.poll(() => stockOnCard(page, 'inventory-1')).toBe(10);
    await expect.poll(() => stockOnCard(page, 'inventory-2')).toBe(10);
  });

  await test.step('four orders: stock decreases on the replica that owns the partition only', async () => {
    const form = page.getByTestId('place-orders-form');
    await form.getByTestId('order-product').fill('1');
    await form.getByTestId('order-qty').fill('1');
    await form.getByTestId('order-count').fill('4');
    await expect(form.getByTestId('order-command')).toHaveText('http :8081/orders productId=1 qty=1');
    await form.getByTestId('place-orders').click();
    await expect(form.getByTestId('orders-placed')).toContainText('Orders placed (4)');
    await expect(page.getByTestId('figure-placed')).toHaveText('4');
    await skip10s(page);
    await expect(page.getByTestId('figure-processed')).toHaveText('4', { timeout: GROUP_TIMEOUT });
    await expect.poll(() => stockOnCard(page, ownerId), { timeout: GROUP_TIMEOUT }).toBe(6);
    expect(await stockOnCard(page, idleId)).toBe(10);
    await expect(page.getByTestId('figure-lost')).toHaveText('0');
    await expect(card(page, ownerId).getByTestId('replica-processed')).toHaveText('4');
    await expect(card(page, idleId).getByTestId('replica-processed')).toHaveText('0');
    await screenshotTo(SHOTS, page, 'services-en-light.png', 'services.png');
  });

  await test.step("the idle replica's console says it got no partition, as Spring Kafka logs it", async () => {
    await card(page, idleId).getByTestId('replica-log').click();
    const panel = page.getByTestId('service-log-panel');
    await expect(panel).toHaveAttribute('data-replica', idleId);
    await expect(panel.getByTestId('service-log-line').first()).toBeVisible({ timeout: GROUP_TIMEOUT });
    await expect(panel.getByTestId('service-log-lines')).toContainText('partitions assigned: []');
    await panel.getByTestId('service-log-lines').evaluate((el) => el.scrollIntoView());
    await page.waitForTimeout(300);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'services-log-en-light.png') });
    await panel.getByTestId('service-log-close').click();
  });

  await test.step('the Groups view shows the lag status of group inventory and of its partition, with the rule behind it', async () => {
    await page.getByTestId('nav-groups').click();
    await page.locator('[data-testid="group-item"][data-group="inventory"]').click();
    const groupStatus = page.getByTestId('group-lag-status').getByTestId('lag-status');
    await expect(groupStatus).toHaveAttribute('data-status', /^(OK|WARN|ERR)$/, { timeout: GROUP_TIMEOUT });
    const row = page.locator('[data-testid="describe-row"][data-partition="0"]');
    const partitionStatus = row.getByTestId('lag-status');
    await expect(partitionStatus).toHaveAttribute('data-status', /^(OK|WARN|STOP|STALL|REWIND)$/, { timeout: GROUP_TIMEOUT });
    await partitionStatus.click();
    const popover = page.getByTestId('lag-status-popover');
    await expect(popover).toBeVisible();
    await expect(popover.getByTestId('lag-status-rule')).not.toHaveText('');
    await expect(popover.getByTestId('lag-status-reason')).not.toHaveText('');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'groups-lag-status-en-light.png') });
    await page.keyboard.press('Escape');
    await expect(popover).toBeHidden();
    await page.getByTestId('nav-services').click();
    await expect(page.getByTestId('business-figures')).toBeVisible();
  });

  await test.step('Korean and the dark theme', async () => {
    await setLook(page, 'ko-dark');
    await expect(page.getByRole('heading', { name: '서비스', level: 1 })).toBeVisible();
    await expect(page.locator('[data-testid="replica-card"][data-idle="true"]').getByTestId('replica-idle')).toHaveText('유휴: 파티션 없음');
    await expect(page.locator('[data-testid="replica-card"][data-idle="true"]').getByTestId('replica-assigned-line')).toHaveText('partitions assigned: []');
    await screenshotTo(SHOTS, page, 'services-ko-dark.png');
    await setLook(page, 'en-dark');
    await screenshotTo(SHOTS, page, 'services-en-dark.png');
    await setLook(page, 'ko-light');
    await screenshotTo(SHOTS, page, 'services-ko-light.png');
    await setLook(page, 'en-light');
  });

  await test.step('crashing the owner: its card says Crashed and offers only Restart', async () => {
    await card(page, ownerId).getByTestId('replica-crash').click();
    await expect(card(page, ownerId)).toHaveAttribute('data-state', 'crashed', { timeout: GROUP_TIMEOUT });
    await expect(card(page, ownerId).getByTestId('replica-state')).toContainText('Crashed');
    await expect(card(page, ownerId).getByTestId('replica-restart')).toBeVisible();
    await expect(card(page, ownerId).getByTestId('replica-crash')).toHaveCount(0);
    await screenshotTo(SHOTS, page, 'services-crashed-en-light.png');
  });

  expect(pageErrors).toEqual([]);
});
