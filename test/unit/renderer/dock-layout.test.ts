/** The lab dock's remembered layout: width limits, keys and drags on its edge, what storage may hold. */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { clampDockWidth, DOCK_DEFAULT, parseDockLayout, widthAfterDrag, widthAfterKey } from '../../../renderer/src/domain/dock-layout';
import { DOCK_LAYOUT_STORAGE_KEY, useDockLayoutStore } from '../../../renderer/src/stores/dock-layout-store';

function memoryStorage(initial: Record<string, string> = {}): Storage & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (key: string) => data[key] ?? null,
    setItem: (key: string, value: string) => void (data[key] = value),
  } as Storage & { data: Record<string, string> };
}

describe('dock layout', () => {
  it('keeps the dock between 320 and 720 px and leaves the view at least 560 px', () => {
    expect(clampDockWidth(100, 2000)).toBe(320);
    expect(clampDockWidth(900, 2000)).toBe(720);
    expect(clampDockWidth(600, 1000)).toBe(440);
    // A window too narrow for both still gets a usable sheet.
    expect(clampDockWidth(600, 700)).toBe(320);
  });

  it('moves the edge with the arrow keys in their direction, on either side', () => {
    const right = { ...DOCK_DEFAULT, side: 'right' as const, widthPx: 400 };
    expect(widthAfterKey(right, 'ArrowLeft', false, 2000)).toBe(416);
    expect(widthAfterKey(right, 'ArrowRight', true, 2000)).toBe(336);
    expect(widthAfterKey({ ...right, side: 'left' }, 'ArrowRight', false, 2000)).toBe(416);
    expect(widthAfterKey(right, 'Home', false, 2000)).toBe(320);
    expect(widthAfterKey(right, 'End', false, 2000)).toBe(720);
    expect(widthAfterKey(right, 'Enter', false, 2000)).toBeNull();
  });

  it('follows a drag of the edge: leftwards widens a dock on the right', () => {
    expect(widthAfterDrag('right', 400, 900, 800, 2000)).toBe(500);
    expect(widthAfterDrag('left', 400, 600, 700, 2000)).toBe(500);
  });

  it('reads what storage holds, and falls back to the defaults for anything else', () => {
    expect(parseDockLayout(null)).toEqual(DOCK_DEFAULT);
    expect(parseDockLayout('not json')).toEqual(DOCK_DEFAULT);
    expect(parseDockLayout('{"side":"top","widthPx":"wide","collapsed":1}')).toEqual(DOCK_DEFAULT);
    expect(parseDockLayout('{"side":"left","widthPx":5000,"collapsed":true}')).toEqual({ side: 'left', widthPx: 720, collapsed: true });
  });
});

describe('useDockLayoutStore', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('remembers side, width and fold across a restart', () => {
    const storage = memoryStorage();
    const first = useDockLayoutStore();
    first.load(storage);
    first.setSide('left');
    first.setWidth(480, 1600);
    first.setCollapsed(true);
    expect(JSON.parse(storage.data[DOCK_LAYOUT_STORAGE_KEY]!)).toEqual({ side: 'left', widthPx: 480, collapsed: true });

    setActivePinia(createPinia());
    const after = useDockLayoutStore();
    after.load(storage);
    expect(after.layout).toEqual({ side: 'left', widthPx: 480, collapsed: true });
  });

  it('keeps a fold the first version remembered', () => {
    const store = useDockLayoutStore();
    store.load(memoryStorage({ 'kafka-lab.labDock.collapsed': 'true' }));
    expect(store.layout.collapsed).toBe(true);
    expect(store.layout.widthPx).toBe(400);
  });
});
