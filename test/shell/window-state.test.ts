/**
 * The desktop window remembers where it was: the rules (a saved state is used only when valid and
 * on a display, sizes kept above the minimum, written atomically after moves and on close), and
 * the built main bundle under the stand-in electron opening at the saved bounds — or at its
 * default size when the file is corrupt or the position is off every display.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rememberWindowState, restoredWindowState, SAVE_DELAY_MS, windowStateFile, writeWindowState, type Rect } from '../../electron/main/window-state.js';
import { builtMain, repoRoot, requireBuild } from '../helpers/built.js';

const LIMITS = { minWidth: 960, minHeight: 640 };
const SCREEN: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-lab-window-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  vi.useRealTimers();
});

describe('window state rules', () => {
  const saved = (bounds: Rect, maximized = false) => JSON.stringify({ bounds, maximized });

  it('uses a saved state that is on a display, keeping sizes above the minimum', () => {
    expect(restoredWindowState(saved({ x: 100, y: 50, width: 1200, height: 800 }, true), [SCREEN], LIMITS)).toEqual({ state: { bounds: { x: 100, y: 50, width: 1200, height: 800 }, maximized: true }, problem: null });
    expect(restoredWindowState(saved({ x: 10, y: 10, width: 300, height: 200 }), [SCREEN], LIMITS).state?.bounds).toEqual({ x: 10, y: 10, width: 960, height: 640 });
  });

  it('ignores a position no display shows any more (a monitor unplugged)', () => {
    expect(restoredWindowState(saved({ x: 2500, y: 100, width: 1200, height: 800 }), [SCREEN], LIMITS)).toEqual({ state: null, problem: 'the saved window position is on no display any more' });
    // The same position is fine while the second monitor is there.
    expect(restoredWindowState(saved({ x: 2500, y: 100, width: 1200, height: 800 }), [SCREEN, { x: 1920, y: 0, width: 1920, height: 1040 }], LIMITS).state).not.toBeNull();
  });

  it('ignores a corrupt or foreign file with the reason', () => {
    expect(restoredWindowState('{"bounds": [1, 2', [SCREEN], LIMITS).problem).toMatch(/^window-state.json is not JSON/);
    expect(restoredWindowState('{"width": 3}', [SCREEN], LIMITS).problem).toBe('window-state.json does not hold bounds {x, y, width, height} and maximized');
    expect(restoredWindowState(null, [SCREEN], LIMITS)).toEqual({ state: null, problem: null });
  });

  it('writes a moment after the last move, and at once on close', () => {
    vi.useFakeTimers();
    const file = windowStateFile(tempDir());
    const listeners = new Map<string, () => void>();
    let bounds: Rect = { x: 1, y: 2, width: 1000, height: 700 };
    rememberWindowState({ on: (event, listener) => listeners.set(event, listener), getNormalBounds: () => bounds, isMaximized: () => false }, file);
    listeners.get('move')!();
    bounds = { x: 5, y: 6, width: 1000, height: 700 };
    listeners.get('resize')!();
    vi.advanceTimersByTime(SAVE_DELAY_MS - 1);
    expect(() => readFileSync(file)).toThrow();
    vi.advanceTimersByTime(1);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ bounds: { x: 5, y: 6, width: 1000, height: 700 }, maximized: false });
    bounds = { x: 9, y: 9, width: 1100, height: 800 };
    listeners.get('close')!();
    expect(JSON.parse(readFileSync(file, 'utf8')).bounds).toEqual(bounds);
  });
});

describe('the built desktop shell', () => {
  function openWith(userData: string, displays?: Rect[]): { width: number; height: number; x?: number; y?: number } {
    requireBuild();
    const env: NodeJS.ProcessEnv = { ...process.env, FAKE_ELECTRON_USER_DATA: userData };
    delete env.ELECTRON_RENDERER_URL;
    if (displays !== undefined) env.FAKE_ELECTRON_DISPLAYS = JSON.stringify(displays);
    const run = spawnSync(process.execPath, ['--import', './test/shell/fake-electron/register.mjs', 'test/shell/drive-main.mjs', builtMain], { cwd: repoRoot, env, encoding: 'utf8', timeout: 60_000 });
    if (run.status !== 0) throw new Error(`the main bundle failed under the electron stand-in:\n${run.stderr}`);
    return (JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { windowOptions: { width: number; height: number; x?: number; y?: number } }).windowOptions;
  }

  it('opens where it was last, and at its default size when the saved place is off every display', () => {
    const userData = tempDir();
    writeWindowState(windowStateFile(userData), { bounds: { x: 120, y: 80, width: 1280, height: 820 }, maximized: false });
    expect(openWith(userData)).toMatchObject({ x: 120, y: 80, width: 1280, height: 820 });
    expect(openWith(userData, [{ x: 3000, y: 0, width: 800, height: 600 }])).toMatchObject({ width: 1440, height: 900 });
    writeFileSync(windowStateFile(userData), 'not json');
    expect(openWith(userData)).toMatchObject({ width: 1440, height: 900 });
  }, 120_000);
});
