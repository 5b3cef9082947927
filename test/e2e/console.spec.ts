/**
 * The Console view end to end, in Chromium against a real `kafka-lab serve`: the commands of the
 * workshop typed into the terminal as a learner types them. A topic created with kafka-topics; a
 * console consumer in group g1 printing keys in tab 1; a console producer with parse.key=true in
 * tab 2 typing k1:hello and k2:world, then Ctrl+D; back in tab 1 the keyed records arrive
 * ("k1<TAB>hello"), and Ctrl+C prints "Processed a total of 2 messages". Tab completion, the home
 * files and the tab names are used on the way. Screenshots in English/light, English/dark and
 * Korean go to test-results/ (docs/screenshots/console.png with KAFKA_LAB_README_SHOTS=1).
 */
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { REPO_ROOT, startWorkbench, type WorkbenchServer } from './workbench-server';
import { screenshotTo, setLook, skip10s } from './ui-helpers';

const SHOTS = process.env.KAFKA_LAB_CONSOLE_SHOTS ?? join(REPO_ROOT, 'test-results');
/** Joining waits group.initial.rebalance.delay.ms (3 s) and heartbeats (3 s) in engine time. */
const GROUP_TIMEOUT = 30_000;
const BOOTSTRAP = '--bootstrap-server localhost:9092';

let server: WorkbenchServer;

test.beforeAll(async () => {
  server = await startWorkbench(['--seed', '7']);
});

test.afterAll(async () => {
  await server?.stop();
});

function terminal(page: Page): Locator {
  return page.getByTestId('console-terminal');
}

/** The terminal's visible rows as text (xterm renders them as DOM rows; a tab's cells are blanks). */
async function screenText(page: Page): Promise<string> {
  const rows = await terminal(page).locator('.xterm-rows > div').allInnerTexts();
  return rows.map((row) => row.replace(/\u00a0/g, ' ').trimEnd()).join('\n').trimEnd();
}

