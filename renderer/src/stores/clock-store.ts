/**
 * The engine's clock, for the clock bar: the last reported clock with the real time it arrived
 * (the anchor), the real time of the latest animation frame, and the clock commands. The shown
 * engine time is derived: extrapolated from the anchor with the speed while the clock runs, and
 * never stepping back because of the live driver's tick lag between two reports.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { ClockState } from '../../../engine/api/dto';
import { engineApi } from '../api/api-provider';
import { shownError, type ShownError } from '../domain/engine-error';
import { extrapolateNowMs, smoothingFloor, type ClockAnchor } from '../domain/engine-clock';
import { useClusterStore } from './cluster-store';

/** The renderer's monotonic real time (performance.now exists in browsers and in Node). */
const realNow = (): number => performance.now();

export const useClockStore = defineStore('clock', () => {
  const cluster = useClusterStore();
  const anchor = shallowRef<ClockAnchor | null>(null);
  /** Real time of the last frame the bar drew; moves only through tick(). */
  const realNowMs = ref(0);
  const floorMs = ref<number | null>(null);
  const error = shallowRef<ShownError | null>(null);

  const running = computed(() => anchor.value?.clock.running ?? false);
  const speed = computed(() => anchor.value?.clock.speed ?? null);
  const canStep = computed(() => anchor.value !== null && !anchor.value.clock.running);
  const nowMs = computed<number | null>(() => {
    if (anchor.value === null) return null;
    const extrapolated = extrapolateNowMs(anchor.value, realNowMs.value);
    return floorMs.value === null ? extrapolated : Math.max(floorMs.value, extrapolated);
  });

  /** Takes a reported clock as the new anchor, received at real time `atRealMs`. */
  function report(clock: ClockState, atRealMs: number = realNow()): void {
    const previous = anchor.value;
    const shownBefore = previous === null ? null : Math.max(floorMs.value ?? -Infinity, extrapolateNowMs(previous, atRealMs));
    const next: ClockAnchor = { clock, atRealMs };
    floorMs.value = smoothingFloor(previous, shownBefore, next);
    anchor.value = next;
    realNowMs.value = Math.max(realNowMs.value, atRealMs);
  }

  /** Moves the shown time to real time `atRealMs` (the clock bar calls this every animation frame). */
  function tick(atRealMs: number = realNow()): void {
    realNowMs.value = Math.max(realNowMs.value, atRealMs);
  }

  // Every status carries the clock; the flush is synchronous so the arrival time is exact.
  watch(
    () => cluster.status?.clock,
    (clock) => {
      if (clock !== undefined) report(clock);
    },
    { flush: 'sync', immediate: true },
  );

  async function run(command: () => Promise<ClockState>): Promise<boolean> {
    try {
      report(await command());
      error.value = null;
      return true;
    } catch (caught) {
      error.value = shownError(caught);
      return false;
    }
  }

  const pause = (): Promise<boolean> => run(() => engineApi().command('pauseClock', {}));
  const resume = (): Promise<boolean> => run(() => engineApi().command('resumeClock', {}));
  const togglePause = (): Promise<boolean> => (running.value ? pause() : resume());
  const setSpeed = (next: number): Promise<boolean> => run(() => engineApi().command('setClockSpeed', { speed: next }));
  const step = (): Promise<boolean> => run(() => engineApi().command('stepClock', {}));
  const skipAhead = (durationMs: number): Promise<boolean> => run(() => engineApi().command('skipAhead', { durationMs }));

  function clearError(): void {
    error.value = null;
  }

  return { anchor, realNowMs, floorMs, error, running, speed, canStep, nowMs, report, tick, pause, resume, togglePause, setSpeed, step, skipAhead, clearError };
});
