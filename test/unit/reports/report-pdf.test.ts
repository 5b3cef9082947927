/**
 * PDF through a locally installed Chromium. The finding and the error when none is there are
 * tested with fake ports; the real print runs only when Chromium is present (skipped with a
 * message otherwise), and its pages go to test-results/reports/ as PNG (pdftoppm, when installed)
 * to be looked at.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../../engine/reports/report-html.js';
import { buildReport } from '../../../engine/reports/report-model.js';
import { reportLimits } from '../../../engine/reports/report-limits.js';
import {
  CHROMIUM_ENV,
  ChromiumNotFoundError,
  chromiumPrintArgs,
  defaultPdfPorts,
  findChromium,
  isPdf,
  PdfPrintError,
  printHtmlToPdf,
  type PdfPorts,
} from '../../../engine/reports/report-pdf.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';
import { autopilotSource, META_EN, META_KO, outDir } from './report-fixtures.js';

function fakePorts(files: readonly string[], env: Record<string, string | undefined>, onRun?: (file: string, args: readonly string[], disk: MemoryDisk) => void): PdfPorts & { disk: MemoryDisk } {
  const disk = new MemoryDisk();
  for (const file of files) {
    disk.mkdirp(file.slice(0, file.lastIndexOf('/')) || '/');
    disk.writeFileAtomic(file, new Uint8Array([1]));
  }
  disk.mkdirp('/tmp');
  return {
    disk,
    env,
    tmpDir: '/tmp',
    uniqueId: () => 'test',
    runProcess: async (file, args) => {
      onRun?.(file, args, disk);
      return { exitCode: 0, timedOut: false, stderr: '' };
    },
  };
}

describe('finding Chromium', () => {
  it('KAFKA_LAB_CHROMIUM first, then install paths, then PATH', () => {
    expect(findChromium(fakePorts(['/opt/chrome/chrome', '/usr/bin/chromium'], { [CHROMIUM_ENV]: '/opt/chrome/chrome' }))).toBe('/opt/chrome/chrome');
    expect(findChromium(fakePorts(['/usr/bin/chromium'], {}))).toBe('/usr/bin/chromium');
    expect(findChromium(fakePorts(['/home/me/bin/google-chrome'], { PATH: '/usr/local/bin:/home/me/bin' }))).toBe('/home/me/bin/google-chrome');
  });

  it('none: an error that says what is missing, where it looked, and how to install it', () => {
    const error = (() => {
      try {
        findChromium(fakePorts([], { PATH: '/usr/local/bin' }));
      } catch (e) {
        return e as Error;
      }
      throw new Error('found a Chromium that is not there');
    })();
    expect(error).toBeInstanceOf(ChromiumNotFoundError);
    expect(error.message).toMatch(/no Chromium or Google Chrome was found/);
    expect(error.message).toContain('/usr/bin/chromium');
    expect(error.message).toContain('on PATH');
    expect(error.message).toMatch(/apt-get install chromium/);
    expect(error.message).toContain(CHROMIUM_ENV);
  });

  it('KAFKA_LAB_CHROMIUM naming no file is an error, not a silent fallback', () => {
    expect(() => findChromium(fakePorts(['/usr/bin/chromium'], { [CHROMIUM_ENV]: '/nope/chrome' }))).toThrow(/KAFKA_LAB_CHROMIUM is set to '\/nope\/chrome', which is not a file/);
  });
});

describe('printing with fake ports', () => {
  it('runs Chromium headless with a fresh profile and no network features, returns the PDF, removes its temporary files', async () => {
    let seen: readonly string[] = [];
    const ports = fakePorts(['/usr/bin/chromium'], {}, (_file, args, disk) => {
      seen = args;
      const out = args.find((a) => a.startsWith('--print-to-pdf='))!.slice('--print-to-pdf='.length);
      disk.writeFileAtomic(out, new TextEncoder().encode('%PDF-1.4\n%fake'));
    });
    const pdf = await printHtmlToPdf('<!DOCTYPE html><title>x</title>', ports);
    expect(isPdf(pdf)).toBe(true);
    for (const flag of ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-pdf-header-footer']) expect(seen).toContain(flag);
    expect(seen).toContain('--user-data-dir=/tmp/kafka-lab-report-test/profile');
    expect(seen[seen.length - 1]).toBe('file:///tmp/kafka-lab-report-test/report.html');
    expect(ports.disk.exists('/tmp/kafka-lab-report-test')).toBe(false);
  });

  it('a Chromium that writes nothing or not a PDF is an error with its last words', async () => {
    const silent = { ...fakePorts(['/usr/bin/chromium'], {}), runProcess: async () => ({ exitCode: 1, timedOut: false, stderr: 'line 1\nERROR: cannot open display' }) };
    await expect(printHtmlToPdf('<p>x</p>', silent)).rejects.toThrow(PdfPrintError);
    await expect(printHtmlToPdf('<p>x</p>', silent)).rejects.toThrow(/wrote no PDF \(exit code 1\).*cannot open display/);
    const hung = { ...fakePorts(['/usr/bin/chromium'], {}), runProcess: async () => ({ exitCode: null, timedOut: true, stderr: '' }) };
    await expect(printHtmlToPdf('<p>x</p>', hung)).rejects.toThrow(`did not finish printing the PDF within ${reportLimits.pdfTimeoutMs / 1000} s`);
    expect(hung.disk.exists('/tmp/kafka-lab-report-test')).toBe(false);
  });

  it('the file URL of a path with spaces and non-ASCII letters is escaped', () => {
    const args = chromiumPrintArgs('/tmp/a b/보고서.html', '/tmp/out.pdf', '/tmp/p');
    expect(args[args.length - 1]).toBe('file:///tmp/a%20b/%EB%B3%B4%EA%B3%A0%EC%84%9C.html');
  });
});

function chromiumPresent(): string | null {
  try {
    return findChromium(defaultPdfPorts());
  } catch {
    return null;
  }
}

function pdftoppmPresent(): boolean {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('a real PDF through the installed Chromium', () => {
  const chromium = chromiumPresent();
  for (const [labId, meta] of [
    ['rebalancing-round', META_EN],
    ['acks-and-durability', META_KO],
  ] as const) {
    it(`${labId} (${meta.locale}): a PDF whose pages are rendered to PNG for looking at`, async ({ skip }) => {
      if (chromium === null) skip(`no Chromium is installed (set ${CHROMIUM_ENV} or install chromium): the PDF was not printed`);
      const html = renderReportHtml(buildReport(await autopilotSource(labId, meta)));
      const pdf = await printHtmlToPdf(html);
      expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(20_000);
      const dir = outDir();
      const base = `${labId}.${meta.locale}`;
      const pdfPath = join(dir, `${base}.pdf`);
      writeFileSync(pdfPath, pdf);
      if (!pdftoppmPresent()) {
        console.warn('pdftoppm (poppler-utils) is not installed: the PDF pages were not rendered to PNG');
        return;
      }
      for (const old of readdirSync(dir).filter((f) => f.startsWith(`${base}.page-`))) rmSync(join(dir, old));
      execFileSync('pdftoppm', ['-r', '70', '-png', pdfPath, join(dir, `${base}.page`)], { timeout: 60_000 });
      const pages = readdirSync(dir).filter((f) => f.startsWith(`${base}.page-`) && f.endsWith('.png'));
      // Summary, steps (two or more pages), charts, timeline, final state: at least five pages.
      expect(pages.length).toBeGreaterThanOrEqual(5);
      expect(existsSync(join(dir, pages[0]!))).toBe(true);
    }, 180_000);
  }
});
