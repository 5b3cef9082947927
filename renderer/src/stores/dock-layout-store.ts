/**
 * Where the lab sheet docks and how wide it is, remembered across restarts (localStorage, like the
 * theme and language). Raw state only; App.vue renders it and turns pointer and key events into
 * widths through the pure helpers of domain/dock-layout.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { clampDockWidth, DOCK_DEFAULT, parseDockLayout, type DockLayout, type DockSide } from '../domain/dock-layout';

export const DOCK_LAYOUT_STORAGE_KEY = 'kafka-lab.labDock';
/** What the first version kept: only whether the dock was folded. */
const LEGACY_COLLAPSED_KEY = 'kafka-lab.labDock.collapsed';

interface LayoutStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function browserStorage(): LayoutStorage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

export const useDockLayoutStore = defineStore('dockLayout', () => {
  const layout = ref<DockLayout>(DOCK_DEFAULT);
  let storage: LayoutStorage | null = null;

  /** Reads the remembered layout; `from` is the storage (tests pass their own). */
  function load(from: LayoutStorage | null = browserStorage()): void {
    storage = from;
    let stored: string | null = null;
    let legacyCollapsed: string | null = null;
    try {
      stored = storage?.getItem(DOCK_LAYOUT_STORAGE_KEY) ?? null;
      legacyCollapsed = storage?.getItem(LEGACY_COLLAPSED_KEY) ?? null;
    } catch {
      // Storage refused: the defaults apply, and nothing is remembered.
    }
    const parsed = parseDockLayout(stored);
    layout.value = stored === null && legacyCollapsed === 'true' ? { ...parsed, collapsed: true } : parsed;
  }

  function save(): void {
    try {
      storage?.setItem(DOCK_LAYOUT_STORAGE_KEY, JSON.stringify(layout.value));
    } catch {
      // Not remembered across restarts, which is all that is lost.
    }
  }

  function setWidth(widthPx: number, availablePx: number): void {
    const clamped = clampDockWidth(widthPx, availablePx);
    if (clamped === layout.value.widthPx) return;
    layout.value = { ...layout.value, widthPx: clamped };
    save();
  }

  function setSide(side: DockSide): void {
    if (side === layout.value.side) return;
    layout.value = { ...layout.value, side };
    save();
  }

  function setCollapsed(collapsed: boolean): void {
    if (collapsed === layout.value.collapsed) return;
    layout.value = { ...layout.value, collapsed };
    save();
  }

  return { layout, load, setWidth, setSide, setCollapsed };
});
