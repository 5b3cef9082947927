/**
 * Faults as the engine last reported them (the `faults` stream: scheduled, active and recently
 * ended faults, and preset runs, on every change), the catalogue of fault kinds and presets (read
 * once: it is fixed for the engine's life), and the Faults view's commands. What a command answers
 * (the fault or the preset run) is folded in at once, so the view shows it before the next push.
 * Countdowns are not pushed: the view computes them from endsAtMs and the engine clock.
 */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { CommandRequest } from '../../../engine/api/contract';
import type { FaultCatalogue, FaultKind, FaultStatus, FaultsSnapshot, PresetId, PresetRun } from '../../../engine/api/faults-dto';
import { engineApi } from '../api/api-provider';
import { shownError, type ShownError } from '../domain/engine-error';
import { rendererLimits } from '../domain/renderer-limits';
import { kindGroups, sortActiveFaults, sortPresetRuns, type FaultKindInfo, type KindGroup, type PresetInfo } from '../domain/faults';

/** Ended faults the engine keeps in `recent`; a fault ended here before its push joins them. */
const ENDED: readonly FaultStatus['state'][] = ['undone', 'failed'];

export const useFaultsStore = defineStore('faults', () => {
  const snapshot = shallowRef<FaultsSnapshot | null>(null);
  const catalogue = shallowRef<FaultCatalogue | null>(null);
  const catalogueError = shallowRef<ShownError | null>(null);
  let users = 0;
  let unsubscribe: (() => void) | null = null;
  let catalogueReading: Promise<void> | null = null;

  const groups = computed<KindGroup[]>(() => (catalogue.value === null ? [] : kindGroups(catalogue.value)));
  const presets = computed<readonly PresetInfo[]>(() => catalogue.value?.presets ?? []);
  const active = computed<FaultStatus[]>(() => sortActiveFaults(snapshot.value?.active ?? []));
  const recent = computed<readonly FaultStatus[]>(() => snapshot.value?.recent ?? []);
  const presetRuns = computed<PresetRun[]>(() => sortPresetRuns(snapshot.value?.presetRuns ?? []));
  const nowMs = computed(() => snapshot.value?.nowMs ?? null);

  function kindInfo(kind: FaultKind): FaultKindInfo | null {
    return catalogue.value?.kinds.find((k) => k.kind === kind) ?? null;
  }

  function presetInfo(presetId: PresetId): PresetInfo | null {
    return catalogue.value?.presets.find((p) => p.presetId === presetId) ?? null;
  }

  function setSnapshot(next: FaultsSnapshot): void {
    snapshot.value = next;
  }

  /** Reads the catalogue (once; again only after a failure). */
  async function loadCatalogue(): Promise<void> {
    if (catalogue.value !== null) return;
    catalogueReading ??= (async () => {
      try {
        catalogue.value = await engineApi().query('faultCatalogue', {});
        catalogueError.value = null;
      } catch (caught) {
        catalogueError.value = shownError(caught);
      } finally {
        catalogueReading = null;
      }
    })();
    await catalogueReading;
  }

  /** Starts following the faults stream and reads the catalogue (counted: the last stop() ends it). */
  function start(): void {
    users++;
    if (unsubscribe === null) unsubscribe = engineApi().subscribe('faults', setSnapshot);
    void loadCatalogue();
  }

  function stop(): void {
    users = Math.max(0, users - 1);
    if (users > 0) return;
    unsubscribe?.();
    unsubscribe = null;
  }

  function foldFault(fault: FaultStatus): void {
    const current = snapshot.value;
    if (current === null) return;
    const others = (list: readonly FaultStatus[]) => list.filter((f) => f.faultId !== fault.faultId);
    const ended = ENDED.includes(fault.state);
    snapshot.value = {
      ...current,
      active: ended ? others(current.active) : [...others(current.active), fault],
      recent: ended ? [fault, ...others(current.recent)].slice(0, rendererLimits.recentFaultsMax) : others(current.recent),
    };
  }

  function foldRun(run: PresetRun): void {
    const current = snapshot.value;
    if (current === null) return;
    snapshot.value = { ...current, presetRuns: [...current.presetRuns.filter((r) => r.presetRunId !== run.presetRunId), run] };
  }

  async function inject(request: CommandRequest<'injectFault'>): Promise<FaultStatus> {
    const fault = await engineApi().command('injectFault', request);
    foldFault(fault);
    return fault;
  }

  /** Undoes an active fault now, or cancels a scheduled one. */
  async function undo(faultId: number): Promise<FaultStatus> {
    const fault = await engineApi().command('undoFault', { faultId });
    foldFault(fault);
    return fault;
  }

  async function applyPreset(request: CommandRequest<'applyPreset'>): Promise<PresetRun> {
    const run = await engineApi().command('applyPreset', request);
    foldRun(run);
    return run;
  }

  async function stopPreset(presetRunId: number): Promise<PresetRun> {
    const run = await engineApi().command('stopPreset', { presetRunId });
    foldRun(run);
    return run;
  }

  return {
    snapshot,
    catalogue,
    catalogueError,
    groups,
    presets,
    active,
    recent,
    presetRuns,
    nowMs,
    kindInfo,
    presetInfo,
    setSnapshot,
    loadCatalogue,
    start,
    stop,
    inject,
    undo,
    applyPreset,
    stopPreset,
  };
});
