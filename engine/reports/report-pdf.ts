/**
 * The report as PDF for the CLI (`kafka-lab report <run> --pdf out.pdf`): the report's HTML printed
 * by a locally installed Chromium in headless mode. The desktop app prints the same HTML with
 * Electron's own webContents.printToPDF (report-html.ts `REPORT_PDF_OPTIONS`) and needs none of this.
 *
 * Finding Chromium, in order: the KAFKA_LAB_CHROMIUM environment variable (an error if it names no
 * file), then well-known install paths, then `chromium`, `chromium-browser`, `google-chrome`,
 * `google-chrome-stable` on PATH. None found: `ChromiumNotFoundError`, which says what is missing,
 * where it looked, and how to install it or point KAFKA_LAB_CHROMIUM at one.
 *
 * Printing: the HTML goes to a fresh temporary directory (with a fresh Chromium profile, so no
 * user profile, extension or sync is touched), Chromium runs with networking features off and a
 * wall-clock timeout (reportLimits.pdfTimeoutMs), the PDF must start with "%PDF-", and the
 * temporary directory is removed whatever happens. The report itself loads nothing (its CSP says so).
 *
 * Files are reached through the Disk port (engine/storage/disk), the process through a `runProcess`
 * port, so the logic is tested without Chromium.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Disk } from '../storage/disk/disk.js';
import { NodeDisk } from '../storage/disk/node-disk.js';
import { reportLimits } from './report-limits.js';

export const CHROMIUM_ENV = 'KAFKA_LAB_CHROMIUM';

/** Install paths looked at before PATH (Linux packages and snaps, macOS apps, Windows installs). */
export const CHROMIUM_PATHS: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

export const CHROMIUM_NAMES: readonly string[] = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

const INSTALL_HINT =
  'Install Chromium (Debian/Ubuntu: sudo apt-get install chromium; Fedora: sudo dnf install chromium; macOS: brew install --cask chromium) ' +
  `or Google Chrome, or set ${CHROMIUM_ENV} to the path of a Chromium or Chrome executable. ` +
  'The desktop app makes PDFs without it.';

export class ChromiumNotFoundError extends Error {
  constructor(readonly looked: readonly string[], readonly envValue: string | null) {
    super(
      envValue !== null
        ? `cannot make a PDF: ${CHROMIUM_ENV} is set to '${envValue}', which is not a file. ${INSTALL_HINT}`
        : `cannot make a PDF: no Chromium or Google Chrome was found (looked at ${looked.join(', ')}). ${INSTALL_HINT}`,
    );
    this.name = 'ChromiumNotFoundError';
  }
}

export class PdfPrintError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfPrintError';
  }
}

export interface ProcessResult {
  /** null when the process was killed (the timeout). */
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly stderr: string;
}

export type RunProcess = (file: string, args: readonly string[], timeoutMs: number) => Promise<ProcessResult>;

export interface PdfPorts {
  readonly disk: Disk;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly runProcess: RunProcess;
  /** A parent directory for the temporary files. */
  readonly tmpDir: string;
  /** A unique name part for the temporary directory. */
  readonly uniqueId: () => string;
}

/** Runs a process with a wall-clock timeout (execFile's own: SIGKILL when it passes). */
export const runProcessNode: RunProcess = (file, args, timeoutMs) =>
  new Promise((resolve) => {
    execFile(file, [...args], { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024, windowsHide: true }, (error, _stdout, stderr) => {
      const err = error as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
      const timedOut = err?.killed === true;
      const exitCode = err === null ? 0 : typeof err.code === 'number' ? err.code : timedOut ? null : 1;
      const spawnError = err !== null && typeof err.code === 'string' ? `${err.code}: ${err.message}\n` : '';
      resolve({ exitCode, timedOut, stderr: `${spawnError}${String(stderr)}`.slice(-reportLimits.pdfStderrBytesMax) });
    });
  });

export function defaultPdfPorts(): PdfPorts {
  return { disk: new NodeDisk(), env: process.env, runProcess: runProcessNode, tmpDir: tmpdir(), uniqueId: () => `${process.pid}-${randomUUID()}` };
}

/** The Chromium to use, or ChromiumNotFoundError naming what is missing. */
export function findChromium(ports: Pick<PdfPorts, 'disk' | 'env'>): string {
  const fromEnv = ports.env[CHROMIUM_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    if (ports.disk.exists(fromEnv)) return fromEnv;
    throw new ChromiumNotFoundError([fromEnv], fromEnv);
  }
  const looked: string[] = [];
  for (const path of CHROMIUM_PATHS) {
    looked.push(path);
    if (ports.disk.exists(path)) return path;
  }
  const pathDirs = (ports.env['PATH'] ?? '').split(delimiter).filter((d) => d !== '').slice(0, 64);
  for (const dir of pathDirs) {
    for (const name of CHROMIUM_NAMES) {
      const candidate = join(dir, name);
      if (ports.disk.exists(candidate)) return candidate;
    }
  }
  looked.push(`${CHROMIUM_NAMES.join(', ')} on PATH`);
  throw new ChromiumNotFoundError(looked, null);
}

/** Chromium's arguments to print `htmlPath` to `pdfPath` with a fresh profile in `profileDir`. */
export function chromiumPrintArgs(htmlPath: string, pdfPath: string, profileDir: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-extensions',
    '--disable-default-apps',
    '--mute-audio',
    `--user-data-dir=${profileDir}`,
    '--no-pdf-header-footer',
    `--print-to-pdf=${pdfPath}`,
    pathToFileURL(htmlPath).href,
  ];
}

/**
 * Prints the report's HTML to a PDF and returns its bytes (the caller writes them where the user
 * asked). Throws ChromiumNotFoundError or PdfPrintError with Chromium's own last words.
 */
export async function printHtmlToPdf(html: string, ports: PdfPorts = defaultPdfPorts()): Promise<Uint8Array> {
  const chromium = findChromium(ports);
  const workDir = join(ports.tmpDir, `kafka-lab-report-${ports.uniqueId()}`);
  ports.disk.mkdirp(workDir);
  try {
    const htmlPath = join(workDir, 'report.html');
    const pdfPath = join(workDir, 'report.pdf');
    const profileDir = join(workDir, 'profile');
    ports.disk.mkdirp(profileDir);
    ports.disk.writeFileAtomic(htmlPath, new TextEncoder().encode(html));
    const result = await ports.runProcess(chromium, chromiumPrintArgs(htmlPath, pdfPath, profileDir), reportLimits.pdfTimeoutMs);
    const said = result.stderr.trim() === '' ? '' : ` Chromium said: ${result.stderr.trim().split('\n').slice(-5).join(' | ')}`;
    if (result.timedOut) throw new PdfPrintError(`Chromium (${chromium}) did not finish printing the PDF within ${reportLimits.pdfTimeoutMs / 1000} s.${said}`);
    if (!ports.disk.exists(pdfPath)) throw new PdfPrintError(`Chromium (${chromium}) wrote no PDF (exit code ${result.exitCode ?? 'none'}).${said}`);
    const pdf = ports.disk.readFile(pdfPath);
    if (!isPdf(pdf)) throw new PdfPrintError(`Chromium (${chromium}) wrote a file that is not a PDF (exit code ${result.exitCode ?? 'none'}).${said}`);
    return pdf;
  } finally {
    ports.disk.remove(workDir);
  }
}

/** True when the bytes start with a PDF header ("%PDF-"). */
export function isPdf(bytes: Uint8Array): boolean {
  const magic = [0x25, 0x50, 0x44, 0x46, 0x2d];
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}
