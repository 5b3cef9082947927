/**
 * The desktop window remembers where it was: bounds and maximised state in
 * `<userData>/window-state.json`, written (atomically: temp file, then rename) a moment after the
 * window stops moving or resizing, and when it closes. On start the file is read and checked: a
 * corrupt file, or a position that no display shows any more (a monitor unplugged), is not used —
 * the window opens at its default size instead, and the reason is logged. Sizes never go below the
 * window's minimum.
 *
 * The rules are pure functions (tested without Electron); `rememberWindowState` wires them.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WindowState {
  readonly bounds: Rect;
  readonly maximized: boolean;
}

export interface WindowLimits {
  readonly minWidth: number;
  readonly minHeight: number;
}

/** How much of the window's title bar must be on a display for the saved position to be used. */
const VISIBLE_EDGE_PX = 48;
/** Real ms after the last move or resize before the state is written. */
export const SAVE_DELAY_MS = 500;

export function windowStateFile(userData: string): string {
  return join(userData, 'window-state.json');
}

/** The saved state if the text is a valid one, else the reason it is not. */
export function parseWindowState(text: string, limits: WindowLimits): { state: WindowState } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `window-state.json is not JSON (${(error as Error).message})` };
  }
  const v = value as { bounds?: Partial<Rect>; maximized?: unknown } | null;
  const b = v?.bounds;
  const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
  if (v === null || typeof v !== 'object' || b === undefined || !finite(b.x) || !finite(b.y) || !finite(b.width) || !finite(b.height) || typeof v.maximized !== 'boolean') {
    return { problem: 'window-state.json does not hold bounds {x, y, width, height} and maximized' };
  }
  return {
    state: {
      bounds: { x: Math.round(b.x), y: Math.round(b.y), width: Math.max(limits.minWidth, Math.round(b.width)), height: Math.max(limits.minHeight, Math.round(b.height)) },
      maximized: v.maximized,
    },
  };
}

/** Whether a display's work area shows the window's title bar enough to grab it. */
export function isOnSomeDisplay(bounds: Rect, workAreas: readonly Rect[]): boolean {
  return workAreas.some((area) => {
    const left = Math.max(bounds.x, area.x);
    const right = Math.min(bounds.x + bounds.width, area.x + area.width);
    const titleVisible = bounds.y >= area.y && bounds.y < area.y + area.height - VISIBLE_EDGE_PX / 2;
    return right - left >= VISIBLE_EDGE_PX && titleVisible;
  });
}

/** The state to open with: the saved one if it is valid and on a display, with why not otherwise. */
export function restoredWindowState(text: string | null, workAreas: readonly Rect[], limits: WindowLimits): { state: WindowState | null; problem: string | null } {
  if (text === null) return { state: null, problem: null };
  const parsed = parseWindowState(text, limits);
  if ('problem' in parsed) return { state: null, problem: parsed.problem };
  if (!isOnSomeDisplay(parsed.state.bounds, workAreas)) return { state: null, problem: 'the saved window position is on no display any more' };
  return { state: parsed.state, problem: null };
}

export function readWindowState(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state)}\n`);
  renameSync(temp, file);
}

/** What the window tells us; Electron's BrowserWindow fits. */
export interface TrackedWindow {
  on(event: 'resize' | 'move' | 'close', listener: () => void): unknown;
  getNormalBounds(): Rect;
  isMaximized(): boolean;
}

/** Saves the window's state a moment after it moves or resizes, and at once when it closes. */
export function rememberWindowState(window: TrackedWindow, file: string, timers: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout } = globalThis): void {
  let pending: ReturnType<typeof setTimeout> | null = null;
  const save = (): void => {
    pending = null;
    try {
      writeWindowState(file, { bounds: window.getNormalBounds(), maximized: window.isMaximized() });
    } catch (error) {
      console.warn(`Kafka Lab Workbench: cannot remember the window's position (${(error as Error).message})`);
    }
  };
  const later = (): void => {
    if (pending !== null) timers.clearTimeout(pending);
    pending = timers.setTimeout(save, SAVE_DELAY_MS);
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('close', () => {
    if (pending !== null) timers.clearTimeout(pending);
    save();
  });
}
