/**
 * Issue 2, item 3: the renderer frame end to end, in Chromium against a real `kafka-lab serve`.
 * A learner sees the three brokers, creates a topic through the dialog (and is stopped, in their
 * language, by Kafka's rules), sees every partition's leader and ISR, produces a record and reads
 * it back, and switches to Korean and the dark theme. Screenshots of each state go to
 * test-results/, and the English Cluster view also to docs/screenshots/ for the README.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { REPO_ROOT, startWorkbench, type WorkbenchServer } from './workbench-server';

const SHOTS = join(REPO_ROOT, 'test-results');
const README_SHOTS = join(REPO_ROOT, 'docs', 'screenshots');
/** The README's pictures are refreshed only on request, so a test run leaves the work tree clean. */
const UPDATE_README_SHOTS = process.env.KAFKA_LAB_README_SHOTS === '1';

function toReadme(shot: string, name: string): void {
  if (!UPDATE_README_SHOTS) return;
  mkdirSync(README_SHOTS, { recursive: true });
  copyFileSync(shot, join(README_SHOTS, name));
}

let server: WorkbenchServer;

test.beforeAll(async () => {
  server = await startWorkbench();
});

test.afterAll(async () => {
  await server?.stop();
});

async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, name);
  // Let the chart and the status stream settle so the picture shows a steady state.
  await page.waitForTimeout(300);
  await page.screenshot({ path });
  return path;
}

function createTopicDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Create topic' });
}

async function openCreateTopic(page: Page): Promise<Locator> {
  await page.getByTestId('open-create-topic').click();
  const dialog = createTopicDialog(page);
  await expect(dialog).toBeVisible();
  return dialog;
}

