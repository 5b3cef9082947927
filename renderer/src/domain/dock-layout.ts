/**
 * The lab dock's layout as plain data: which side of the views it sits on, how wide it is, and
 * whether it is folded. Read from storage through `parseDockLayout`, which takes anything (a value
 * an older version wrote, or a hand-edited one) and returns a layout that fits, with defaults for
 * what does not parse.
 */

export type DockSide = 'left' | 'right';

export interface DockLayout {
  readonly side: DockSide;
  readonly widthPx: number;
  readonly collapsed: boolean;
}

/** Narrower and the sheet's check lists and code wrap word by word. */
export const DOCK_MIN_WIDTH_PX = 320;
/** Wider and a 1280 px window has too little left for the view beside it. */
export const DOCK_MAX_WIDTH_PX = 720;
/** The views keep at least this much beside the dock (the navigation takes the rest). */
export const VIEW_MIN_WIDTH_PX = 560;
export const DOCK_DEFAULT: DockLayout = { side: 'right', widthPx: 400, collapsed: false };
/** One arrow-key press on the dock's edge; Shift moves four times as far. */
export const DOCK_KEY_STEP_PX = 16;

/** The width the dock can take in a window of `availablePx` (the width beside the navigation). */
export function clampDockWidth(widthPx: number, availablePx: number): number {
  const max = Math.max(DOCK_MIN_WIDTH_PX, Math.min(DOCK_MAX_WIDTH_PX, availablePx - VIEW_MIN_WIDTH_PX));
  return Math.round(Math.min(max, Math.max(DOCK_MIN_WIDTH_PX, widthPx)));
}

export function parseDockLayout(stored: string | null): DockLayout {
  if (stored === null) return DOCK_DEFAULT;
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return DOCK_DEFAULT;
  }
  if (typeof value !== 'object' || value === null) return DOCK_DEFAULT;
  const record = value as Record<string, unknown>;
  const side = record.side === 'left' || record.side === 'right' ? record.side : DOCK_DEFAULT.side;
  const widthPx = typeof record.widthPx === 'number' && Number.isFinite(record.widthPx) ? clampDockWidth(record.widthPx, Number.POSITIVE_INFINITY) : DOCK_DEFAULT.widthPx;
  const collapsed = typeof record.collapsed === 'boolean' ? record.collapsed : DOCK_DEFAULT.collapsed;
  return { side, widthPx, collapsed };
}

/**
 * The width after a key on the dock's edge (a window splitter, as WAI-ARIA describes it): the
 * arrows move the edge in their direction, so on the right side ArrowLeft widens the dock; Home and
 * End go to the narrowest and widest. Null for any other key.
 */
export function widthAfterKey(layout: DockLayout, key: string, shift: boolean, availablePx: number): number | null {
  const step = shift ? DOCK_KEY_STEP_PX * 4 : DOCK_KEY_STEP_PX;
  const towardView = layout.side === 'right' ? 'ArrowLeft' : 'ArrowRight';
  const towardEdge = layout.side === 'right' ? 'ArrowRight' : 'ArrowLeft';
  if (key === towardView) return clampDockWidth(layout.widthPx + step, availablePx);
  if (key === towardEdge) return clampDockWidth(layout.widthPx - step, availablePx);
  if (key === 'Home') return clampDockWidth(DOCK_MIN_WIDTH_PX, availablePx);
  if (key === 'End') return clampDockWidth(DOCK_MAX_WIDTH_PX, availablePx);
  return null;
}

/** The width while the edge is dragged from `startX` (where the drag began, at `startWidthPx`) to `x`. */
export function widthAfterDrag(side: DockSide, startWidthPx: number, startX: number, x: number, availablePx: number): number {
  const moved = x - startX;
  return clampDockWidth(side === 'right' ? startWidthPx - moved : startWidthPx + moved, availablePx);
}
