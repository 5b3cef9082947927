/**
 * The clock store follows the clock in every status, extrapolates it between reports, never steps
 * back on a lagging report, and sends the clock bar's commands, showing refusals in Kafka's words.
 */
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClockState, ClusterStatus } from '../../../engine/api/dto';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import { useClockStore } from '../../../renderer/src/stores/clock-store';
import { useClusterStore } from '../../../renderer/src/stores/cluster-store';
import { broker, fakeEngine, refusal, status, type FakeEngine } from './fake-engine-api';

const T0 = 1_700_000_000_000;
let engine: FakeEngine;
let realNow: number;

beforeEach(() => {
  setActivePinia(createPinia());
  engine = fakeEngine();
  provideEngineApi(engine.api);
  realNow = 10_000;
  vi.spyOn(performance, 'now').mockImplementation(() => realNow);
});

afterEach(() => {
  vi.restoreAllMocks();
});

function withClock(clock: ClockState): ClusterStatus {
  return { ...status([broker(1), broker(2), broker(3)], []), nowMs: clock.nowMs, clock };
}

describe('useClockStore', () => {
  it('knows no time before the first status', () => {
    const clock = useClockStore();
    expect(clock.nowMs).toBeNull();
    expect(clock.canStep).toBe(false);
    expect(clock.running).toBe(false);
  });

  it('takes the clock of each status and advances it with real time x speed between statuses', () => {
    const cluster = useClusterStore();
    const clock = useClockStore();
    cluster.setStatus(withClock({ running: true, speed: 2, nowMs: T0 }));
    expect(clock.nowMs).toBe(T0);
    expect(clock.running).toBe(true);
    expect(clock.speed).toBe(2);
    expect(clock.canStep).toBe(false);
    clock.tick(10_100);
    expect(clock.nowMs).toBe(T0 + 200);
    clock.tick(10_500);
    expect(clock.nowMs).toBe(T0 + 1000);
  });

  it('picks the clock up when it starts after the status is already there', () => {
    const cluster = useClusterStore();
    cluster.setStatus(withClock({ running: false, speed: 1, nowMs: T0 }));
    expect(useClockStore().nowMs).toBe(T0);
  });

  it('stands still while paused, and can step', () => {
    const cluster = useClusterStore();
    const clock = useClockStore();
    cluster.setStatus(withClock({ running: false, speed: 1, nowMs: T0 }));
    clock.tick(60_000);
    expect(clock.nowMs).toBe(T0);
    expect(clock.canStep).toBe(true);
  });

  it('does not step back when a newer report lags what was already shown', () => {
    const cluster = useClusterStore();
    const clock = useClockStore();
    cluster.setStatus(withClock({ running: true, speed: 1, nowMs: T0 }));
    clock.tick(10_100);
    expect(clock.nowMs).toBe(T0 + 100);
    // Taken just before the driver's next tick: 40 ms behind what real time says.
    realNow = 10_100;
    cluster.setStatus(withClock({ running: true, speed: 1, nowMs: T0 + 60 }));
    expect(clock.nowMs).toBe(T0 + 100);
    clock.tick(10_120);
    expect(clock.nowMs).toBe(T0 + 100);
    clock.tick(10_150);
    expect(clock.nowMs).toBe(T0 + 110);
  });

  it('ignores a status that only folded in a topic (the same clock, not a new report)', () => {
    const cluster = useClusterStore();
    const clock = useClockStore();
    const first = withClock({ running: true, speed: 1, nowMs: T0 });
    cluster.setStatus(first);
    realNow = 12_000;
    cluster.setStatus({ ...first, topics: [] });
    clock.tick(12_000);
    expect(clock.nowMs).toBe(T0 + 2000);
  });

  it('pauses, steps, resumes, changes speed and skips ahead through the engine, showing each answer at once', async () => {
    const cluster = useClusterStore();
    const clock = useClockStore();
    cluster.setStatus(withClock({ running: true, speed: 1, nowMs: T0 }));
    engine.on('pauseClock', () => ({ running: false, speed: 1, nowMs: T0 + 5 }));
    engine.on('stepClock', () => ({ running: false, speed: 1, nowMs: T0 + 42 }));
    engine.on('resumeClock', () => ({ running: true, speed: 1, nowMs: T0 + 42 }));
    engine.on('setClockSpeed', (request) => ({ running: true, speed: (request as { speed: number }).speed, nowMs: T0 + 42 }));
    engine.on('skipAhead', (request) => ({ running: true, speed: 5, nowMs: T0 + 42 + (request as { durationMs: number }).durationMs }));

    expect(await clock.togglePause()).toBe(true);
    expect(clock.running).toBe(false);
    expect(clock.nowMs).toBe(T0 + 5);
    expect(clock.canStep).toBe(true);

    await clock.step();
    expect(clock.nowMs).toBe(T0 + 42);
    realNow += 5000;
    clock.tick();
    expect(clock.nowMs).toBe(T0 + 42);

    await clock.togglePause();
    expect(clock.running).toBe(true);
    await clock.setSpeed(5);
    expect(clock.speed).toBe(5);
    await clock.skipAhead(10_000);
    expect(clock.nowMs).toBe(T0 + 10_042);

    expect(engine.calls.map((c) => [c.name, c.request])).toEqual([
      ['pauseClock', {}],
      ['stepClock', {}],
      ['resumeClock', {}],
      ['setClockSpeed', { speed: 5 }],
      ['skipAhead', { durationMs: 10_000 }],
    ]);
    expect(clock.error).toBeNull();
  });

  it("shows the engine's refusal in Kafka's words, changes nothing, and clears it on the next success", async () => {
    const cluster = useClusterStore();
    const clock = useClockStore();
    cluster.setStatus(withClock({ running: true, speed: 1, nowMs: T0 }));
    engine.on('stepClock', () => {
      throw refusal('INVALID_REQUEST', 'Pause the clock before stepping through events one at a time.', 42);
    });
    expect(await clock.step()).toBe(false);
    expect(clock.error).toEqual({ errorName: 'INVALID_REQUEST', message: 'Pause the clock before stepping through events one at a time.' });
    expect(clock.running).toBe(true);
    engine.on('pauseClock', () => ({ running: false, speed: 1, nowMs: T0 }));
    await clock.pause();
    expect(clock.error).toBeNull();
    clock.clearError();
    expect(clock.error).toBeNull();
  });
});
