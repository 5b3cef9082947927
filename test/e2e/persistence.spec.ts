/**
 * Issue 3, item 4: the cluster is persistent. A learner creates a topic and produces records in the
 * UI, the headless shell is restarted on the same data directory — once cleanly (SIGTERM), once
 * after a crash (SIGKILL) — and the UI shows the same topic, partitions and records each time.
 */
import { expect, test, type Page } from '@playwright/test';
import { startWorkbench } from './workbench-server';

async function createTopic(page: Page, name: string): Promise<void> {
  await page.getByTestId('open-create-topic').click();
  const dialog = page.getByRole('dialog', { name: 'Create topic' });
  await dialog.getByLabel('Topic name').fill(name);
  await dialog.getByRole('spinbutton', { name: 'Partitions' }).fill('2');
  await dialog.getByRole('spinbutton', { name: 'Replication factor' }).fill('3');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
}

async function produce(page: Page, key: string, value: string): Promise<void> {
  const form = page.getByTestId('produce-form');
  await form.getByLabel('Partition', { exact: true }).selectOption('1');
  await form.getByLabel('Key', { exact: true }).fill(key);
  await form.getByLabel('Value', { exact: true }).fill(value);
  await form.getByLabel('acks').selectOption('all');
  await form.getByRole('button', { name: 'Send' }).click();
  await expect(form.getByTestId('produce-result')).toHaveText(/^Written to partition 1 at offset \d+\.$/);
}

async function expectRecords(page: Page, keys: readonly string[]): Promise<void> {
  await page.getByRole('link', { name: 'Topics' }).click();
  await page.locator('[data-testid="topic-row"][data-topic="payments"]').click();
  await page.getByTestId('messages-partition').selectOption('1');
  await page.getByTestId('messages-offset').fill('0');
  await page.getByTestId('messages-read').click();
  const rows = page.getByTestId('message-table').getByTestId('message-row');
  await expect(rows).toHaveCount(keys.length);
  for (const [i, key] of keys.entries()) await expect(rows.nth(i)).toContainText(key);
}

test('topics and records survive a clean restart and a crash of kafka-lab serve', async ({ page }) => {
  let server = await startWorkbench(['--seed', '17']);
  const dataDir = server.dataDir;
  try {
    await page.goto(server.url);
    await expect(page.getByTestId('broker-card')).toHaveCount(3);
    await createTopic(page, 'payments');
    await page.getByRole('link', { name: 'Topics' }).click();
    await page.locator('[data-testid="topic-row"][data-topic="payments"]').click();
    await produce(page, 'payment-1', '{"amount":10}');
    await produce(page, 'payment-2', '{"amount":20}');
    const topicId = (await page.getByTestId('selected-topic-id').textContent()) ?? '';
    expect(topicId).toMatch(/^[\w-]{22}$/);

    await test.step('after a clean restart (SIGTERM) the topic and both records are there', async () => {
      await server.stop({ keepData: true });
      server = await startWorkbench([], dataDir);
      await page.goto(server.url);
      await expect(page.locator('[data-testid="partition-grid"][data-topic="payments"]').getByTestId('partition-row')).toHaveCount(2);
      await expectRecords(page, ['payment-1', 'payment-2']);
      // Same topic, not a new one with the same name: the topic id is kept.
      await expect(page.getByTestId('selected-topic-id')).toHaveText(topicId);
      await produce(page, 'payment-3', '{"amount":30}');
    });

    await test.step('after a crash (SIGKILL) every acknowledged record is there', async () => {
      await server.stop({ keepData: true, signal: 'SIGKILL' });
      server = await startWorkbench([], dataDir);
      await page.goto(server.url);
      await expectRecords(page, ['payment-1', 'payment-2', 'payment-3']);
    });
  } finally {
    await server.stop();
  }
});
