/**
 * An automated accessibility check (axe-core, WCAG 2.1 A and AA rules) of every view, in English
 * and light and in Korean and dark, with a cluster that has something to show: a topic, the
 * services running, a consumer group, and a lab open beside the views. No serious or critical
 * violation may remain; a failure lists each rule with the elements that break it.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { contractClient, type ContractClient } from './contract-client';
import { startWorkbench, type WorkbenchServer } from './workbench-server';
import { setLook } from './ui-helpers';

const VIEWS = ['labs', 'cluster', 'topics', 'groups', 'charts', 'timeline', 'services', 'faults', 'console', 'reports'] as const;

let server: WorkbenchServer;
let api: ContractClient;

test.beforeAll(async () => {
  server = await startWorkbench(['--seed', '3']);
  api = await contractClient(server.url);
  await api.command('createTopic', { name: 'labshoppubsub', partitions: 2, replicationFactor: 3 });
  await api.command('scaleService', { service: 'order', replicas: 1 });
  await api.command('scaleService', { service: 'inventory', replicas: 2 });
  await api.command('placeOrders', { productId: 1, qty: 1, count: 20, intervalMs: 200 });
});

test.afterAll(async () => {
  api?.close();
  await server?.stop();
});

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
}

for (const look of ['en-light', 'ko-dark'] as const) {
  test(`every view has no serious accessibility violation (${look})`, async ({ page }) => {
    await page.goto(server.url);
    await expect(page.getByTestId('connection-status')).toBeVisible();
    await setLook(page, look);
    const found: string[] = [];
    for (const view of VIEWS) {
      await page.getByTestId(`nav-${view}`).click();
      await expect(page).toHaveURL(new RegExp(`#/${view}$`));
      await page.waitForTimeout(600);
      for (const violation of await seriousViolations(page)) found.push(`${view}: ${violation}`);
    }
    expect(found).toEqual([]);
  });
}
