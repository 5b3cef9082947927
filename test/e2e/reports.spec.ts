/**
 * Issue 10, item 5: reports from the Reports view, in Chromium against a real `kafka-lab serve`
 * (seeded). A learner finishes "First topic" in the UI (the sheet's rehearsal does its steps), the
 * Reports view lists the run as passed with its name, shows its report, and saves it as HTML and
 * PDF (the PDF's first page is rendered to PNG to look at); after a reload the run is opened again
 * from the history. The class summary reads the saved JSON beside a broken file and names it. A
 * finished run is deleted after the confirmation. Screenshots in English/light and Korean/dark go
 * to test-results/screenshots/reports/ (the README's reports.png with KAFKA_LAB_README_SHOTS=1).
 */
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Download, type Page } from '@playwright/test';
import { contractClient, type ContractClient } from './contract-client';
import { screenshotTo, setLook } from './ui-helpers';
import { REPO_ROOT, startWorkbench, type WorkbenchServer } from './workbench-server';

const SHOTS = join(REPO_ROOT, 'test-results', 'screenshots', 'reports');

let server: WorkbenchServer;
let api: ContractClient;

test.beforeAll(async () => {
  server = await startWorkbench(['--seed', '17']);
  api = await contractClient(server.url);
  await api.command('setParticipant', { participant: 'Ada Lovelace' });
});

test.afterAll(async () => {
  api?.close();
  await server?.stop();
});

async function saved(page: Page, button: string): Promise<{ name: string; path: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(button).click()]);
  return keep(download);
}

async function keep(download: Download): Promise<{ name: string; path: string }> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, download.suggestedFilename());
  await download.saveAs(path);
  return { name: download.suggestedFilename(), path };
}

test('finish a lab, export its report as HTML and PDF from the Reports view, reopen it from the history', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server.url);
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');

  await test.step('the learner finishes "First topic" in the UI', async () => {
    await page.getByTestId('nav-labs').click();
    await page.getByTestId('lab-start-first-topic').click();
    const sheet = page.getByTestId('lab-sheet');
    await expect(sheet).toHaveAttribute('data-lab-id', 'first-topic');
    await sheet.getByTestId('lab-rehearse').click();
    await expect(sheet.getByTestId('lab-finished')).toBeVisible({ timeout: 120_000 });
  });

  let runId = '';
  await test.step('the Reports view lists the run, passed, with the learner\'s name', async () => {
    await page.getByTestId('nav-reports').click();
    await expect(page.getByTestId('participant-name')).toHaveText('Ada Lovelace');
    const row = page.getByTestId('run-row').first();
    await expect(row).toHaveAttribute('data-outcome', 'passed');
    await expect(row).toContainText('First topic');
    await expect(row.getByTestId('run-participant')).toHaveText('Ada Lovelace');
    await expect(row).toContainText('5 of 5');
    await expect(row.getByTestId('run-outcome')).toHaveText('Passed');
    runId = (await row.getAttribute('data-run-id')) ?? '';
    expect(runId).toMatch(/first-topic$/);
  });

  await test.step('the report shows in the app and saves as HTML (self-contained) and PDF', async () => {
    await page.getByTestId('run-open').first().click();
    const frame = page.frameLocator('[data-testid="report-frame"]');
    await expect(frame.locator('h1')).toHaveText('Lab result report');
    await expect(frame.locator('body')).toContainText('Ada Lovelace');
    await screenshotTo(SHOTS, page, 'reports-en-light.png', 'reports.png');
    // The report inside the frame is a printed document of its own (checked by the report tests); the view around it is checked here.
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).options({ iframes: false }).setLegacyMode(true).analyze();
    expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);

    const html = await saved(page, 'export-html');
    expect(html.name).toBe(`kafka-lab-first-topic-${runId}.html`);
    const text = readFileSync(html.path, 'utf8');
    expect(text).toMatch(/^<!DOCTYPE html>/i);
    expect(text).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:|\/\/)/i);
    expect(text).not.toContain('<script');
    await expect(page.getByTestId('export-saved')).toContainText(`Saved ${html.name}`);

    const pdf = await saved(page, 'export-pdf');
    expect(pdf.name).toBe(`kafka-lab-first-topic-${runId}.pdf`);
    expect(readFileSync(pdf.path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The first page, to look at (poppler-utils; CI installs it).
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf.path, join(SHOTS, 'report-pdf-page')]);

    // The history counts the two exports.
    await expect(page.getByTestId('run-row').first().getByTestId('run-exports')).toHaveText('2');
  });

  let json = '';
  await test.step('after a reload the run opens again from the history, in Korean and dark too', async () => {
    const file = await api.command<{ contentBase64: string }>('exportReport', { runId, format: 'json', locale: 'en' });
    json = Buffer.from(file.contentBase64, 'base64').toString('utf8');
    // Another view and back: the open report stays open.
    await page.getByTestId('nav-cluster').click();
    await page.getByTestId('nav-reports').click();
    await expect(page.getByTestId('report-viewer')).toHaveAttribute('data-run-id', runId);
    // A reload starts the page afresh: the run is opened again from the history.
    await page.reload();
    await page.getByTestId('nav-reports').click();
    await expect(page.getByTestId('report-viewer')).toHaveCount(0);
    await page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`).getByTestId('run-open').click();
    await expect(page.getByTestId('report-viewer')).toHaveAttribute('data-run-id', runId);
    await setLook(page, 'ko-dark');
    const frame = page.frameLocator('[data-testid="report-frame"]');
    await expect(frame.locator('h1')).toHaveText('실습 결과 보고서');
    await screenshotTo(SHOTS, page, 'reports-ko-dark.png');
    await setLook(page, 'en-light');
  });

  await test.step('the class summary reads the JSON report and names a broken file', async () => {
    const dir = join(SHOTS, 'summary-input');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ada.json'), json);
    writeFileSync(join(dir, 'notes.json'), '{"hello": "not a report"}');
    await page.getByTestId('summary-files').setInputFiles([join(dir, 'ada.json'), join(dir, 'notes.json')]);
    await page.getByTestId('summary-make').click();
    await expect(page.getByTestId('summary-rows')).toHaveText('Reports read: 1');
    await expect(page.locator('[data-testid="summary-skipped-file"][data-file="notes.json"]')).toContainText('not a Kafka Lab report');
    await expect(page.frameLocator('[data-testid="summary-frame"]').locator('body')).toContainText('Ada Lovelace');
    const csv = await saved(page, 'summary-save-csv');
    expect(readFileSync(csv.path, 'utf8')).toContain('Ada Lovelace');
    await page.getByTestId('instructor-summary').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'summary-en-light.png') });
  });

  await test.step('the closed lab\'s run is deleted after the confirmation', async () => {
    // The lab is still open in its workspace: the engine refuses to delete its run until it is closed.
    await page.getByTestId('run-delete').first().click();
    const refused = page.getByRole('alertdialog', { name: 'Delete this run?' });
    await refused.getByTestId('confirm-delete-run').click();
    await expect(refused).toContainText('is open; close the lab before deleting its run');
    await refused.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('nav-labs').click();
    await page.getByTestId('lab-sheet').getByTestId('lab-end').click();
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('run-delete').first().click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete this run?' });
    await expect(dialog).toContainText('First topic');
    await dialog.getByTestId('confirm-delete-run').click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('run-history-empty')).toBeVisible();
    await expect(page.getByTestId('report-viewer')).toHaveCount(0);
  });
  expect(errors).toEqual([]);
});
