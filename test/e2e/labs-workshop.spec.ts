/**
 * Four of the workshop's labs done through the UI as a learner does them, against a real
 * `kafka-lab serve`: Partitions vs consumers, Rebalancing round, Acks and durability and Partition
 * reassignment. Each step's actions are done with the sheet's buttons, or — for the console
 * commands the learner is meant to type — typed into the Console view's terminal; questions are
 * answered in the sheet; every step then passes by its own checks, evaluated by the engine. The
 * clock runs at 10x so the waits of the lessons (rebalances, ISR changes) take seconds. Screenshots
 * in English and Korean go to test-results/screenshots/labs/.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { contractClient, type ContractClient } from './contract-client';
import { REPO_ROOT, startWorkbench, type WorkbenchServer } from './workbench-server';
import { screenshotTo, setLook } from './ui-helpers';

const SHOTS = join(REPO_ROOT, 'test-results', 'screenshots', 'labs');
const STEP_TIMEOUT = 45_000;

interface RunState {
  progress: { stepIndex: number; steps: { id: string; status: string }[]; journal: { type: string }[] } | null;
  sheet: { steps: { id: string; actions: { kind: string }[]; questions: { id: string; expected: string | null }[] }[] } | null;
}

/** Per step: the indexes of console actions the learner types instead of clicking, with the line typed. */
type Typed = Record<string, Record<number, string>>;

let server: WorkbenchServer;
let api: ContractClient;

test.beforeEach(async () => {
  server = await startWorkbench(['--seed', '5']);
  api = await contractClient(server.url);
  // The name the reports print (labs.spec answers the first-start question through the UI).
  await api.command('setParticipant', { participant: 'Workshop tester' });
});

test.afterEach(async () => {
  api?.close();
  await server?.stop();
});

async function runState(): Promise<RunState> {
  return api.query<RunState>('labRun', {});
}

async function actionsDone(): Promise<number> {
  return ((await runState()).progress?.journal ?? []).filter((e) => e.type === 'action').length;
}

async function startLab(page: Page, labId: string): Promise<void> {
  await page.goto(server.url);
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  await page.getByTestId('nav-labs').click();
  await page.getByTestId(`lab-start-${labId}`).click();
  await expect(page.getByTestId('lab-sheet')).toHaveAttribute('data-lab-id', labId);
  // The lessons' waits (joins, heartbeats, replica.lag.time.max.ms) in seconds of real time.
  await page.getByTestId('clock-bar').getByRole('group', { name: 'Speed' }).getByText('10×').click();
  await expect(page.getByTestId('clock-state-speed')).toHaveText('10×');
}

/**
 * Types a command line into the Console view's active tab, as a learner does, and waits until the
 * tool has finished (the engine's session is back at the prompt with more lines than before).
 */
async function typeCommand(page: Page, line: string): Promise<void> {
  if (!page.url().endsWith('#/console')) await page.getByTestId('nav-console').click();
  const terminal = page.getByTestId('console-terminal');
  await expect(terminal).toBeVisible();
  const sessionId = (await terminal.getAttribute('data-session'))!;
  const session = async () => api.query<{ totalLines: number; running: string | null }>('consoleOutput', { sessionId, afterLine: 0 }).catch(() => ({ totalLines: 0, running: null }));
  const before = (await session()).totalLines;
  await terminal.click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await expect
    .poll(async () => {
      const now = await session();
      return now.running === null && now.totalLines > before;
    }, { timeout: STEP_TIMEOUT, message: `"${line}" finished` })
    .toBe(true);
}

/** Does the current step as a learner: each action (clicked or typed), each question answered, then waits for the step to pass. */
async function doStep(page: Page, stepId: string, typed: Typed = {}): Promise<void> {
  const sheet = page.getByTestId('lab-sheet');
  await expect(sheet.getByTestId('lab-step')).toHaveAttribute('data-step-id', stepId, { timeout: STEP_TIMEOUT });
  const state = await runState();
  const step = state.sheet!.steps.find((s) => s.id === stepId)!;
  for (let i = 0; i < step.actions.length; i++) {
    // At 10x a step's checks can pass before its last action (a wait, say) is clicked: the sheet
    // has moved on, as it does for a learner, and the rest of the step's actions are not needed.
    if ((await stepStatus(stepId)) === 'passed') return;
    const line = typed[stepId]?.[i];
    if (line !== undefined) {
      await typeCommand(page, line);
      continue;
    }
    const done = await actionsDone();
    await sheet.getByTestId(`lab-action-${i}`).click();
    // Console commands and waits finish in the background: the next action waits for this one,
    // unless the step passed meanwhile (then the click may have met the next step's sheet).
    await expect
      .poll(async () => (await actionsDone()) > done || (await stepStatus(stepId)) === 'passed', { timeout: STEP_TIMEOUT, message: `action ${i} of ${stepId} finished` })
      .toBe(true);
  }
  for (const question of step.questions) {
    const form = sheet.getByTestId(`lab-question-${question.id}`);
    await form.locator(`input[value="${question.expected}"]`).check();
    await form.getByRole('button').click();
  }
  await expect.poll(() => stepStatus(stepId), { timeout: STEP_TIMEOUT, message: `step ${stepId} passes by its checks` }).toBe('passed');
}

