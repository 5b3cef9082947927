/**
 * The Topics view and its message browser end to end, in Chromium against a real `kafka-lab serve`
 * (seeded): a learner creates a topic (Kafka's validation on the way), produces keyed records with
 * headers from the produce form and sees them in the browser with their headers and batch
 * boundaries; kafka-producer-perf-test fills a partition with 100,000 records, and the browser
 * scrolls to its last offsets, jumps to offset 50000 and to a time (ListOffsets: the earliest
 * offset at or after it), and tails new records live, letting go when the user scrolls up. Then the
 * topic grows from 3 to 6 partitions and gets retention.ms through the config editor. Screenshots
 * in English and Korean, light and dark, go to test-results/screenshots/topics/ (the README's
 * topics.png and messages.png with KAFKA_LAB_README_SHOTS=1), and axe-core finds no serious
 * violation on the view.
 */
import AxeBuilder from '@axe-core/playwright';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { contractClient, type ContractClient } from './contract-client';
import { screenshotTo, setLook, type Look } from './ui-helpers';
import { REPO_ROOT, startWorkbench, type WorkbenchServer } from './workbench-server';

const SHOTS = join(REPO_ROOT, 'test-results', 'screenshots', 'topics');
const BIG_RECORDS = 100_000;
const PERF_TEST =
  'kafka-producer-perf-test --topic big --num-records 100000 --record-size 100 --throughput -1 --producer-props bootstrap.servers=localhost:9092';

let server: WorkbenchServer;
let api: ContractClient;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  server = await startWorkbench(['--seed', '11']);
  api = await contractClient(server.url);
});

test.afterAll(async () => {
  api?.close();
  await server?.stop();
});

interface ReadAnswer {
  records: { offset: number; timestampMs: number; key: string | null; batchBaseOffset: number }[];
  highWatermark: number;
}

function topicRow(page: Page, name: string): Locator {
  return page.locator(`[data-testid="topic-row"][data-topic="${name}"]`);
}

function messageRow(page: Page, offset: number): Locator {
  return page.locator(`[data-testid="message-row"][data-offset="${offset}"]`);
}

/** Screenshot of the message browser panel, scrolled into view, for the README's messages.png. */
async function browserShot(page: Page, name: string, readmeName?: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const panel = page.getByTestId('message-browser');
  await panel.scrollIntoViewIfNeeded();
  await page.waitForTimeout(400);
  await panel.screenshot({ path: join(SHOTS, name) });
  if (readmeName !== undefined && process.env.KAFKA_LAB_README_SHOTS === '1') {
    mkdirSync(join(REPO_ROOT, 'docs', 'screenshots'), { recursive: true });
    copyFileSync(join(SHOTS, name), join(REPO_ROOT, 'docs', 'screenshots', readmeName));
  }
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
}

async function produceFromForm(page: Page, record: { key: string; value: string; headers?: [string, string][]; partition?: string; acks?: '0' | '1' | 'all' }): Promise<string> {
  const form = page.getByTestId('produce-form');
  await form.getByLabel('Key', { exact: true }).fill(record.key);
  await form.getByLabel('Value', { exact: true }).fill(record.value);
  // Clear the rows of the previous record, then add this one's.
  const remove = form.getByRole('button', { name: /^Remove header/ });
  while ((await remove.count()) > 0) await remove.first().click();
  for (const [name, value] of record.headers ?? []) {
    await form.getByTestId('add-header').click();
    await form.getByLabel('Header name').last().fill(name);
    await form.getByLabel('Header value').last().fill(value);
  }
  await form.getByLabel('Partition', { exact: true }).selectOption(record.partition ?? '');
  await form.getByLabel('acks').selectOption(record.acks ?? 'all');
  await form.getByRole('button', { name: 'Send' }).click();
  const result = form.getByTestId('produce-result');
  await expect(result).toHaveText(/^Written to partition \d at offset \d+\.$/);
  return (await result.textContent()) ?? '';
}

