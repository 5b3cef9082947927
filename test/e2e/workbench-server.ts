/**
 * Starts `kafka-lab serve` for a test, on a fresh data directory and a free port, and stops it
 * with SIGTERM afterwards. The URL (with its per-run token) is read from the shell's stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface StopOptions {
  /** Keep the data directory, to start another server on it (a restart). */
  readonly keepData?: boolean;
  /** SIGTERM stops cleanly; SIGKILL is a crash. */
  readonly signal?: 'SIGTERM' | 'SIGKILL';
}

export interface WorkbenchServer {
  readonly url: string;
  readonly dataDir: string;
  stop(options?: StopOptions): Promise<void>;
}

export function assertBuilt(): void {
  const index = join(REPO_ROOT, 'out', 'renderer', 'index.html');
  if (!existsSync(index)) {
    throw new Error(`The app is not built: ${index} is missing. Run 'npx electron-vite build' (npm test does) before the e2e tests.`);
  }
}

export async function startWorkbench(extraArgs: readonly string[] = [], existingDataDir?: string): Promise<WorkbenchServer> {
  assertBuilt();
  const dataDir = existingDataDir ?? mkdtempSync(join(tmpdir(), 'kafka-lab-e2e-'));
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kafka-lab.mjs'), 'serve', ...(extraArgs.includes('--kafka-host') ? [] : ['--no-kafka']), '--data', dataDir, '--port', '0', ...extraArgs], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  try {
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`kafka-lab serve printed no URL within ${STARTUP_TIMEOUT_MS} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`)),
        STARTUP_TIMEOUT_MS,
      );
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        const match = /^Open (http:\/\/127\.0\.0\.1:\d+\/\S*)$/m.exec(stdout);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolveUrl(match[1]);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`kafka-lab serve exited (code ${code}, signal ${signal}) before printing its URL.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      });
    });
    return { url, dataDir, stop: (options) => stop(child, dataDir, options) };
  } catch (error) {
    await stop(child, dataDir, { keepData: existingDataDir !== undefined });
    throw error;
  }
}

async function stop(child: ChildProcess, dataDir: string, options: StopOptions = {}): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill(options.signal ?? 'SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
  if (options.keepData !== true) rmSync(dataDir, { recursive: true, force: true });
}
