/**
 * A paused client process (SIGSTOP, a long GC) runs nothing: its timers and the network answers it
 * receives are parked and run on resume, in the order they came due, at the resume time — as a JVM
 * that wakes up finds every overdue timer and buffered socket read at once. A cancelled timer never
 * runs, parked or not.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../engine/core/clock.js';
import { ProcessGate, SkewedClock } from '../../../engine/core/process-gate.js';
import { Scheduler } from '../../../engine/core/scheduler.js';

describe('ProcessGate', () => {
  it('runs timers and guarded callbacks as usual while not paused', () => {
    const s = new Scheduler(0);
    const gate = new ProcessGate(s);
    const seen: string[] = [];
    gate.timers.after(10, () => seen.push(`timer@${s.nowMs()}`));
    const answer = gate.guard((what: string) => seen.push(`${what}@${s.nowMs()}`));
    s.after(5, () => answer('fetch-response'));
    s.runUntil(100);
    expect(seen).toEqual(['fetch-response@5', 'timer@10']);
  });

  it('parks what comes due while paused and runs it on resume, in the order it came due, at the resume time', () => {
    const s = new Scheduler(0);
    const gate = new ProcessGate(s);
    const seen: string[] = [];
    gate.timers.after(30, () => seen.push(`heartbeat timer@${s.nowMs()}`));
    const answer = gate.guard((what: string) => seen.push(`${what}@${s.nowMs()}`));
    s.after(40, () => answer('join response'));
    gate.timers.after(50, () => seen.push(`poll timer@${s.nowMs()}`));
    s.after(10, () => gate.pause());
    s.runUntil(1000);
    // Frozen: nothing of the process ran although three things came due.
    expect(seen).toEqual([]);
    expect(gate.isPaused).toBe(true);
    gate.resume();
    expect(seen).toEqual(['heartbeat timer@1000', 'join response@1000', 'poll timer@1000']);
    expect(gate.isPaused).toBe(false);
  });

  it('never runs a timer cancelled while parked, nor one cancelled before it came due', () => {
    const s = new Scheduler(0);
    const gate = new ProcessGate(s);
    const seen: string[] = [];
    gate.pause();
    const parked = gate.timers.after(10, () => seen.push('parked then cancelled'));
    const early = gate.timers.after(500, () => seen.push('cancelled before due'));
    gate.timers.after(20, () => seen.push('kept'));
    s.runUntil(100);
    parked.cancel();
    early.cancel();
    gate.resume();
    s.runUntil(1000);
    expect(seen).toEqual(['kept']);
  });

  it('parks the rest again when a resumed callback pauses the process, and forgets parked work on discard', () => {
    const s = new Scheduler(0);
    const gate = new ProcessGate(s);
    const seen: number[] = [];
    gate.pause();
    gate.timers.after(1, () => {
      seen.push(1);
      gate.pause();
    });
    gate.timers.after(2, () => seen.push(2));
    s.runUntil(10);
    gate.resume();
    expect(seen).toEqual([1]);
    expect(gate.isPaused).toBe(true);
    // The process dies while paused: what was parked never runs; a new incarnation starts unpaused.
    gate.discard();
    expect(gate.isPaused).toBe(false);
    gate.resume();
    s.runUntil(20);
    expect(seen).toEqual([1]);
  });

  it('keeps at most 10,000 parked callbacks, dropping the oldest and counting them, as an overflowing socket buffer', () => {
    const s = new Scheduler(0);
    const gate = new ProcessGate(s);
    const seen: number[] = [];
    const answer = gate.guard((n: number) => seen.push(n));
    gate.pause();
    for (let n = 0; n < 10_001; n++) answer(n);
    expect(gate.droppedWhilePaused).toBe(1);
    gate.resume();
    expect(seen).toHaveLength(10_000);
    expect(seen[0]).toBe(1);
    expect(seen.at(-1)).toBe(10_000);
  });
});

describe('SkewedClock', () => {
  it('runs ahead or behind the engine clock by the skew, moving with it', () => {
    const engine = new ManualClock(1_000_000);
    const machine = new SkewedClock(engine);
    expect(machine.nowMs()).toBe(1_000_000);
    machine.skewMs = -60_000;
    engine.advanceMs(5);
    expect(machine.nowMs()).toBe(940_005);
  });
});
