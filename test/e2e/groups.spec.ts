/**
 * The Groups view end to end, in Chromium against a real `kafka-lab serve` (seeded): a learner
 * creates a topic with 3 partitions, adds an in-app consumer to group "inventory" and sees the
 * group become Stable with one member owning all 3 partitions; adds a second consumer and sees the
 * rebalance in the history and the assignment split 2 + 1; produces records and sees
 * LOG-END-OFFSET and LAG move; reads a consumer's log; closes one consumer (LeaveGroup: an
 * immediate rebalance) and crashes the other (the member stays until session.timeout.ms); is
 * refused deleting a group with members (NON_EMPTY_GROUP) and deletes it once it is Empty.
 * Screenshots in English/light, Korean/dark and more go to /tmp/groups-shots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { REPO_ROOT, startWorkbench, type WorkbenchServer } from './workbench-server';
import { screenshotTo, setLook, skip10s } from './ui-helpers';

const SHOTS = process.env.KAFKA_LAB_GROUPS_SHOTS ?? join(REPO_ROOT, 'test-results');
/** Joining waits group.initial.rebalance.delay.ms (3 s) and heartbeats (3 s) in engine time. */
const GROUP_TIMEOUT = 30_000;

let server: WorkbenchServer;

test.beforeAll(async () => {
  server = await startWorkbench(['--seed', '7']);
});

test.afterAll(async () => {
  await server?.stop();
});




async function createTopic(page: Page, name: string, partitions: number): Promise<void> {
  await page.getByRole('link', { name: 'Cluster' }).click();
  await page.getByTestId('open-create-topic').click();
  const dialog = page.getByRole('dialog', { name: 'Create topic' });
  await dialog.getByLabel('Topic name').fill(name);
  await dialog.getByRole('spinbutton', { name: 'Partitions' }).fill(String(partitions));
  await dialog.getByRole('spinbutton', { name: 'Replication factor' }).fill('3');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
}

function groupItem(page: Page, groupId: string): Locator {
  return page.locator(`[data-testid="group-item"][data-group="${groupId}"]`);
}

function memberRow(page: Page, clientId: string): Locator {
  return page.locator(`[data-testid="member-row"][data-client-id="${clientId}"]`);
}

function describeRows(page: Page): Locator {
  return page.getByTestId('describe-table').getByTestId('describe-row');
}

/** Rows of the describe table per CLIENT-ID, e.g. { 'inventory-1': 2, 'inventory-2': 1 }. */
async function rowsPerClient(page: Page): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const id of await describeRows(page).getByTestId('col-client-id').allTextContents()) counts[id.trim()] = (counts[id.trim()] ?? 0) + 1;
  return counts;
}

async function columnSum(page: Page, column: string): Promise<number | null> {
  const values = (await describeRows(page).getByTestId(column).allTextContents()).map((v) => v.trim().replace(/,/g, ''));
  if (values.some((v) => v === '-')) return null;
  return values.reduce((sum, v) => sum + Number(v), 0);
}

async function addConsumer(page: Page, options: { groupId?: string; processingMs?: number; autoOffsetReset?: 'latest' | 'earliest' } = {}): Promise<void> {
  await page.getByTestId('open-add-consumer').click();
  const dialog = page.getByRole('dialog', { name: 'Add consumer' });
  await expect(dialog).toBeVisible();
  if (options.groupId !== undefined) await dialog.getByLabel('group.id').fill(options.groupId);
  const orders = dialog.getByRole('checkbox', { name: 'orders' });
  if (!(await orders.isChecked())) await orders.check();
  if (options.autoOffsetReset !== undefined) await dialog.getByLabel('auto.offset.reset').selectOption(options.autoOffsetReset);
  if (options.processingMs !== undefined) await dialog.getByLabel('Processing time per record (ms)').fill(String(options.processingMs));
  await dialog.getByRole('button', { name: 'Start consumer' }).click();
  await expect(dialog).toBeHidden();
}

