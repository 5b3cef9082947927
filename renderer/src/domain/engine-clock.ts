/**
 * Engine time as the clock bar shows it. The engine reports its clock with every status (and in
 * every clock command's answer); between reports the bar extrapolates with the reported speed, so
 * the time advances smoothly instead of jumping ten times a second.
 */
import type { ClockState } from '../../../engine/api/dto';

/** The speeds the clock bar offers, as the engine accepts them (0.25x to 10x real time). */
export const CLOCK_SPEEDS = [0.25, 0.5, 1, 2, 5, 10] as const;

/** Skip-ahead steps: past broker.session.timeout.ms (9 s), and longer waits for retention labs. */
export const SKIP_STEPS = [
  { durationMs: 10_000, key: 'skip10s' },
  { durationMs: 60_000, key: 'skip1m' },
  { durationMs: 300_000, key: 'skip5m' },
] as const;

/** A reported clock and the real (monotonic) time at which the renderer received it. */
export interface ClockAnchor {
  readonly clock: ClockState;
  readonly atRealMs: number;
}

/**
 * The live driver's snapshots lag real time by up to one driver tick (50 ms real) times the
 * speed; a newer snapshot that is behind what the bar already showed by less than this much is
 * taken as that lag, and the bar waits for it instead of stepping back.
 */
export const SMOOTHING_WINDOW_REAL_MS = 250;

/** Engine time at `realNowMs`: the anchor's time, plus the real time since, times the speed while running. */
export function extrapolateNowMs(anchor: ClockAnchor, realNowMs: number): number {
  if (!anchor.clock.running) return anchor.clock.nowMs;
  const elapsedRealMs = Math.max(0, realNowMs - anchor.atRealMs);
  return Math.floor(anchor.clock.nowMs + elapsedRealMs * anchor.clock.speed);
}

/**
 * The floor below which the shown time must not drop after a new report arrives: what was shown
 * just before, when both reports are of the same running clock and the difference is the driver's
 * tick lag; null otherwise (a pause, step, skip or speed change shows the engine's time exactly).
 */
export function smoothingFloor(previous: ClockAnchor | null, shownBeforeMs: number | null, next: ClockAnchor): number | null {
  if (previous === null || shownBeforeMs === null) return null;
  if (!previous.clock.running || !next.clock.running || previous.clock.speed !== next.clock.speed) return null;
  const behindMs = shownBeforeMs - next.clock.nowMs;
  if (behindMs <= 0 || behindMs > SMOOTHING_WINDOW_REAL_MS * next.clock.speed) return null;
  return shownBeforeMs;
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** HH:MM:SS.mmm of an engine timestamp, in local time like record timestamps; 24-hour in every locale. */
export function formatClockTime(nowMs: number): string {
  const date = new Date(nowMs);
  return `${pad(date.getHours(), 2)}:${pad(date.getMinutes(), 2)}:${pad(date.getSeconds(), 2)}.${pad(date.getMilliseconds(), 3)}`;
}

/** "0.25×", "1×", "10×". */
export function formatSpeed(speed: number): string {
  return `${speed}×`;
}