async function typeLine(page: Page, line: string): Promise<void> {
  await terminal(page).click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

function tab(page: Page, sessionId: string): Locator {
  return page.locator(`[data-testid="console-tab"][data-session="${sessionId}"]`);
}

async function expectOnScreen(page: Page, pattern: RegExp, timeout = GROUP_TIMEOUT): Promise<void> {
  await expect.poll(() => screenText(page), { timeout, message: `terminal shows ${pattern}` }).toMatch(pattern);
}

test('console: a keyed console producer in one tab, a console consumer in group g1 in another', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });

  await test.step('the Console area is a link and opens with tab 1 at a prompt', async () => {
    await page.goto(server.url);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
    const nav = page.getByTestId('nav-console');
    await expect(nav).toHaveAttribute('href', '#/console');
    await nav.click();
    await expect(page).toHaveURL(/#\/console$/);
    await expect(page.getByRole('heading', { name: 'Console', level: 1 })).toBeVisible();
    await expect(tab(page, 'tab-1')).toBeVisible();
    await expectOnScreen(page, /^\$$/m, 10_000);
  });

  await test.step('Tab completes the tool name; kafka-topics creates the topic with 2 partitions', async () => {
    await terminal(page).click();
    await page.keyboard.type('kafka-top');
    await page.keyboard.press('Tab');
    await expectOnScreen(page, /^\$ kafka-topics$/m, 5_000);
    await page.keyboard.type(`${BOOTSTRAP} --create --topic keyed --partitions 2`);
    await page.keyboard.press('Enter');
    await expectOnScreen(page, /^Created topic keyed\.$/m);
    await expect(page.getByTestId('console-exit-code')).toHaveText('Last exit code: 0');
  });

  await test.step('tab 1 runs a console consumer in group g1 printing keys', async () => {
    await typeLine(page, `kafka-console-consumer ${BOOTSTRAP} --topic keyed --group g1 --property print.key=true`);
    await expect(page.getByTestId('console-status')).toContainText('Running');
    await expect(tab(page, 'tab-1').locator('.run-dot.is-running')).toHaveCount(1);
    // Let the consumer join g1 and get both partitions before anything is produced (it reads from the end).
    await skip10s(page);
    await page.waitForTimeout(1_500);
  });

  await test.step('tab 2, renamed "producer", types two keyed records into a console producer, then Ctrl+D', async () => {
    await page.getByTestId('console-tab-add').click();
    await expect(tab(page, 'tab-2')).toBeVisible();
    await tab(page, 'tab-2').getByTestId('console-tab-rename').click();
    await page.getByTestId('console-tab-rename-input').fill('producer');
    await page.keyboard.press('Enter');
    await expect(tab(page, 'tab-2')).toContainText('producer');
    await typeLine(page, `kafka-console-producer ${BOOTSTRAP} --topic keyed --property parse.key=true --property key.separator=:`);
    await expect(page.getByTestId('console-status')).toContainText('Running');
    await typeLine(page, 'k1:hello');
    await typeLine(page, 'k2:world');
    await page.keyboard.press('Control+d');
    await expect(page.getByTestId('console-status')).not.toContainText('Running', { timeout: GROUP_TIMEOUT });
    await expectOnScreen(page, /^k1:hello\nk2:world$/m, 5_000);
    await screenshotTo(SHOTS, page, 'console-producer-en-light.png');
  });

  await test.step('back in tab 1 the keyed records have arrived, key TAB value', async () => {
    await tab(page, 'tab-1').getByTestId('console-tab-select').click();
    await skip10s(page);
    await expectOnScreen(page, /^k1\s+hello$/m);
    await expectOnScreen(page, /^k2\s+world$/m);
    await screenshotTo(SHOTS, page, 'console-en-light.png', 'console.png');
  });

  await test.step('Ctrl+C stops the consumer: "Processed a total of 2 messages"', async () => {
    await terminal(page).click();
    await page.keyboard.press('Control+c');
    await expectOnScreen(page, /^\^C$/m, 5_000);
    await expectOnScreen(page, /^Processed a total of 2 messages$/m);
    await expect(page.getByTestId('console-status')).not.toContainText('Running');
    await expectOnScreen(page, /^\$$/m, 5_000);
  });

  await test.step('Up brings back the last command line of this tab', async () => {
    await terminal(page).click();
    await page.keyboard.press('ArrowUp');
    await expectOnScreen(page, /\$ kafka-console-consumer [^$]*print\.key=true$/, 5_000);
    await page.keyboard.press('Control+u');
  });

  await test.step('a home file is created, edited and saved, ready for --reassignment-json-file', async () => {
    const files = page.getByTestId('console-files');
    await files.getByTestId('console-file-name').fill('reassign.json');
    await files.getByTestId('console-file-create').click();
    const editor = files.getByTestId('console-file-text');
    await expect(editor).toBeVisible();
    await editor.fill('{"version":1,"partitions":[{"topic":"keyed","partition":0,"replicas":[1,2,3]}]}');
    await files.getByTestId('console-file-save').click();
    await expect(files.getByTestId('console-file-save')).toBeDisabled();
    await expect(files.locator('[data-testid="console-file"][data-path="reassign.json"]')).toBeVisible();
  });

  await test.step('the tabs keep their scrollback across a trip to another view', async () => {
    await page.getByTestId('nav-topics').click();
    await page.getByTestId('nav-console').click();
    await expectOnScreen(page, /^Processed a total of 2 messages$/m, 5_000);
  });

  await test.step('screenshots: English dark, Korean light and dark', async () => {
    await setLook(page, 'en-dark');
    await screenshotTo(SHOTS, page, 'console-en-dark.png');
    await setLook(page, 'ko-light');
    await expect(page.getByRole('heading', { name: '콘솔', level: 1 })).toBeVisible();
    await expect(page.getByTestId('console-tab-add')).toContainText('새 탭');
    await screenshotTo(SHOTS, page, 'console-ko-light.png');
    await setLook(page, 'ko-dark');
    await screenshotTo(SHOTS, page, 'console-ko-dark.png');
  });

  expect(pageErrors).toEqual([]);
});
