/**
 * Labs end to end, in Chromium against a real `kafka-lab serve`, as a learner does them: the Labs
 * view lists the labs; starting "First topic" switches the views to the lab's own one-broker
 * cluster (the learner's three brokers wait, paused) and docks the sheet beside the views; "Run in
 * console" types the step's command into its Console tab and the step's checks tick by themselves;
 * the next command is typed into the terminal by hand; the headless shell restarts mid-lab and the
 * lab resumes at the step it was on; "Show my cluster" brings the learner's own cluster back.
 * Screenshots in English/light and Korean/dark go to test-results/screenshots/labs/.
 */
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { contractClient } from './contract-client';
import { REPO_ROOT, startWorkbench, type WorkbenchServer } from './workbench-server';
import { screenshotTo, setLook } from './ui-helpers';

const SHOTS = join(REPO_ROOT, 'test-results', 'screenshots', 'labs');
/** Checks are evaluated about once a real second; a console command answers within a few. */
const CHECK_TIMEOUT = 20_000;

let server: WorkbenchServer;

test.afterAll(async () => {
  await server?.stop();
});

function sheet(page: Page): Locator {
  return page.getByTestId('lab-sheet');
}

async function expectStep(page: Page, stepId: string): Promise<void> {
  await expect(sheet(page).getByTestId('lab-step')).toHaveAttribute('data-step-id', stepId, { timeout: CHECK_TIMEOUT });
}

