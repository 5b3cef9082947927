/**
 * Issue 4 ("Contract and UI") and issue 8's clock bar, end to end in Chromium against a real
 * `kafka-lab serve` (seeded). A learner drives engine time from the clock bar (pause, one step,
 * play, speed), creates a topic with 3 partitions and replication factor 3, kills the broker that
 * leads partition 0 from its card, skips ahead past broker.session.timeout.ms and sees the
 * controller fence it, move leadership and shrink the ISR, while the killed broker's replicas show
 * as unavailable; starts it again and sees it rejoin the ISR; then kills two of the three quorum
 * voters and sees the "no majority" warning (and the engine refusing a new topic in Kafka's words).
 * Screenshots in English/light and Korean/dark go to test-results/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { REPO_ROOT, startWorkbench, type WorkbenchServer } from './workbench-server';

const SHOTS = join(REPO_ROOT, 'test-results');

let server: WorkbenchServer;

test.beforeAll(async () => {
  server = await startWorkbench(['--seed', '42']);
});

test.afterAll(async () => {
  await server?.stop();
});

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.locator('#main-content').evaluate((main) => main.scrollTo(0, 0));
  // Let the status stream settle so the picture shows a steady state.
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, name) });
}

function brokerCard(page: Page, id: number): Locator {
  return page.locator(`[data-testid="broker-card"][data-broker="${id}"]`);
}

function partitionRow(page: Page, topic: string, partition: number): Locator {
  return page.locator(`[data-testid="partition-grid"][data-topic="${topic}"] [data-testid="partition-row"][data-partition="${partition}"]`);
}

function replicaCell(row: Locator, brokerId: number): Locator {
  return row.locator(`[data-testid="replica-cell"][data-broker="${brokerId}"]`);
}

async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').trim();
}

async function engineNowMs(page: Page): Promise<number> {
  return Number(await page.getByTestId('clock-time').getAttribute('data-now-ms'));
}

async function createTopic(page: Page, name: string, partitions: number, replicationFactor: number): Promise<void> {
  await page.getByTestId('open-create-topic').click();
  const dialog = page.getByRole('dialog', { name: 'Create topic' });
  await dialog.getByLabel('Topic name').fill(name);
  await dialog.getByRole('spinbutton', { name: 'Partitions' }).fill(String(partitions));
  await dialog.getByRole('spinbutton', { name: 'Replication factor' }).fill(String(replicationFactor));
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
}

async function killBroker(page: Page, id: number, shot?: string): Promise<void> {
  await brokerCard(page, id).getByRole('button', { name: `Kill Broker ${id}` }).click();
  const confirm = page.getByRole('alertdialog', { name: `Kill broker ${id}?` });
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText('kill -9');
  // Focus starts on the safe choice.
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  if (shot !== undefined) await screenshot(page, shot);
  await confirm.getByTestId('confirm-broker-action').click();
  await expect(confirm).toBeHidden();
  await expect(brokerCard(page, id)).toHaveAttribute('data-state', 'stopped');
}

async function setLook(page: Page, look: 'en-light' | 'ko-dark'): Promise<void> {
  if (look === 'ko-dark') {
    await page.getByTestId('language-switch').getByText('한국어').click();
    await page.getByTestId('theme-switch').getByText('다크').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  } else {
    await page.getByTestId('language-switch').getByText('English').click();
    await page.getByTestId('theme-switch').getByText('Light').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  }
}

test('brokers fail and recover, the metadata quorum loses its majority, and engine time is driven from the clock bar', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  // Tall enough that the brokers, the quorum and the whole grid are in every picture.
  await page.setViewportSize({ width: 1280, height: 1180 });

  await test.step('three running brokers, the metadata quorum with all voters up, the clock running', async () => {
    await page.goto(server.url);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
    await expect(page.getByTestId('broker-card')).toHaveCount(3);
    for (const id of [1, 2, 3]) {
      await expect(brokerCard(page, id)).toHaveAttribute('data-state', 'running');
      await expect(brokerCard(page, id)).toHaveAttribute('data-fenced', 'false');
      await expect(brokerCard(page, id).getByRole('button', { name: `Stop Broker ${id}` })).toBeVisible();
    }
    const quorum = page.getByTestId('quorum-panel');
    await expect(quorum.getByTestId('quorum-voter')).toHaveCount(3);
    await expect(quorum.getByTestId('quorum-up')).toHaveText('3 of 3');
    await expect(quorum.getByTestId('quorum-majority')).toHaveText('2');
    await expect(quorum.getByTestId('quorum-tolerates')).toHaveText('1');
    const controller = await textOf(page.getByTestId('summary-controller'));
    const controllerId = Number(/\d+/.exec(controller)?.[0]);
    await expect(quorum.locator(`[data-testid="quorum-voter"][data-broker="${controllerId}"]`)).toHaveAttribute('data-state', 'controller');
    await expect(quorum.getByTestId('quorum-status')).toHaveText(`Broker ${controllerId} is the active controller.`);
    await expect(quorum).toContainText('lowest-id voter that reaches a majority');
    await expect(page.getByTestId('clock-state')).toHaveAttribute('data-running', 'true');
    await expect(page.getByTestId('clock-time')).toHaveText(/^\d\d:\d\d:\d\d\.\d{3}$/);
  });

  await test.step('the clock pauses, steps one event, plays again and changes speed', async () => {
    const bar = page.getByTestId('clock-bar');
    const toggle = bar.getByTestId('clock-toggle');
    const step = bar.getByTestId('clock-step');
    await expect(step).toBeDisabled();
    await toggle.click();
    await expect(bar.getByTestId('clock-state')).toHaveAttribute('data-running', 'false');
    await expect(bar.getByTestId('clock-state')).toContainText('Paused');
    await expect(toggle).toHaveText('Play');
    await expect(step).toBeEnabled();
    // Paused, engine time stands still.
    const paused = await engineNowMs(page);
    await page.waitForTimeout(400);
    expect(await engineNowMs(page)).toBe(paused);

    // One step runs the next engine event and stops again: time moves to that event (several
    // events can share a millisecond, so a few steps may be needed to see the digits change).
    await step.click();
    await expect(bar.getByTestId('clock-state')).toContainText('Paused');
    await expect(step).toBeEnabled();
    expect(await engineNowMs(page)).toBeGreaterThanOrEqual(paused);
    for (let i = 0; i < 20 && (await engineNowMs(page)) === paused; i++) {
      await step.click();
      await page.waitForTimeout(50);
    }
    const stepped = await engineNowMs(page);
    expect(stepped).toBeGreaterThan(paused);
    await page.waitForTimeout(300);
    expect(await engineNowMs(page)).toBe(stepped);
    await expect(bar.getByTestId('clock-state')).toContainText('Paused');

    // Keyboard: the toggle is a plain button, Enter plays.
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(bar.getByTestId('clock-state')).toHaveAttribute('data-running', 'true');
    await expect(toggle).toHaveText('Pause');
    await expect(step).toBeDisabled();
    await expect.poll(() => engineNowMs(page)).toBeGreaterThan(stepped + 200);

    const speed = bar.getByRole('group', { name: 'Speed' });
    await speed.getByText('2×').click();
    await expect(bar.getByTestId('clock-state-speed')).toHaveText('2×');
    await expect(speed.getByRole('radio', { name: '2×' })).toBeChecked();
    await speed.getByRole('radio', { name: '2×' }).focus();
    // Arrow keys move the choice like any radio group: 2× → 5×, each one a speed change.
    await page.keyboard.press('ArrowRight');
    await expect(bar.getByTestId('clock-state-speed')).toHaveText('5×');
    await speed.getByText('1×', { exact: true }).click();
    await expect(bar.getByTestId('clock-state-speed')).toHaveText('1×');
    await expect(speed.getByRole('radio', { name: '1×', exact: true })).toBeChecked();

    // Skip ahead moves engine time at once by the chosen amount (plus the real time passing).
    const before = await engineNowMs(page);
    await bar.getByRole('button', { name: '+1 min' }).click();
    await expect.poll(() => engineNowMs(page)).toBeGreaterThanOrEqual(before + 60_000);
  });

  let leader = 0;
  await test.step('a topic with 3 partitions and replication factor 3 is created, and one with replication factor 1', async () => {
    await createTopic(page, 'clicks', 3, 1);
    await createTopic(page, 'orders', 3, 3);
    await expect(page.locator('[data-testid="topic-chip"][data-topic="orders"]')).toHaveAttribute('aria-pressed', 'true');
    for (const partition of [0, 1, 2]) {
      const row = partitionRow(page, 'orders', partition);
      await expect(row.getByTestId('partition-isr')).toHaveText(/^\d,\d,\d$/);
      await expect(row.locator('[data-testid="replica-offsets"][data-available="true"]')).toHaveCount(3);
    }
    leader = Number(await textOf(partitionRow(page, 'orders', 0).getByTestId('partition-leader')));
    expect([1, 2, 3]).toContain(leader);
  });

  await test.step('records produced to orders show as offset bars per replica', async () => {
    await page.getByRole('link', { name: 'Topics' }).click();
    await page.locator('[data-testid="topic-row"][data-topic="orders"]').click();
    const form = page.getByTestId('produce-form');
    await form.getByLabel('Partition', { exact: true }).selectOption('0');
    for (const key of ['order-1', 'order-2', 'order-3']) {
      await form.getByLabel('Key', { exact: true }).fill(key);
      await form.getByLabel('Value', { exact: true }).fill(`{"id":"${key}"}`);
      await form.getByLabel('acks').selectOption('all');
      await form.getByRole('button', { name: 'Send' }).click();
      await expect(form.getByTestId('produce-result')).toHaveText(/^Written to partition 0 at offset \d\.$/);
    }
    // With engine time paused the record waits on the simulated network; the form says so.
    await page.getByTestId('clock-toggle').click();
    await expect(page.getByTestId('clock-state')).toHaveAttribute('data-running', 'false');
    await form.getByLabel('Partition', { exact: true }).selectOption('1');
    await form.getByLabel('Key', { exact: true }).fill('order-4');
    await form.getByRole('button', { name: 'Send' }).click();
    await expect(form.getByTestId('produce-waiting-for-clock')).toContainText('Engine time is paused');
    await expect(form.getByTestId('produce-result')).toHaveCount(0);
    await page.getByTestId('clock-toggle').click();
    await expect(form.getByTestId('produce-result')).toHaveText('Written to partition 1 at offset 0.');
    await expect(form.getByTestId('produce-waiting-for-clock')).toHaveCount(0);

    await page.getByRole('link', { name: 'Cluster' }).click();
    const row = partitionRow(page, 'orders', 0);
    const bars = row.locator('[data-testid="replica-offsets"]');
    await expect(bars).toHaveCount(3);
    // Every replica has the three records; the leader's high watermark covers them (acks=all).
    for (const bar of await bars.all()) await expect(bar).toHaveAttribute('data-leo', '3');
    const leaderBar = replicaCell(row, leader).getByTestId('replica-offsets');
    await expect(leaderBar).toHaveAttribute('data-hw', '3');
    await expect(leaderBar.getByTestId('replica-leo')).toHaveText('LEO 3');
    await expect(leaderBar.getByTestId('replica-hw')).toHaveText('HW 3');
    await expect(leaderBar).toHaveAttribute('aria-label', `Broker ${leader}: log end offset 3, high watermark 3`);
    await expect(row.getByTestId('partition-hw')).toHaveText('3');
  });

  await test.step('killing the leader of partition 0 from its card: stopped at once, fenced only after the session timeout', async () => {
    // Paused, engine time cannot reach the session timeout while we look.
    await page.getByTestId('clock-toggle').click();
    await expect(page.getByTestId('clock-state')).toHaveAttribute('data-running', 'false');
    await killBroker(page, leader, 'broker-kill-confirm-en-light.png');
    const card = brokerCard(page, leader);
    await expect(card.getByTestId('broker-state')).toHaveText('Stopped');
    await expect(card).toHaveAttribute('data-fenced', 'false');
    await screenshot(page, 'broker-killed-not-fenced-en-light.png');
    await expect(card.getByTestId('broker-note')).toContainText('Not fenced yet');
    // The metadata still names the dead broker as partition 0's leader: marked, not hidden.
    const row = partitionRow(page, 'orders', 0);
    await expect(row.getByTestId('partition-leader')).toHaveText(String(leader));
    await expect(row).toHaveAttribute('data-leader-down', 'true');
    await expect(row.getByTestId('partition-leader-down')).toContainText('Leader down');
    // Nobody answers for the partition's offsets now: a dash, not a follower's numbers.
    await expect(row.getByTestId('partition-hw')).toHaveText(/^—\s*The leader named in the metadata is down/);
    await expect(card.getByRole('button', { name: `Start Broker ${leader}` })).toBeVisible();
    await expect(card.getByRole('button', { name: `Kill Broker ${leader}` })).toHaveCount(0);
    // Its replicas cannot be read while it is down: unavailable, not zero.
    for (const partition of [0, 1, 2]) {
      const cell = replicaCell(partitionRow(page, 'orders', partition), leader);
      await expect(cell).toHaveAttribute('data-available', 'false');
      await expect(cell.getByTestId('replica-offsets')).toContainText('Unavailable');
      await expect(cell.getByTestId('replica-leo')).toHaveCount(0);
    }
  });

  await test.step('skipping ahead past broker.session.timeout.ms: fenced, leadership moved, ISR shrunk', async () => {
    const pausedAt = await engineNowMs(page);
    await page.getByTestId('clock-bar').getByRole('button', { name: '+10 s' }).click();
    await expect.poll(() => engineNowMs(page)).toBe(pausedAt + 10_000);
    const card = brokerCard(page, leader);
    await expect(card).toHaveAttribute('data-fenced', 'true');
    await expect(card.getByTestId('broker-fenced')).toHaveText('Fenced');
    await expect(card.getByTestId('broker-note')).toContainText('Fenced by the controller');
    await expect(card.getByTestId('broker-leaders')).toHaveText('0');

    const row = partitionRow(page, 'orders', 0);
    await expect(row.getByTestId('partition-leader')).not.toHaveText(String(leader));
    await expect(row).toHaveAttribute('data-leader-down', 'false');
    const newLeader = Number(await textOf(row.getByTestId('partition-leader')));
    expect([1, 2, 3].filter((id) => id !== leader)).toContain(newLeader);
    await expect(row.getByTestId('partition-isr')).toHaveText(/^\d,\d$/);
    expect((await textOf(row.getByTestId('partition-isr'))).split(',').map(Number)).not.toContain(leader);
    await expect(replicaCell(row, newLeader)).toHaveAttribute('data-role', 'leader');
    await expect(replicaCell(row, leader)).toHaveAttribute('data-in-sync', 'false');
    await expect(replicaCell(row, leader)).toContainText('not in ISR');
    await expect(replicaCell(row, leader)).toHaveAttribute('data-available', 'false');
    await expect(row.getByTestId('partition-hw')).toHaveText('3');
    await expect(page.getByTestId('summary-under-replicated')).toHaveText('3');

    // clicks has one replica per partition: the one on the killed broker has no leader left.
    await expect(page.getByTestId('summary-offline')).toHaveText('1');
    await page.locator('[data-testid="topic-chip"][data-topic="clicks"]').click();
    const offline = page.locator('[data-testid="partition-grid"][data-topic="clicks"] [data-testid="partition-row"][data-offline="true"]');
    await expect(offline).toHaveCount(1);
    await expect(offline.getByTestId('partition-offline')).toContainText('Offline');
    await expect(offline.getByTestId('partition-leader')).toHaveText('none');
    // No leader, no offsets to show: a dash (with the reason for screen readers), never a zero.
    await expect(offline.getByTestId('partition-leo')).toHaveText(/^—\s*No leader/);
    await page.locator('[data-testid="topic-chip"][data-topic="orders"]').click();

    await screenshot(page, 'broker-killed-en-light.png');
    await setLook(page, 'ko-dark');
    await expect(brokerCard(page, leader).getByTestId('broker-state')).toHaveText('중지됨');
    await expect(brokerCard(page, leader).getByTestId('broker-fenced')).toHaveText('펜싱됨');
    await expect(replicaCell(partitionRow(page, 'orders', 0), leader).getByTestId('replica-offsets')).toContainText('사용 불가');
    await screenshot(page, 'broker-killed-ko-dark.png');
    await setLook(page, 'en-light');
  });

  await test.step('started again from its card, the broker catches up and rejoins the ISR', async () => {
    const card = brokerCard(page, leader);
    await card.getByRole('button', { name: `Start Broker ${leader}` }).click();
    await expect(card).toHaveAttribute('data-state', 'running');
    await expect(card.getByRole('button', { name: `Kill Broker ${leader}` })).toBeVisible();
    await page.getByTestId('clock-bar').getByRole('button', { name: '+10 s' }).click();
    await expect(card).toHaveAttribute('data-fenced', 'false');
    const row = partitionRow(page, 'orders', 0);
    await expect(row.getByTestId('partition-isr')).toHaveText(/^\d,\d,\d$/);
    expect((await textOf(row.getByTestId('partition-isr'))).split(',').map(Number)).toContain(leader);
    await expect(replicaCell(row, leader)).toHaveAttribute('data-in-sync', 'true');
    await expect(replicaCell(row, leader)).toHaveAttribute('data-available', 'true');
    await expect(replicaCell(row, leader).getByTestId('replica-offsets')).toHaveAttribute('data-leo', '3');
    await expect(page.getByTestId('summary-under-replicated')).toHaveText('0');
    await expect(page.getByTestId('summary-offline')).toHaveText('0');
    await page.getByTestId('clock-toggle').click();
    await expect(page.getByTestId('clock-state')).toHaveAttribute('data-running', 'true');
  });

  await test.step('stopping a broker cleanly moves its leadership away at once', async () => {
    const stopped = leader === 3 ? 2 : 3;
    const card = brokerCard(page, stopped);
    await card.getByRole('button', { name: `Stop Broker ${stopped}` }).click();
    const confirm = page.getByRole('alertdialog', { name: `Stop broker ${stopped}?` });
    await expect(confirm).toContainText('controlled shutdown');
    await confirm.getByTestId('confirm-broker-action').click();
    await expect(confirm).toBeHidden();
    await expect(card).toHaveAttribute('data-state', 'stopped');
    await expect(card).toHaveAttribute('data-fenced', 'true');
    await expect(card.getByTestId('broker-leaders')).toHaveText('0');
    // Focus moved from the Stop button to the card's new action, not back to the page.
    await expect(card.getByRole('button', { name: `Start Broker ${stopped}` })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(card).toHaveAttribute('data-state', 'running');
    await page.getByTestId('clock-bar').getByRole('button', { name: '+10 s' }).click();
    await expect(card).toHaveAttribute('data-fenced', 'false');
    await expect(page.getByTestId('summary-under-replicated')).toHaveText('0');
  });

  await test.step('with voters 1 and 2 killed the quorum has no majority: no controller, no new topic', async () => {
    await killBroker(page, 1);
    await killBroker(page, 2);
    const quorum = page.getByTestId('quorum-panel');
    const warning = quorum.getByTestId('quorum-warning');
    await expect(warning).toBeVisible();
    await expect(warning).toContainText('No majority: no leader can be elected, no topic can be created.');
    await expect(warning).toContainText('Only 1 of 3 voters are up, and the quorum needs 2.');
    await expect(quorum.getByTestId('quorum-up')).toHaveText('1 of 3');
    await expect(quorum.getByTestId('quorum-tolerates')).toHaveText('0');
    await expect(page.getByTestId('summary-controller')).toHaveText('no controller elected');
    await expect(page.getByTestId('controller-badge')).toHaveCount(0);
    // Nobody can fence the dead voters or move leadership: their cards say why.
    await expect(brokerCard(page, 1).getByTestId('broker-note')).toContainText('no active controller to fence it');

    // The engine refuses a new topic, in Kafka's words.
    await page.getByTestId('open-create-topic').click();
    const dialog = page.getByRole('dialog', { name: 'Create topic' });
    await dialog.getByLabel('Topic name').fill('payments');
    await dialog.getByRole('spinbutton', { name: 'Replication factor' }).fill('1');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog.getByTestId('engine-error-name')).toHaveText('NOT_CONTROLLER');
    await expect(dialog.getByTestId('engine-error-message')).toContainText('No active controller');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await screenshot(page, 'quorum-lost-en-light.png');
    await setLook(page, 'ko-dark');
    await expect(warning).toContainText('과반수 없음: 어떤 리더도 선출할 수 없고, 토픽도 만들 수 없습니다.');
    await screenshot(page, 'quorum-lost-ko-dark.png');
  });

  await test.step('starting a voter again brings the controller back', async () => {
    await brokerCard(page, 1).getByRole('button', { name: '시작 브로커 1' }).click();
    await page.getByTestId('clock-bar').getByRole('button', { name: '+10초' }).click();
    await expect(page.getByTestId('quorum-panel').getByTestId('quorum-warning')).toHaveCount(0);
    await expect(page.getByTestId('controller-badge')).toHaveCount(1);
    await expect(page.getByTestId('quorum-panel').getByTestId('quorum-up')).toHaveText('3개 중 2개');
  });

  expect(pageErrors).toEqual([]);
});