test('cluster and topics: brokers, create topic with Kafka validation, produce and read, Korean and dark theme', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });

  await test.step('the UI connects and shows three running brokers', async () => {
    await page.goto(server.url);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
    await expect(page.getByTestId('cluster-id').locator('code')).toHaveText(/\S{8,}/);
    const brokers = page.getByTestId('broker-card');
    await expect(brokers).toHaveCount(3);
    for (const card of await brokers.all()) await expect(card).toContainText('Running');
    await expect(page.getByTestId('controller-badge')).toHaveCount(1);
    await expect(page.getByTestId('summary-brokers')).toHaveText('3 / 3');
    // The token left the address bar once the page had it (it lives in a cookie now).
    expect(page.url()).not.toContain('token=');
  });

  await test.step('every area of the navigation is a link to its view; an unknown route goes to the cluster', async () => {
    for (const [name, path] of [
      ['Cluster', '#/cluster'],
      ['Reports', '#/reports'],
    ] as const) {
      await expect(page.getByRole('link', { name, exact: true })).toHaveAttribute('href', path);
    }
    await page.goto(new URL('/#/no-such-view', server.url).href);
    await expect(page).toHaveURL(/#\/cluster$/);
  });

  await test.step('an illegal topic name is refused in the dialog, before anything is sent', async () => {
    const dialog = await openCreateTopic(page);
    await expect(dialog.getByLabel('Topic name')).toBeFocused();
    await expect(dialog.getByRole('spinbutton', { name: 'Partitions' })).toHaveValue('3');
    await expect(dialog.getByRole('spinbutton', { name: 'Replication factor' })).toHaveValue('3');
    await dialog.getByLabel('Topic name').fill('bad name!');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog.getByTestId('name-error')).toHaveText(
      "Only ASCII letters, digits, '.', '_' and '-' are allowed. Not allowed: spaces and !",
    );
    await expect(dialog.getByLabel('Topic name')).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog.getByLabel('Topic name')).toBeFocused();
    await expect(dialog.getByTestId('create-topic-engine-error')).toHaveCount(0);
  });

  await test.step('a replication factor above the running brokers is refused in the dialog', async () => {
    const dialog = createTopicDialog(page);
    await dialog.getByLabel('Topic name').fill('orders');
    await expect(dialog.getByTestId('name-error')).toHaveCount(0);
    await dialog.getByRole('spinbutton', { name: 'Replication factor' }).fill('4');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog.getByTestId('replication-factor-error')).toHaveText(
      'Replication factor 4 needs 4 running brokers, but only 3 are running: each replica of a partition lives on a different broker.',
    );
    await screenshot(page, 'create-topic-error-en-light.png');
  });

  await test.step('focus stays inside the dialog, and Escape closes it with nothing created', async () => {
    const dialog = createTopicDialog(page);
    await dialog.getByRole('button', { name: 'Create' }).focus();
    await page.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(dialog.getByRole('button', { name: 'Create' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(createTopicDialog(page)).toBeHidden();
    await expect(page.getByTestId('open-create-topic')).toBeFocused();
    await expect(page.getByTestId('no-topics')).toBeVisible();
  });

  await test.step('a topic with 3 partitions and replication factor 3 is created through the dialog', async () => {
    const dialog = await openCreateTopic(page);
    await dialog.getByLabel('Topic name').fill('orders');
    await dialog.getByRole('spinbutton', { name: 'Partitions' }).fill('3');
    await dialog.getByRole('spinbutton', { name: 'Replication factor' }).fill('3');
    await dialog.getByRole('button', { name: 'Add config' }).click();
    await dialog.getByLabel('Config name').fill('min.insync.replicas');
    await dialog.getByLabel('Value', { exact: true }).fill('2');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog).toBeHidden();
  });

  await test.step('every partition has a leader and three in-sync replicas', async () => {
    const grid = page.locator('[data-testid="partition-grid"][data-topic="orders"]');
    const rows = grid.getByTestId('partition-row');
    await expect(rows).toHaveCount(3);
    const leaders = new Set<string>();
    for (const row of await rows.all()) {
      await expect(row.locator('[data-testid="replica-cell"][data-role="leader"]')).toHaveCount(1);
      await expect(row.locator('[data-testid="replica-cell"][data-role="follower"]')).toHaveCount(2);
      await expect(row.locator('[data-testid="replica-cell"][data-in-sync="true"]')).toHaveCount(3);
      await expect(row.locator('[data-role="leader"]')).toContainText('Leader');
      await expect(row.locator('[data-role="leader"]')).toContainText('in sync');
      const leader = (await row.getByTestId('partition-leader').textContent())?.trim() ?? '';
      const isr = (await row.getByTestId('partition-isr').textContent())?.trim().split(',') ?? [];
      const replicas = (await row.getByTestId('partition-replicas').textContent())?.trim().split(',') ?? [];
      expect(isr).toHaveLength(3);
      expect(new Set(replicas)).toEqual(new Set(isr));
      expect(isr).toContain(leader);
      leaders.add(leader);
    }
    // Kafka spreads the leaders of a new topic over the brokers, one each here.
    expect(leaders.size).toBe(3);
    await expect(page.getByTestId('broker-leaders')).toHaveText(['1', '1', '1']);
    await expect(page.getByTestId('broker-replicas')).toHaveText(['3', '3', '3']);
    await expect(page.getByTestId('offsets-chart').locator('canvas')).toBeVisible();
  });

  await test.step("the engine's refusal of a duplicate topic is shown with Kafka's error name and message", async () => {
    const dialog = await openCreateTopic(page);
    await dialog.getByLabel('Topic name').fill('orders');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const error = dialog.getByTestId('create-topic-engine-error');
    await expect(error).toBeVisible();
    await expect(error.getByTestId('engine-error-name')).toHaveText('TOPIC_ALREADY_EXISTS');
    await expect(error.getByTestId('engine-error-message')).toHaveText("Topic 'orders' already exists.");
    await screenshot(page, 'create-topic-engine-error-en-light.png');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
  });

  await test.step('a record produced in the Topics view shows up in the message table', async () => {
    await page.getByRole('link', { name: 'Topics' }).click();
    await expect(page).toHaveURL(/#\/topics$/);
    const row = page.locator('[data-testid="topic-row"][data-topic="orders"]');
    await expect(row).toContainText('min.insync.replicas=2');
    await expect(row).toContainText('Fully replicated');
    await row.click();
    await expect(page.getByTestId('selected-topic')).toContainText('orders');

    const form = page.getByTestId('produce-form');
    await form.getByLabel('Key', { exact: true }).fill('order-1');
    await form.getByLabel('Value', { exact: true }).fill('{"id":1,"item":"book"}');
    await form.getByLabel('acks').selectOption('all');
    await form.getByRole('button', { name: 'Send' }).click();
    const result = form.getByTestId('produce-result');
    await expect(result).toHaveText(/^Written to partition \d at offset 0\.$/);
    const partition = /partition (\d)/.exec((await result.textContent()) ?? '')?.[1] ?? '';

    const messages = page.getByTestId('message-table');
    await expect(page.getByTestId('messages-partition')).toHaveValue(partition);
    await expect(messages.getByTestId('message-row')).toHaveCount(1);
    await expect(messages.getByTestId('message-row').first()).toContainText('order-1');
    await expect(messages.getByTestId('message-value').first()).toHaveText('{"id":1,"item":"book"}');

    // Read it again the explicit way: choose the partition and an offset, then Read.
    await page.getByTestId('messages-offset').fill('0');
    await page.getByTestId('messages-read').click();
    await expect(messages.getByTestId('message-row')).toHaveCount(1);

    // A few more records, with a pinned partition and each acks setting, for the pictures.
    for (const [key, acks] of [['order-2', '1'], ['order-3', 'all'], ['order-4', '0'], ['order-5', 'all']] as const) {
      await form.getByLabel('Key', { exact: true }).fill(key);
      await form.getByLabel('Value', { exact: true }).fill(`{"id":${key.slice(-1)},"item":"pen"}`);
      await form.getByLabel('acks').selectOption(acks);
      await form.getByRole('button', { name: 'Send' }).click();
      await expect(result).toContainText(acks === '0' ? 'acks=0' : 'Written to partition');
    }
    await form.getByLabel('Partition', { exact: true }).selectOption(partition);
    await form.getByLabel('Key', { exact: true }).fill('order-6');
    await form.getByRole('button', { name: 'Send' }).click();
    await expect(result).toHaveText(new RegExp(`^Written to partition ${partition} at offset \\d\\.$`));
    await page.getByTestId('messages-refresh').click();
    await expect(messages.getByText('order-6')).toBeVisible();
    await page.locator('#main-content').evaluate((main) => main.scrollTo(0, 0));
    toReadme(await screenshot(page, 'topics-en-light.png'), 'topics.png');
  });

  await test.step('the Cluster view shows the offsets; its English picture goes to the README', async () => {
    await page.getByRole('link', { name: 'Cluster' }).click();
    const grid = page.locator('[data-testid="partition-grid"][data-topic="orders"]');
    const leo = grid.getByTestId('partition-leo');
    const total = async (): Promise<number> => (await leo.allTextContents()).reduce((sum, text) => sum + Number(text), 0);
    await expect.poll(total).toBe(6);
    await expect(grid.getByTestId('partition-hw')).toHaveText(await leo.allTextContents());
    toReadme(await screenshot(page, 'cluster-en-light.png'), 'cluster.png');
  });

  await test.step('Korean and the dark theme apply at once and are remembered', async () => {
    await page.getByTestId('language-switch').getByText('한국어').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await expect(page.getByRole('link', { name: '클러스터' })).toBeVisible();
    await expect(page.getByRole('heading', { name: '브로커', exact: true })).toBeVisible();
    await expect(page.getByTestId('connection-status')).toHaveText('연결됨');
    await expect(page.getByTestId('open-create-topic')).toHaveText('토픽 생성');
    await expect(page.getByTestId('nav-reports')).toHaveText('리포트');
    await expect(page.getByTestId('broker-card').first()).toContainText('실행 중');

    await page.getByTestId('theme-switch').getByText('다크').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(14, 18, 23)');
    await screenshot(page, 'cluster-ko-dark.png');

    const dialog = await (async () => {
      await page.getByTestId('open-create-topic').click();
      const d = page.getByRole('dialog', { name: '토픽 생성' });
      await expect(d).toBeVisible();
      return d;
    })();
    await dialog.getByLabel('토픽 이름').fill('..');
    await dialog.getByRole('button', { name: '생성' }).click();
    await expect(dialog.getByTestId('name-error')).toHaveText('토픽 이름은 "." 또는 ".."일 수 없습니다.');
    await dialog.getByRole('spinbutton', { name: '복제 계수' }).fill('4');
    await expect(dialog.getByTestId('replication-factor-error')).toContainText('복제 계수 4에는 실행 중인 브로커가 4개 필요하지만 지금은 3개뿐입니다.');
    await screenshot(page, 'create-topic-error-ko-dark.png');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await expect(page.getByTestId('connection-status')).toHaveText('연결됨');
    await page.getByRole('link', { name: '토픽' }).click();
    await expect(page.getByTestId('selected-topic')).toContainText('orders');
    await expect(page.getByRole('heading', { name: '레코드 보내기' })).toBeVisible();
    await screenshot(page, 'topics-ko-dark.png');
  });

  await test.step('a topic is deleted after confirmation', async () => {
    await page.getByRole('link', { name: '클러스터' }).click();
    await page.getByTestId('delete-topic').click();
    const confirm = page.getByRole('alertdialog', { name: 'orders 토픽을 삭제할까요?' });
    await expect(confirm).toBeVisible();
    await expect(confirm.getByRole('button', { name: '취소' })).toBeFocused();
    await confirm.getByTestId('confirm-delete').click();
    await expect(confirm).toBeHidden();
    await expect(page.getByTestId('no-topics')).toBeVisible();
    await expect(page.getByTestId('broker-leaders')).toHaveText(['0', '0', '0']);
  });

  expect(pageErrors).toEqual([]);
});