async function typeLine(page: Page, line: string): Promise<void> {
  await page.getByTestId('console-terminal').click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

test('labs: first topic on its own cluster, a step ticked by its checks, resumed after a restart', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  server = await startWorkbench(['--seed', '11']);

  await test.step('the Labs view lists the labs with their progress', async () => {
    await page.goto(server.url);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
    await expect(page.getByTestId('broker-card')).toHaveCount(3);
    await page.getByTestId('nav-labs').click();
    await expect(page).toHaveURL(/#\/labs$/);
    const card = page.getByTestId('lab-card-first-topic');
    await expect(card).toContainText('First topic');
    await expect(card.getByTestId('lab-progress')).toHaveText('Not started');
    await expect(page.getByTestId('lab-dock')).toHaveCount(0);
    await screenshotTo(SHOTS, page, 'labs-en-light.png', 'labs.png');
  });

  await test.step('the first start asks the learner\'s name for the reports, once', async () => {
    await page.getByTestId('lab-start-first-topic').click();
    const dialog = page.getByRole('dialog', { name: 'Your name for the reports' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('participant-input')).toBeFocused();
    await dialog.getByTestId('participant-save').click();
    await expect(dialog.getByTestId('participant-problem')).toHaveText('Enter your name.');
    await dialog.getByTestId('participant-input').fill('  Ada Lovelace  ');
    await dialog.getByTestId('participant-save').click();
    await expect(dialog).toBeHidden();
    const client = await contractClient(server.url);
    expect(await client.query('participant', {})).toEqual({ participant: 'Ada Lovelace' });
    client.close();
  });

  await test.step("starting the lab shows its own one-broker cluster and docks its sheet", async () => {
    await expect(sheet(page)).toBeVisible();
    await expect(sheet(page).getByTestId('lab-workspace')).toContainText('your own cluster is paused and untouched');
    await expectStep(page, 'create-topic');
    await expect(sheet(page).getByTestId('lab-step-of')).toHaveText('Step 1 of 5');
    await page.getByTestId('nav-cluster').click();
    await expect(page.getByTestId('broker-card')).toHaveCount(1);
    await expect(sheet(page).getByTestId('lab-check')).toHaveCount(2);
    await expect(sheet(page).getByTestId('lab-check').first()).toHaveAttribute('data-state', 'failing', { timeout: CHECK_TIMEOUT });
  });

  await test.step('"Run in console" types the command in its tab, and the step passes by itself', async () => {
    await sheet(page).getByTestId('lab-action-0').click();
    await expect(page).toHaveURL(/#\/console$/);
    await expect(page.locator('[data-testid="console-tab"][data-session="lab"]')).toBeVisible();
    await expect.poll(async () => (await page.getByTestId('console-terminal').innerText()).includes('Created topic test.'), { timeout: CHECK_TIMEOUT }).toBe(true);
    await expectStep(page, 'list-topics');
    await expect(sheet(page).locator('[data-testid="lab-steps"] li').first()).toHaveAttribute('data-status', 'passed');
  });

  await test.step('the next command, typed by hand into the lab tab, passes the next step', async () => {
    await typeLine(page, 'kafka-topics --bootstrap-server localhost:9092 --list');
    await expectStep(page, 'produce');
    await screenshotTo(SHOTS, page, 'lab-sheet-en-light.png', 'lab-sheet.png');
  });

  await test.step('after a restart of the headless shell the lab resumes at the step it was on', async () => {
    const dataDir = server.dataDir;
    await server.stop({ keepData: true });
    server = await startWorkbench(['--seed', '11'], dataDir);
    await page.goto(server.url);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
    await expectStep(page, 'produce');
    await expect(sheet(page).getByTestId('lab-step-of')).toHaveText('Step 3 of 5');
    await page.getByTestId('nav-cluster').click();
    await expect(page.getByTestId('broker-card')).toHaveCount(1);
  });

  await test.step("\"Show my cluster\" brings the learner's three brokers back; the lab waits", async () => {
    await sheet(page).getByTestId('lab-leave').click();
    await expect(page.getByTestId('broker-card')).toHaveCount(3);
    await expect(sheet(page).getByTestId('lab-workspace')).toContainText('is open, its clock paused');
    await sheet(page).getByTestId('lab-return').click();
    await expect(page.getByTestId('broker-card')).toHaveCount(1);
  });

  await test.step('the folded sheet stays folded after a reload', async () => {
    await page.getByTestId('lab-dock-toggle').click();
    await expect(page.getByTestId('lab-dock-toggle')).toHaveAttribute('aria-expanded', 'false');
    await page.reload();
    await expect(page.getByTestId('lab-dock-toggle')).toHaveAttribute('aria-expanded', 'false');
    await page.getByTestId('lab-dock-toggle').click();
    await expect(sheet(page)).toBeVisible();
  });

  await test.step('the sheet is resized by dragging or with the keys, moves to the left, and stays so after a reload', async () => {
    const dock = page.getByTestId('lab-dock');
    const edge = page.getByTestId('lab-dock-edge');
    const width = async () => Math.round((await dock.boundingBox())!.width);
    expect(await width()).toBe(400);
    const box = (await edge.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 200);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 100, box.y + 200, { steps: 5 });
    await page.mouse.up();
    expect(await width()).toBe(500);
    await edge.focus();
    await page.keyboard.press('ArrowRight');
    await expect(edge).toHaveAttribute('aria-valuenow', '484');
    await page.keyboard.press('Home');
    await expect(edge).toHaveAttribute('aria-valuenow', '320');
    await page.keyboard.press('Shift+ArrowLeft');
    await expect(edge).toHaveAttribute('aria-valuenow', '384');
    await page.getByTestId('lab-dock-side').click();
    await expect(dock).toHaveAttribute('data-side', 'left');
    const main = (await page.locator('#main-content').boundingBox())!;
    expect((await dock.boundingBox())!.x).toBeLessThan(main.x);
    await page.reload();
    await expect(dock).toHaveAttribute('data-side', 'left');
    await expect(edge).toHaveAttribute('aria-valuenow', '384');
    expect(await width()).toBe(384);
    await screenshotTo(SHOTS, page, 'lab-dock-left-en-light.png');
    await page.getByTestId('lab-dock-side').click();
    await expect(dock).toHaveAttribute('data-side', 'right');
    await edge.focus();
    await page.keyboard.press('ArrowLeft');
    await expect(edge).toHaveAttribute('aria-valuenow', '400');
  });

  await test.step('in Korean and dark', async () => {
    await setLook(page, 'ko-dark');
    await expect(sheet(page).getByTestId('lab-step-of')).toHaveText('5단계 중 3단계');
    await screenshotTo(SHOTS, page, 'lab-sheet-ko-dark.png');
    await setLook(page, 'en-light');
  });

  expect(pageErrors).toEqual([]);
});