test('create a topic with Kafka validation, produce keyed records with headers, see them with batch boundaries', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await page.goto(server.url);
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  await page.getByTestId('nav-topics').click();

  await test.step('the create dialog checks Kafka rules: replication factor against the brokers, the period/underscore warning', async () => {
    await page.getByTestId('topics-create-topic').click();
    const dialog = page.getByRole('dialog', { name: 'Create topic' });
    await dialog.getByLabel('Topic name').fill('order.events');
    await expect(dialog.getByTestId('name-warning')).toContainText("Topic names with a period ('.') or underscore ('_') could collide");
    await dialog.getByLabel('Topic name').fill('orders');
    await expect(dialog.getByTestId('name-warning')).toHaveCount(0);
    await dialog.getByRole('spinbutton', { name: 'Replication factor' }).fill('4');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog.getByTestId('replication-factor-kafka')).toContainText(
      'INVALID_REPLICATION_FACTOR Unable to replicate the partition 4 time(s): The target replication factor of 4 cannot be reached because only 3 broker(s) are registered.',
    );
    await dialog.getByRole('button', { name: 'Add config' }).click();
    await dialog.getByLabel('Config name').fill('retention.ms');
    await dialog.getByLabel('Value', { exact: true }).fill('one hour');
    await expect(dialog.getByText('Enter a whole number.')).toBeVisible();
    await dialog.getByRole('button', { name: /^Remove config/ }).click();
    await dialog.getByRole('spinbutton', { name: 'Replication factor' }).fill('3');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog).toBeHidden();
    await expect(topicRow(page, 'orders')).toContainText('Fully replicated');
    await expect(page.getByTestId('partition-row')).toHaveCount(3);
  });

  await test.step('keyed records with headers, produced from the form, show in the browser with their headers', async () => {
    await topicRow(page, 'orders').click();
    await produceFromForm(page, { key: 'order-1', value: '{"id":1,"item":"book"}', headers: [['trace-id', 'abc-1'], ['source', 'web']], partition: '0' });
    await produceFromForm(page, { key: 'order-2', value: '{"id":2,"item":"pen"}', headers: [['trace-id', 'abc-2']], partition: '0', acks: '1' });
    const last = await produceFromForm(page, { key: 'order-3', value: 'plain text', partition: '0' });
    expect(last).toBe('Written to partition 0 at offset 2.');

    // "Show in the browser" opens the record just written, with its details.
    await page.getByTestId('produce-show').click();
    await expect(page.getByTestId('messages-partition')).toHaveValue('0');
    await expect(messageRow(page, 2)).toHaveAttribute('aria-selected', 'true');
    const details = page.getByTestId('message-details');
    await expect(details).toContainText('Record at offset 2');
    await expect(details.getByTestId('details-value')).toHaveText('plain text');

    const rows = page.getByTestId('message-table').getByTestId('message-row');
    await expect(rows).toHaveCount(3);
    await expect(messageRow(page, 0).getByTestId('message-key')).toHaveText('order-1');
    await expect(messageRow(page, 0).getByTestId('message-headers')).toContainText('trace-id=abc-1, source=web');
    await expect(messageRow(page, 1).getByTestId('message-headers')).toContainText('trace-id=abc-2');
    // Each record sent alone is a batch of its own: every row starts a batch.
    for (const offset of [0, 1, 2]) await expect(messageRow(page, offset)).toHaveAttribute('data-batch-start', 'true');
    await expect(messageRow(page, 0).getByTestId('batch-gutter')).toHaveAttribute('title', /^Record batch 0 to 0: 1 records, \d+ bytes$/);

    // The keyboard: up twice from offset 2 selects offset 0; Enter shows its headers in full and the JSON pretty-printed.
    await page.getByTestId('message-scroller').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect(messageRow(page, 0)).toHaveAttribute('aria-selected', 'true');
    await expect(details.getByTestId('details-headers')).toContainText('trace-id');
    await expect(details.getByTestId('details-headers')).toContainText('abc-1');
    await expect(details.getByTestId('details-value')).toHaveText('{\n  "id": 1,\n  "item": "book"\n}');
    await expect(details.getByTestId('details-batch').locator('[data-field="baseOffset"]')).toHaveText('0');
    await expect(details.getByTestId('details-batch').locator('[data-field="count"]')).toHaveText('1');
    await page.keyboard.press('Escape');
    await expect(details).toBeHidden();
    await page.keyboard.press('Enter');
    await expect(details).toBeVisible();
  });

  await test.step('screenshots of the Topics view in four looks (English light for the README)', async () => {
    await screenshotTo(SHOTS, page, 'topics-en-light.png', 'topics.png');
    for (const look of ['ko-dark', 'en-dark', 'ko-light'] as const satisfies readonly Look[]) {
      await setLook(page, look);
      await screenshotTo(SHOTS, page, `topics-${look}.png`);
    }
    await expect(page.getByRole('heading', { name: '메시지' })).toBeVisible();
    await setLook(page, 'en-light');
  });

  await test.step('axe-core finds no serious violation on the view with records and details shown', async () => {
    expect(await seriousViolations(page)).toEqual([]);
  });
  expect(errors).toEqual([]);
});

