/**
 * Keyboard only, in Chromium against a real `kafka-lab serve` (seeded): every view is reached from
 * the navigation with Tab and Enter, and then Tab walks the whole page. Every control a mouse user
 * can use (links, buttons, fields, selects, scrollable tables) must be reached by that walk, and
 * every element the walk focuses must show a visible focus indicator (an outline or a ring). A
 * failure names the view and the controls that were skipped or showed no focus.
 */
import { expect, test, type Page } from '@playwright/test';
import { contractClient, type ContractClient } from './contract-client';
import { startWorkbench, type WorkbenchServer } from './workbench-server';

const VIEWS = ['labs', 'cluster', 'topics', 'groups', 'charts', 'timeline', 'services', 'faults', 'console', 'reports'] as const;
/** Tab presses per view: more than any view has controls, so a walk that never comes back fails rather than hangs. */
const TAB_PRESSES_MAX = 400;
const LAB_ID = 'partitions-vs-consumers';

let server: WorkbenchServer;
let api: ContractClient;

test.beforeAll(async () => {
  server = await startWorkbench(['--seed', '5']);
  api = await contractClient(server.url);
  await api.command('createTopic', { name: 'labshoppubsub', partitions: 2, replicationFactor: 3 });
  await api.command('scaleService', { service: 'order', replicas: 1 });
  await api.command('scaleService', { service: 'inventory', replicas: 2 });
  await api.command('placeOrders', { productId: 1, qty: 1, count: 10, intervalMs: 200 });
  await api.command('skipAhead', { durationMs: 5_000 });
  // A still cluster: the walk compares elements, and a paused clock keeps the views from re-rendering under it.
  await api.command('pauseClock', {});
});

test.afterAll(async () => {
  api?.close();
  await server?.stop();
});

/**
 * Marks every control a pointer could use in the main area and the shell with `data-kb`, and
 * returns their descriptions. Radio buttons count once per group (arrow keys move inside it).
 */
async function markControls(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const selector = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';
    const found: Record<string, string> = {};
    const describe = (element: HTMLElement): string => {
      const label = element.getAttribute('aria-label') ?? element.getAttribute('data-testid') ?? (element as HTMLInputElement).labels?.[0]?.textContent?.trim() ?? element.textContent?.trim().slice(0, 40) ?? '';
      const type = element.getAttribute('type');
      return `<${element.tagName.toLowerCase()}${type === null ? '' : ` type=${type}`}${element.id === '' ? '' : ` #${element.id}`}> ${label}`.trim();
    };
    const radioGroups = new Set<string>();
    let next = 0;
    for (const element of Array.from(document.querySelectorAll('[data-kb]'))) element.removeAttribute('data-kb');
    for (const element of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      const style = getComputedStyle(element);
      const rect = element.getBoundingClientRect();
      // checkVisibility also sees what a closed <details> hides (its content is content-visibility: hidden).
      const hidden =
        rect.width === 0 || rect.height === 0 || style.visibility === 'hidden' || !element.checkVisibility({ visibilityProperty: true }) || element.closest('[inert], [aria-hidden="true"]') !== null;
      const disabled = (element as HTMLButtonElement).disabled === true;
      const offFocusOrder = element.tabIndex < 0;
      // xterm's hidden textarea is the terminal's focus target; it is reached through the terminal.
      if (hidden || disabled || offFocusOrder || element.classList.contains('skip-link')) continue;
      if (element instanceof HTMLInputElement && element.type === 'radio') {
        if (radioGroups.has(element.name)) continue;
        radioGroups.add(element.name);
        document.querySelectorAll<HTMLInputElement>(`input[type="radio"][name="${CSS.escape(element.name)}"]`).forEach((radio) => radio.setAttribute('data-kb', String(next)));
      } else {
        element.setAttribute('data-kb', String(next));
      }
      found[String(next)] = describe(element);
      next++;
    }
    return found;
  });
}

interface Focused {
  readonly kb: string | null;
  readonly description: string;
  readonly visible: boolean;
}

/** The focused element, and whether it shows focus: an outline of some width, or a box shadow. */
async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (element === null || element === document.body) return { kb: null, description: 'body', visible: true };
    // A visually hidden input (a segmented control's radio) shows focus on the label drawn for it.
    const rect = element.getBoundingClientRect();
    const shown = rect.width <= 2 && rect.height <= 2 ? (element.closest('label') ?? element) : element;
    const style = getComputedStyle(shown);
    const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0;
    const ring = style.boxShadow !== 'none';
    const description = `<${element.tagName.toLowerCase()}> ${element.getAttribute('aria-label') ?? element.getAttribute('data-testid') ?? element.textContent?.trim().slice(0, 40) ?? ''}`;
    return { kb: element.getAttribute('data-kb'), description, visible: outline || ring };
  });
}

/** Tab, or in the console's terminal (where Tab completes) its documented way out: Escape, then Tab. */
async function tab(page: Page): Promise<void> {
  if (await page.evaluate(() => (document.activeElement?.closest('.xterm') ?? null) !== null)) await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
}

/** Tab from the navigation link of `view` until focus comes back to it. */
async function walk(page: Page, view: string): Promise<{ reached: Set<string>; invisible: string[] }> {
  const reached = new Set<string>();
  const invisible: string[] = [];
  const start = await focused(page);
  for (let press = 0; press < TAB_PRESSES_MAX; press++) {
    await tab(page);
    const now = await focused(page);
    if (now.kb !== null) reached.add(now.kb);
    if (!now.visible) invisible.push(now.description);
    if (process.env.KAFKA_LAB_KEYBOARD_TRACE === '1') console.log(`${view} ${press}: ${now.description}`);
    if (press > 0 && now.kb !== null && now.kb === start.kb) return { reached, invisible };
  }
  throw new Error(`${view}: focus did not come back to the navigation after ${TAB_PRESSES_MAX} Tab presses`);
}

test('every view: reached with Tab and Enter, every control reached by Tab, each with a visible focus', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(server.url);
  await expect(page.getByTestId('connection-status')).toBeVisible();
  const problems: string[] = [];

  for (const [view, withLab] of [...VIEWS.map((v) => [v, false] as const), ['cluster', true] as const, ['labs', true] as const]) {
    // Last, a lab open beside the views: the lab sheet's controls join the walk.
    if (withLab && !(await page.getByTestId('lab-sheet').isVisible())) {
      await api.command('startLab', { labId: LAB_ID, seed: 1 });
      await expect(page.getByTestId('lab-sheet')).toBeVisible();
    }
    // From wherever focus is, Tab until the view's navigation link has it, then Enter opens the view.
    const link = page.getByTestId(`nav-${view}`);
    for (let press = 0; press < TAB_PRESSES_MAX && !(await link.evaluate((el) => el === document.activeElement)); press++) await tab(page);
    await expect(link).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`#/${view}$`));
    await page.waitForTimeout(500);
    // Enter moved focus into the view (the app focuses its heading); go back to the link to start the walk there.
    await link.focus();

    const controls = await markControls(page);
    const { reached, invisible } = await walk(page, view);
    const skipped = Object.entries(controls)
      .filter(([kb]) => !reached.has(kb))
      .map(([, description]) => description);
    const where = withLab ? `${view} (lab open)` : view;
    if (skipped.length > 0) problems.push(`${where}: not reachable by Tab: ${skipped.join('; ')}`);
    if (invisible.length > 0) problems.push(`${where}: no visible focus on: ${[...new Set(invisible)].join('; ')}`);
  }
  expect(problems).toEqual([]);
});