test('consumer groups: join, rebalance 2 + 1, lag, log, close and crash, delete', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.setViewportSize({ width: 1280, height: 1500 });

  await test.step('the Groups area is a link now, and starts empty', async () => {
    await page.goto(server.url);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
    await createTopic(page, 'orders', 3);
    const nav = page.getByTestId('nav-groups');
    await expect(nav).toHaveAttribute('href', '#/groups');
    await nav.click();
    await expect(page).toHaveURL(/#\/groups$/);
    await expect(page.getByRole('heading', { name: 'Consumer groups', level: 1 })).toBeVisible();
    await expect(page.getByTestId('no-groups')).toBeVisible();
    // The clock bar stays with the view: consumer groups run on engine time.
    await expect(page.getByTestId('clock-bar')).toBeVisible();
  });

  await test.step('the Add consumer dialog checks the form before anything is sent', async () => {
    await page.getByTestId('open-add-consumer').click();
    const dialog = page.getByRole('dialog', { name: 'Add consumer' });
    await expect(dialog.getByTestId('assignor-hint')).toContainText('[RangeAssignor, CooperativeStickyAssignor]');
    await dialog.getByLabel('group.id').fill('');
    await dialog.getByRole('checkbox', { name: 'orders' }).uncheck();
    await dialog.getByRole('button', { name: 'Start consumer' }).click();
    await expect(dialog.getByTestId('group-id-error')).toHaveText('Enter a group.id.');
    await expect(dialog.getByTestId('topics-error')).toHaveText('Choose at least one topic to subscribe to.');
    await expect(dialog.getByLabel('group.id')).toBeFocused();
    await screenshotTo(SHOTS, page, 'add-consumer-errors-en-light.png');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
  });

  await test.step('one consumer in group "inventory": Stable, one member owning the 3 partitions', async () => {
    await addConsumer(page, { groupId: 'inventory' });
    await expect(groupItem(page, 'inventory')).toBeVisible({ timeout: GROUP_TIMEOUT });
    await skip10s(page);
    await expect(groupItem(page, 'inventory')).toHaveAttribute('data-state', 'Stable', { timeout: GROUP_TIMEOUT });
    await expect(page.getByTestId('group-overview').getByTestId('group-member-count')).toHaveText('1');
    await expect(page.getByTestId('group-overview').getByTestId('group-assignor')).toHaveText('range');
    await expect(page.getByTestId('group-overview').getByTestId('group-coordinator')).toHaveText(/^Broker \d$/);
    const member = memberRow(page, 'inventory-1');
    await expect(member).toHaveAttribute('data-member', 'true');
    await expect(member.getByTestId('partition-chip')).toHaveText(['orders-0', 'orders-1', 'orders-2']);
    await expect(member).toHaveAttribute('data-consumer-state', 'STABLE');
    await expect(describeRows(page)).toHaveCount(3);
    expect(await rowsPerClient(page)).toEqual({ 'inventory-1': 3 });
    await expect(page.getByTestId('rebalance')).toHaveCount(1);
    await expect(page.getByTestId('rebalance').first()).toHaveAttribute('data-running', 'false');
  });

  await test.step('a second consumer: the rebalance shows in the history and the partitions split 2 + 1', async () => {
    // Slow on purpose (250 ms of engine time per record), so its lag can be seen below.
    await addConsumer(page, { processingMs: 250 });
    await skip10s(page);
    await expect(page.getByTestId('group-overview').getByTestId('group-member-count')).toHaveText('2', { timeout: GROUP_TIMEOUT });
    await expect(groupItem(page, 'inventory')).toHaveAttribute('data-state', 'Stable', { timeout: GROUP_TIMEOUT });
    await expect.poll(() => rowsPerClient(page), { timeout: GROUP_TIMEOUT }).toEqual({ 'inventory-1': 2, 'inventory-2': 1 });
    await expect(memberRow(page, 'inventory-1').getByTestId('partition-chip')).toHaveCount(2);
    await expect(memberRow(page, 'inventory-2').getByTestId('partition-chip')).toHaveCount(1);

    const newest = page.getByTestId('rebalance').first();
    await expect(newest).toHaveAttribute('data-running', 'false');
    await expect(newest).toHaveAttribute('data-generation', /^[2-9]$/);
    await expect(newest.getByTestId('rebalance-summary')).toContainText(/members 1 → 2/);
    await expect(newest.getByTestId('rebalance-members-after')).toHaveText(/inventory-1, inventory-2|inventory-2, inventory-1/);
    await expect(newest.locator('[data-testid="rebalance-change"][data-client-id="inventory-2"]').getByTestId('change-added')).toBeVisible();
    await expect(newest.getByTestId('stw-bar').first()).toHaveAttribute('data-paused-ms', /^\d+$/);
    await expect(page.getByTestId('group-overview').getByTestId('group-generation')).toHaveText(/^[2-9]$/);
  });

  await test.step('records produced to orders move LOG-END-OFFSET, then LAG, then CURRENT-OFFSET', async () => {
    expect(await columnSum(page, 'col-log-end-offset')).toBe(0);
    await page.getByRole('link', { name: 'Topics' }).click();
    await page.locator('[data-testid="topic-row"][data-topic="orders"]').click();
    const form = page.getByTestId('produce-form');
    for (const partition of ['0', '1', '2']) {
      await form.getByLabel('Partition', { exact: true }).selectOption(partition);
      for (const n of [1, 2, 3, 4]) {
        await form.getByLabel('Key', { exact: true }).fill(`order-${partition}-${n}`);
        await form.getByLabel('Value', { exact: true }).fill(`{"sku":"book","qty":${n}}`);
        await form.getByRole('button', { name: 'Send' }).click();
        await expect(form.getByTestId('produce-result')).toHaveText(new RegExp(`^Written to partition ${partition} at offset ${n - 1}\\.$`));
      }
    }
    await page.getByRole('link', { name: 'Groups' }).click();
    await expect.poll(() => columnSum(page, 'col-log-end-offset'), { timeout: GROUP_TIMEOUT }).toBe(12);
    // Each LAG is LOG-END-OFFSET − CURRENT-OFFSET; the slow consumer's partition lags for a while.
    const lagSeen = await expect
      .poll(async () => Number((await page.getByTestId('summary-lag').textContent())?.replace(/,/g, '') ?? 0), { timeout: 10_000, intervals: [100] })
      .toBeGreaterThan(0)
      .then(() => true)
      .catch(() => false);
    if (!lagSeen) test.info().annotations.push({ type: 'note', description: 'LAG was already 0 when first looked at: the consumers caught up between two snapshots.' });
    for (const row of await describeRows(page).all()) {
      const current = (await row.getByTestId('col-current-offset').textContent())?.trim() ?? '-';
      const end = Number((await row.getByTestId('col-log-end-offset').textContent())?.trim());
      const lag = (await row.getByTestId('col-lag').textContent())?.trim() ?? '-';
      if (current === '-') expect(lag).toBe('-');
      else expect(Number(lag)).toBe(end - Number(current));
    }
    await screenshotTo(SHOTS, page, 'groups-lag-en-light.png', 'groups.png');
    // Auto-commit runs every 5 s of engine time; a minute later everything is consumed and committed.
    for (let i = 0; i < 6; i++) await skip10s(page);
    await expect.poll(() => columnSum(page, 'col-current-offset'), { timeout: GROUP_TIMEOUT }).toBe(12);
    await expect.poll(() => columnSum(page, 'col-lag'), { timeout: GROUP_TIMEOUT }).toBe(0);
    await expect(page.getByTestId('summary-lag')).toHaveText('0');
    await expect(memberRow(page, 'inventory-1').getByTestId('consumer-records')).toHaveText('8');
    await expect(memberRow(page, 'inventory-2').getByTestId('consumer-records')).toHaveText('4');
    await screenshotTo(SHOTS, page, 'groups-en-light.png');
  });

  await test.step("a consumer's log reads as the Java client prints it, and follows live", async () => {
    await memberRow(page, 'inventory-1').getByTestId('consumer-log').click();
    const panel = page.getByTestId('consumer-log-panel');
    await expect(panel).toBeVisible();
    await expect(panel.getByRole('heading', { name: 'Log of inventory-1' })).toBeVisible();
    const lines = panel.getByTestId('consumer-log-line');
    await expect(lines.first()).toContainText('[Consumer clientId=inventory-1, groupId=inventory]');
    await expect(lines.first()).toHaveText(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] (INFO|WARN|ERROR|DEBUG) /);
    await page.getByTestId('consumer-log-lines').evaluate((el) => el.scrollIntoView());
    await page.waitForTimeout(300);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'groups-log-en-light.png') });
  });

  await test.step('Korean and the dark theme', async () => {
    await setLook(page, 'ko-dark');
    await expect(page.getByRole('heading', { name: '컨슈머 그룹', level: 1 })).toBeVisible();
    await expect(page.getByTestId('open-add-consumer')).toHaveText('컨슈머 추가');
    // Kafka's own words stay as the tools print them.
    await expect(page.getByTestId('describe-table').locator('thead th').first()).toHaveText('GROUP');
    await expect(page.getByTestId('group-overview').getByTestId('group-state')).toContainText('Stable');
    await expect(page.getByTestId('rebalance').first().getByTestId('rebalance-summary')).toContainText('제너레이션');
    await screenshotTo(SHOTS, page, 'groups-ko-dark.png');
    await page.getByTestId('consumer-log-close').click();
    await setLook(page, 'en-dark');
    await screenshotTo(SHOTS, page, 'groups-en-dark.png');
    await setLook(page, 'ko-light');
    await screenshotTo(SHOTS, page, 'groups-ko-light.png');
    await setLook(page, 'en-light');
  });

  await test.step('Kafka refuses to delete a group with members: NON_EMPTY_GROUP', async () => {
    await page.getByTestId('delete-group').click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete group inventory?' });
    await expect(confirm).toBeVisible();
    await expect(confirm.getByTestId('delete-group-body')).toContainText('NON_EMPTY_GROUP');
    await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await confirm.getByTestId('confirm-delete-group').click();
    await expect(confirm.getByTestId('engine-error-name')).toHaveText('NON_EMPTY_GROUP');
    await expect(confirm.getByTestId('engine-error-message')).not.toHaveText('');
    await screenshotTo(SHOTS, page, 'delete-group-refused-en-light.png');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
    await expect(groupItem(page, 'inventory')).toBeVisible();
  });

  await test.step('Close sends LeaveGroup: the group rebalances at once and one member owns all 3 partitions', async () => {
    const before = await page.getByTestId('rebalance').count();
    await memberRow(page, 'inventory-2').getByTestId('consumer-close').click();
    await expect(page.locator('[data-testid="rebalance"][data-cause="leave"]').first()).toBeVisible({ timeout: GROUP_TIMEOUT });
    await skip10s(page);
    await expect(page.getByTestId('group-overview').getByTestId('group-member-count')).toHaveText('1', { timeout: GROUP_TIMEOUT });
    await expect.poll(() => rowsPerClient(page), { timeout: GROUP_TIMEOUT }).toEqual({ 'inventory-1': 3 });
    expect(await page.getByTestId('rebalance').count()).toBeGreaterThan(before);
    await expect(memberRow(page, 'inventory-2')).toHaveAttribute('data-consumer-state', 'CLOSED');
    await expect(memberRow(page, 'inventory-2')).toHaveAttribute('data-member', 'false');
  });

  await test.step('Crash sends nothing: the member stays until session.timeout.ms, then the group is Empty', async () => {
    await memberRow(page, 'inventory-1').getByTestId('consumer-crash').click();
    await expect(memberRow(page, 'inventory-1')).toHaveAttribute('data-consumer-state', 'CRASHED');
    // No LeaveGroup: the coordinator has not noticed, the member is still there (for 45 s of engine time).
    await expect(memberRow(page, 'inventory-1')).toHaveAttribute('data-member', 'true');
    await expect(page.getByTestId('group-overview').getByTestId('group-member-count')).toHaveText('1');
    await expect(groupItem(page, 'inventory')).toHaveAttribute('data-state', 'Stable');
    await screenshotTo(SHOTS, page, 'groups-crashed-en-light.png');
    // session.timeout.ms is 45 s by default.
    for (let i = 0; i < 6; i++) await skip10s(page);
    await expect(groupItem(page, 'inventory')).toHaveAttribute('data-state', 'Empty', { timeout: GROUP_TIMEOUT });
    await expect(page.locator('[data-testid="rebalance"][data-cause="session-timeout"]').first()).toBeVisible();
    await expect(page.getByTestId('no-active-members')).toHaveText('Consumer group inventory has no active members.');
    // The committed offsets stay: CURRENT-OFFSET without a consumer.
    await expect(describeRows(page).first().getByTestId('col-client-id')).toHaveText('-');
    await expect.poll(() => columnSum(page, 'col-current-offset')).toBe(12);
    await screenshotTo(SHOTS, page, 'groups-empty-en-light.png');
  });

  await test.step('an Empty group is deleted', async () => {
    await page.getByTestId('delete-group').click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete group inventory?' });
    await confirm.getByTestId('confirm-delete-group').click();
    await expect(confirm).toBeHidden();
    await expect(groupItem(page, 'inventory')).toHaveCount(0, { timeout: GROUP_TIMEOUT });
    await expect(page.getByTestId('no-groups')).toBeVisible();
  });

  expect(pageErrors).toEqual([]);
});