test('a partition of 100,000 records: scroll to the end, jump to an offset and a time, live tail', async ({ page }) => {
  test.setTimeout(420_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await test.step('kafka-producer-perf-test writes 100,000 records through the console', async () => {
    await api.command('createTopic', { name: 'big', partitions: 1, replicationFactor: 1 });
    await api.command('consoleRun', { sessionId: 'perf', line: PERF_TEST });
    await expect
      .poll(async () => (await api.query<{ running: string | null }>('consoleOutput', { sessionId: 'perf', afterLine: 0 })).running, { timeout: 300_000, intervals: [500] })
      .toBeNull();
    const read = await api.query<ReadAnswer>('readRecords', { topic: 'big', partition: 0, offset: 0, maxRecords: 1 });
    expect(read.highWatermark).toBe(BIG_RECORDS);
  });

  await page.goto(server.url);
  await page.getByTestId('nav-topics').click();
  await topicRow(page, 'big').click();
  // The grid is its own scroller: one tab stop that scrolls, selects and opens.
  const grid = page.getByTestId('message-scroller');
  const scroller = grid;
  await page.getByTestId('message-browser').scrollIntoViewIfNeeded();

  await test.step('the browser spans the whole partition and scrolls to its last offsets', async () => {
    await expect(page.getByTestId('browser-status')).toContainText('Offsets 0 to 99999 · 100000 records below the high watermark 100000');
    await expect(grid).toHaveAttribute('aria-rowcount', String(BIG_RECORDS + 1));
    await expect(messageRow(page, 0)).toHaveAttribute('data-kind', 'record');
    // Only the rows in view (and a few around) are in the page.
    expect(await page.getByTestId('message-row').count()).toBeLessThan(60);
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect(messageRow(page, 99_999)).toHaveAttribute('data-kind', 'record');
    await expect(messageRow(page, 99_999)).toBeInViewport();
    // Batches of the perf test hold many records: boundaries are rules between runs of rows.
    const visible = page.locator('[data-testid="message-row"][data-kind="record"]');
    const starts = page.locator('[data-testid="message-row"][data-batch-start="true"]');
    expect(await starts.count()).toBeLessThan(await visible.count());
    await expect(messageRow(page, 99_999).getByTestId('batch-gutter')).toHaveAttribute('title', /^Record batch \d+ to 99999: \d+ records, \d+ bytes$/);
  });

  await test.step('Home and End move through the whole partition from the keyboard', async () => {
    await grid.focus();
    await page.keyboard.press('Home');
    await expect(messageRow(page, 0)).toHaveAttribute('aria-selected', 'true');
    await expect(messageRow(page, 0)).toBeInViewport();
    await page.keyboard.press('End');
    await expect(messageRow(page, 99_999)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowUp');
    await expect(messageRow(page, 99_998)).toHaveAttribute('aria-selected', 'true');
  });

  await test.step('jump to offset 50000', async () => {
    await page.getByTestId('messages-offset').fill('50000');
    await page.getByTestId('messages-read').click();
    await expect(messageRow(page, 50_000)).toHaveAttribute('aria-selected', 'true');
    await expect(messageRow(page, 50_000)).toHaveAttribute('data-kind', 'record');
    await expect(messageRow(page, 50_000)).toBeInViewport();
    await expect(page.getByTestId('jump-feedback')).toHaveText('Showing offset 50000.');
    await page.getByTestId('messages-offset').fill('100000');
    await page.getByTestId('messages-read').click();
    await expect(page.getByTestId('jump-feedback')).toHaveText('Offset 100000 is not below the high watermark 100000: consumers cannot read it yet.');
  });

  await test.step('live tail follows new records, lets go when the user scrolls up, and resumes', async () => {
    await page.getByTestId('tail-toggle').click();
    await expect(page.getByTestId('tail-toggle')).toHaveAttribute('aria-pressed', 'true');
    await expect(messageRow(page, 99_999)).toBeInViewport();
    await api.command('produceRecord', { topic: 'big', partition: 0, key: 'tail-1', value: '{"live":true}', headers: [{ key: 'trace-id', value: 'tail' }] });
    await expect(messageRow(page, 100_000).getByTestId('message-key')).toHaveText('tail-1');
    await expect(messageRow(page, 100_000)).toBeInViewport();

    await scroller.hover();
    await page.mouse.wheel(0, -600);
    await expect(page.getByTestId('tail-toggle')).toHaveAttribute('aria-pressed', 'false');
    await api.command('produceRecord', { topic: 'big', partition: 0, key: 'tail-2', value: 'after letting go' });
    const resume = page.getByTestId('tail-resume');
    await expect(resume).toHaveText('Resume live tail (1 new)');
    await expect(messageRow(page, 100_001)).not.toBeInViewport();
    await resume.click();
    await expect(messageRow(page, 100_001).getByTestId('message-key')).toHaveText('tail-2');
    await expect(messageRow(page, 100_001)).toBeInViewport();
  });

  await test.step('jump to a time: the earliest offset whose timestamp is at or after it (ListOffsets)', async () => {
    const readOne = async (offset: number) => (await api.query<ReadAnswer>('readRecords', { topic: 'big', partition: 0, offset, maxRecords: 1 })).records[0]!;
    const jumpTo = async (timestampMs: number): Promise<number> => {
      const local = await page.evaluate((ms) => {
        const d = new Date(ms);
        const p = (n: number, w = 2) => String(n).padStart(w, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
      }, timestampMs);
      await page.getByTestId('jump-time').fill(local);
      await page.getByRole('button', { name: 'Go to the first record at or after this time' }).click();
      await expect(page.getByTestId('jump-feedback')).toContainText(new RegExp(`Offset \\d+ is the first record at or after .*${local.slice(-6).replace('.', '\\.')}`));
      return Number(/Offset (\d+)/.exec((await page.getByTestId('jump-feedback').textContent()) ?? '')?.[1]);
    };
    // The perf test's records share engine milliseconds: the answer is the first record of the millisecond of offset 70000.
    const asked = (await readOne(70_000)).timestampMs;
    const found = await jumpTo(asked);
    expect(found).toBeLessThanOrEqual(70_000);
    expect((await readOne(found)).timestampMs).toBeGreaterThanOrEqual(asked);
    if (found > 0) expect((await readOne(found - 1)).timestampMs).toBeLessThan(asked);
    await expect(messageRow(page, found)).toHaveAttribute('aria-selected', 'true');
    await expect(messageRow(page, found)).toBeInViewport();
    // A time after every perf record and up to the live-tail record's: that record, offset 100000.
    const tail = await readOne(100_000);
    expect(await jumpTo(tail.timestampMs - 1)).toBe(100_000);
    await expect(messageRow(page, 100_000)).toHaveAttribute('aria-selected', 'true');
    // Past the last record there is none yet.
    const local = await page.getByTestId('jump-time').inputValue();
    await page.getByTestId('jump-time').fill(`${local.slice(0, 11)}23:59:59.999`);
    await page.getByRole('button', { name: 'Go to the first record at or after this time' }).click();
    await expect(page.getByTestId('jump-feedback')).toContainText('No record at or after');
    await browserShot(page, 'messages-jump-en-light.png');
  });

  await test.step('screenshots of the browser over the big partition, a record open (English light for the README)', async () => {
    await page.getByTestId('tail-toggle').click();
    // Around the start of the last batch, so the picture shows a batch boundary.
    const lastBatch = (await api.query<ReadAnswer>('readRecords', { topic: 'big', partition: 0, offset: 99_999, maxRecords: 1 })).records[0]!.batchBaseOffset;
    await page.getByTestId('messages-offset').fill(String(lastBatch));
    await page.getByTestId('messages-read').click();
    await expect(messageRow(page, lastBatch)).toHaveAttribute('data-batch-start', 'true');
    await expect(messageRow(page, lastBatch - 1)).not.toHaveAttribute('data-batch-start', 'true');
    await messageRow(page, lastBatch).click();
    await expect(page.getByTestId('message-details')).toContainText(`Record at offset ${lastBatch}`);
    await expect(page.getByTestId('details-batch').locator('[data-field="baseOffset"]')).toHaveText(String(lastBatch));
    await browserShot(page, 'messages-en-light.png', 'messages.png');
    for (const look of ['ko-dark', 'en-dark', 'ko-light'] as const satisfies readonly Look[]) {
      await setLook(page, look);
      await browserShot(page, `messages-${look}.png`);
    }
    await setLook(page, 'en-light');
  });

  await test.step('axe-core finds no serious violation with 100,000 rows and the details open', async () => {
    expect(await seriousViolations(page)).toEqual([]);
  });
  expect(errors).toEqual([]);
});

test('alter partitions 3 -> 6 and set retention.ms through the config editor', async ({ page }) => {
  await page.goto(server.url);
  await page.getByTestId('nav-topics').click();
  await topicRow(page, 'orders').click();

  await test.step("fewer partitions are refused with Kafka's message; 6 are added", async () => {
    await page.getByTestId('open-alter-partitions').click();
    const dialog = page.getByRole('dialog', { name: 'Add partitions to orders' });
    await expect(dialog.getByText('The topic has 3 partitions now.')).toBeVisible();
    await dialog.getByLabel('Partitions in total').fill('2');
    await dialog.getByRole('button', { name: 'Add partitions' }).click();
    await expect(dialog.getByTestId('alter-partitions-error')).toHaveText('The topic has 3 partitions; 2 would remove some, and Kafka never removes partitions.');
    await expect(dialog.getByTestId('alter-partitions-kafka')).toContainText('INVALID_PARTITIONS Topic currently has 3 partitions, which is higher than the requested 2.');
    await dialog.getByLabel('Partitions in total').fill('6');
    await dialog.getByRole('button', { name: 'Add partitions' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('partition-row')).toHaveCount(6);
    await expect(topicRow(page, 'orders').locator('td').first()).toHaveText('6');
    await expect(page.getByTestId('messages-partition').locator('option')).toHaveCount(6);
  });

  await test.step('the config editor lists every config with its source; retention.ms becomes a topic override', async () => {
    await page.getByTestId('open-configs').click();
    const dialog = page.getByRole('dialog', { name: 'Configs of orders' });
    const retention = dialog.locator('[data-testid="config-row"][data-config="retention.ms"]');
    await expect(retention).toHaveAttribute('data-source', 'DEFAULT_CONFIG');
    await expect(retention.getByTestId('config-value')).toHaveText('604800000');
    await expect(retention).toContainText('(7 d)');
    await expect(dialog.getByTestId('config-row')).toHaveCount(19);
    await retention.getByTestId('config-edit').click();
    const input = retention.getByLabel('New value of retention.ms');
    await expect(input).toBeFocused();
    await input.fill('an hour');
    await retention.getByTestId('config-save').click();
    await expect(retention.getByTestId('config-error')).toHaveText('Enter a whole number.');
    await input.fill('3600000');
    await retention.getByTestId('config-save').click();
    await expect(retention).toHaveAttribute('data-source', 'DYNAMIC_TOPIC_CONFIG');
    await expect(retention.getByTestId('config-value')).toHaveText('3600000');
    await expect(retention).toContainText('Topic override');
    await expect(dialog.getByTestId('config-changed')).toHaveText('retention.ms is now a topic override.');
    await screenshotTo(SHOTS, page, 'configs-en-light.png');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('open-configs')).toBeFocused();
    // The override shows in Korean too; the dialog is modal, so the language changes with it closed.
    await setLook(page, 'ko-dark');
    await page.getByTestId('open-configs').click();
    const korean = page.getByRole('dialog', { name: 'orders의 설정' });
    await expect(korean.locator('[data-testid="config-row"][data-config="retention.ms"]')).toContainText('토픽 오버라이드');
    await screenshotTo(SHOTS, page, 'configs-ko-dark.png');
    await page.keyboard.press('Escape');
    await expect(korean).toBeHidden();
    await setLook(page, 'en-light');
    await expect(topicRow(page, 'orders')).toContainText('retention.ms=3600000');
  });
});