async function stepStatus(stepId: string): Promise<string> {
  return (await runState()).progress!.steps.find((s) => s.id === stepId)!.status;
}

async function expectFinished(page: Page, steps: number): Promise<void> {
  await expect(page.getByTestId('lab-finished')).toContainText(`${steps} of ${steps} steps passed`, { timeout: STEP_TIMEOUT });
}

test('lab 2, Partitions vs consumers: the idle replica, the topic grown, orders split', async ({ page }) => {
  await startLab(page, 'partitions-vs-consumers');
  await doStep(page, 'second-replica');
  await page.getByTestId('nav-groups').click();
  await screenshotTo(SHOTS, page, 'lab2-idle-replica-en-light.png');
  await doStep(page, 'describe-group', {
    'describe-group': { 0: 'kafka-topics --bootstrap-server 127.0.0.1:9092 --topic labshoppubsub --describe', 1: 'kafka-consumer-groups --bootstrap-server localhost:9092 --describe --group inventory' },
  });
  await doStep(page, 'one-replica-works');
  await doStep(page, 'grow-topic', { 'grow-topic': { 0: 'kafka-topics --bootstrap-server 127.0.0.1:9092 --alter --topic labshoppubsub --partitions 2' } });
  await doStep(page, 'stock-split');
  await expectFinished(page, 5);
  await page.getByTestId('nav-services').click();
  await setLook(page, 'ko-dark');
  await screenshotTo(SHOTS, page, 'lab2-finished-ko-dark.png');
});

test('lab 3, Rebalancing round: consumers join and leave, each change a rebalance', async ({ page }) => {
  await startLab(page, 'rebalancing-round');
  for (const step of ['spring-consumer', 'python-1', 'python-2', 'python-3', 'produce']) await doStep(page, step);
  await page.getByTestId('nav-groups').click();
  await screenshotTo(SHOTS, page, 'lab3-four-consumers-en-light.png');
  // The lag chart shades each rebalance of edu-group: four joins so far.
  await page.getByTestId('nav-charts').click();
  await page.getByTestId('charts-group').selectOption('edu-group');
  await expect.poll(async () => Number(await page.getByTestId('lag-chart').getAttribute('data-rebalance-windows')), { timeout: STEP_TIMEOUT }).toBeGreaterThanOrEqual(4);
  await screenshotTo(SHOTS, page, 'lab3-charts-en-light.png');
  await doStep(page, 'leave');
  await expectFinished(page, 6);
  await setLook(page, 'ko-light');
  await screenshotTo(SHOTS, page, 'lab3-finished-ko-light.png');
});

test('lab 6, Acks and durability: acks latency, NOT_ENOUGH_REPLICAS, the acks=1 loss', async ({ page }) => {
  await startLab(page, 'acks-and-durability');
  await doStep(page, 'latency-by-acks');
  await doStep(page, 'broker-down');
  await page.getByTestId('nav-cluster').click();
  await screenshotTo(SHOTS, page, 'lab6-broker-down-en-light.png');
  await doStep(page, 'still-writable');
  await doStep(page, 'not-enough-replicas', {
    'not-enough-replicas': { 0: 'kafka-configs --bootstrap-server localhost:9092 --alter --entity-type topics --entity-name payments --add-config min.insync.replicas=3' },
  });
  await doStep(page, 'broker-back');
  await doStep(page, 'acks1-loss');
  await expectFinished(page, 6);
  await page.getByTestId('nav-faults').click();
  await setLook(page, 'ko-dark');
  await screenshotTo(SHOTS, page, 'lab6-finished-ko-dark.png');
});

test('lab 12, Partition reassignment: a JSON plan executed, verified, then a throttled move', async ({ page }) => {
  await startLab(page, 'partition-reassignment');
  await doStep(page, 'where-now', { 'where-now': { 0: 'kafka-topics --bootstrap-server localhost:9092 --describe --topic test1' } });
  await doStep(page, 'execute', { execute: { 1: 'kafka-reassign-partitions --bootstrap-server localhost:9092 --reassignment-json-file reassignment.json --execute' } });
  await doStep(page, 'verify', { verify: { 0: 'kafka-reassign-partitions --bootstrap-server localhost:9092 --reassignment-json-file reassignment.json --verify' } });
  await page.getByTestId('nav-console').click();
  // The plan the lab wrote is in the console's home, as the learner would have saved it.
  await expect(page.locator('[data-testid="console-file"][data-path="reassignment.json"]')).toBeVisible();
  await screenshotTo(SHOTS, page, 'lab12-verified-en-light.png');
  await doStep(page, 'throttled');
  await expectFinished(page, 4);
  await setLook(page, 'ko-dark');
  await screenshotTo(SHOTS, page, 'lab12-finished-ko-dark.png');
});
