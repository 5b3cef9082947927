/**
 * The Faults view's rules: the catalogue grouped by target, a fault form turned into the
 * injectFault request a learner meant (seconds of engine time to ms, a link between two different
 * brokers, a running client), the countdown of an active fault against the engine clock, and the
 * order of preset runs. The faults store reads the catalogue once, follows the `faults` stream,
 * and shows what a command answered before the next push.
 */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import {
  countdownNow,
  countdownTarget,
  emptyFaultForm,
  formatCountdown,
  formatSpan,
  kindGroups,
  remainingMs,
  secondsToMs,
  sortActiveFaults,
  sortPresetRuns,
  stepCounts,
  targetParams,
  validateFaultForm,
  type FaultKindInfo,
} from '../../../renderer/src/domain/faults';
import { useFaultsStore } from '../../../renderer/src/stores/faults-store';
import { fakeEngine, refusal, type FakeEngine } from './fake-engine-api';
import { catalogue, fault, faultsSnapshot, presetRun, T0 } from './services-fixtures';

const kind = (name: FaultKindInfo['kind']): FaultKindInfo => catalogue().kinds.find((k) => k.kind === name)!;
const CONTEXT = { brokerIds: [1, 2, 3], clientIds: ['order-1', 'inventory-1', 'inventory-2'] };

describe('fault catalogue and forms', () => {
  it('groups the kinds as brokers, links, quorum, clients, keeping the catalogue’s order within a group', () => {
    expect(kindGroups(catalogue()).map((g) => [g.targetType, g.kinds.map((k) => k.kind)])).toEqual([
      ['broker', ['broker-crash', 'broker-pause']],
      ['link', ['link-slow']],
      ['quorum', ['quorum-majority-lost']],
      ['client', ['client-crash', 'client-slow']],
    ]);
  });

  it('turns "crash broker 2 in 5 s for 30 s" into startInMs 5000 and durationMs 30000', () => {
    const form = { ...emptyFaultForm(kind('broker-crash'), CONTEXT), brokerId: '2', startInS: '5', durationS: '30' };
    expect(validateFaultForm(kind('broker-crash'), form, CONTEXT)).toEqual({
      ok: true,
      request: { target: { kind: 'broker-crash', brokerId: 2 }, startInMs: 5000, durationMs: 30_000 },
    });
  });

  it('leaves the duration out (until undone) when it is empty, and reads fractions of a second', () => {
    const form = { ...emptyFaultForm(kind('client-crash'), CONTEXT), clientId: 'inventory-2', startInS: '0,5', durationS: '' };
    expect(validateFaultForm(kind('client-crash'), form, CONTEXT)).toEqual({
      ok: true,
      request: { target: { kind: 'client-crash', clientId: 'inventory-2' }, startInMs: 500, durationMs: null },
    });
    expect(secondsToMs('1.25')).toBe(1250);
    expect(secondsToMs('-1')).toBeNull();
    expect(secondsToMs('soon')).toBeNull();
  });

  it('starts a link form from the first broker to the next, with the catalogue’s defaults', () => {
    const form = emptyFaultForm(kind('link-slow'), CONTEXT);
    expect([form.from, form.to, form.params]).toEqual(['1', '2', { latencyMs: '100', lossRate: '0' }]);
    expect(validateFaultForm(kind('link-slow'), { ...form, params: { latencyMs: '250', lossRate: '0.1' } }, CONTEXT)).toEqual({
      ok: true,
      request: { target: { kind: 'link-slow', from: 1, to: 2, latencyMs: 250, lossRate: 0.1 }, startInMs: 0, durationMs: 30_000 },
    });
  });

  it('refuses a link to itself, a broker that does not exist, a client that is not running, and numbers out of range', () => {
    const link = { ...emptyFaultForm(kind('link-slow'), CONTEXT), from: '2', to: '2', params: { latencyMs: '70000', lossRate: '2' } };
    const refusedLink = validateFaultForm(kind('link-slow'), link, CONTEXT);
    expect(refusedLink.ok ? null : Object.keys(refusedLink.problems).sort()).toEqual(['param:latencyMs', 'param:lossRate', 'to']);
    const broker = validateFaultForm(kind('broker-crash'), { ...emptyFaultForm(kind('broker-crash'), CONTEXT), brokerId: '7', durationS: '0' }, CONTEXT);
    expect(broker.ok ? null : Object.keys(broker.problems).sort()).toEqual(['brokerId', 'durationS']);
    const client = validateFaultForm(kind('client-crash'), { ...emptyFaultForm(kind('client-crash'), CONTEXT), clientId: 'inventory-9' }, CONTEXT);
    expect(client.ok ? null : client.problems.clientId?.key).toBe('faults.errors.chooseClient');
  });

  it('names a fault’s loss rate in percent for its label', () => {
    expect(targetParams({ kind: 'link-slow', from: 1, to: 3, latencyMs: 200, lossRate: 0.25 })).toEqual({ from: 1, to: 3, latencyMs: 200, lossRate: 25 });
  });
});

describe('countdowns and runs', () => {
  it('counts down to the start while scheduled and to the automatic undo while active, in whole seconds rounded up', () => {
    const scheduled = fault(1, { state: 'scheduled', startsAtMs: T0 + 5_000, endsAtMs: T0 + 35_000, startedAtMs: null });
    const active = fault(2, { endsAtMs: T0 + 30_000 });
    expect(countdownTarget(scheduled)).toBe(T0 + 5_000);
    expect(countdownTarget(active)).toBe(T0 + 30_000);
    expect(formatCountdown(remainingMs(countdownTarget(active), T0 + 500)!)).toBe('0:30');
    expect(formatCountdown(remainingMs(countdownTarget(active), T0 + 29_001)!)).toBe('0:01');
    expect(formatCountdown(remainingMs(countdownTarget(active), T0 + 31_000)!)).toBe('0:00');
    expect(formatCountdown(3_723_000)).toBe('1:02:03');
    expect(remainingMs(null, T0)).toBeNull();
    expect(sortActiveFaults([active, scheduled]).map((f) => f.faultId)).toEqual([1, 2]);
  });

  it('a 30 s fault never shows more than 0:30, even while the clock estimate trails its start', () => {
    const active = fault(3, { startedAtMs: T0, endsAtMs: T0 + 30_000 });
    // The clock bar's estimate is 40 ms behind the moment the engine reported the fault active.
    expect(formatCountdown(remainingMs(countdownTarget(active), countdownNow(active, T0 - 40))!)).toBe('0:30');
    expect(countdownNow(active, T0 + 1_000)).toBe(T0 + 1_000);
    expect(countdownNow(fault(4, { state: 'scheduled', startsAtMs: T0 + 5_000, startedAtMs: null }), T0 - 40)).toBe(T0 - 40);
    expect(countdownNow(active, null)).toBeNull();
  });

  it('reads a stretch of engine time in the unit a learner would use', () => {
    expect([850, 11_100, 45_000, 70_000, 420_000].map((ms) => formatSpan(ms, 'en'))).toEqual(['850 ms', '11.1 s', '45 s', '1 min 10 s', '7 min']);
  });

  it('lists running preset runs first, then the newest, and counts their steps', () => {
    const ended = presetRun(1, { endedAtMs: T0 + 60_000 });
    const older = presetRun(2, { startedAtMs: T0 - 10_000 });
    const newer = presetRun(3, { startedAtMs: T0 + 10_000 });
    expect(sortPresetRuns([ended, older, newer]).map((r) => r.presetRunId)).toEqual([3, 2, 1]);
    expect(stepCounts(older)).toEqual({ done: 1, failed: 0, pending: 1 });
  });
});

describe('useFaultsStore', () => {
  let engine: FakeEngine;

  beforeEach(() => {
    setActivePinia(createPinia());
    engine = fakeEngine();
    provideEngineApi(engine.api);
    engine.on('faultCatalogue', () => catalogue());
  });

  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('reads the catalogue once and follows the faults stream while a view needs it', async () => {
    const faults = useFaultsStore();
    faults.start();
    faults.start();
    await flush();
    expect(engine.calls.filter((c) => c.name === 'faultCatalogue')).toHaveLength(1);
    expect(engine.subscriberCount('faults')).toBe(1);
    expect(faults.groups.map((g) => g.targetType)).toEqual(['broker', 'link', 'quorum', 'client']);
    expect(faults.presetInfo('consumer-crash-no-leave')?.targetType).toBe('client');
    faults.stop();
    faults.stop();
    expect(engine.subscriberCount('faults')).toBe(0);
  });

  it('shows an injected fault at once, moves an undone one to the recent faults, and folds in a preset run', async () => {
    const faults = useFaultsStore();
    faults.start();
    engine.emit('faults', faultsSnapshot({ recent: [fault(9, { state: 'undone', endedAtMs: T0 - 1 })] }));
    engine.on('injectFault', () => fault(10));
    engine.on('undoFault', () => fault(10, { state: 'undone', endedAtMs: T0 + 1_000 }));
    engine.on('applyPreset', () => presetRun(4));
    await faults.inject({ target: { kind: 'broker-crash', brokerId: 2 }, startInMs: 0, durationMs: 30_000 });
    expect(faults.active.map((f) => f.faultId)).toEqual([10]);
    await faults.undo(10);
    expect(faults.active).toEqual([]);
    expect(faults.recent.map((f) => [f.faultId, f.state])).toEqual([
      [10, 'undone'],
      [9, 'undone'],
    ]);
    await faults.applyPreset({ presetId: 'consumer-crash-no-leave' });
    expect(faults.presetRuns.map((r) => r.presetRunId)).toEqual([4]);
    expect(engine.calls.filter((c) => c.kind === 'command').map((c) => [c.name, c.request])).toEqual([
      ['injectFault', { target: { kind: 'broker-crash', brokerId: 2 }, startInMs: 0, durationMs: 30_000 }],
      ['undoFault', { faultId: 10 }],
      ['applyPreset', { presetId: 'consumer-crash-no-leave' }],
    ]);
  });

  it('keeps a refused catalogue read as an error and reads it again on the next start', async () => {
    engine.on('faultCatalogue', () => {
      throw refusal('INVALID_REQUEST', "Unknown query 'faultCatalogue'.");
    });
    const faults = useFaultsStore();
    faults.start();
    await flush();
    expect(faults.catalogueError?.message).toBe("Unknown query 'faultCatalogue'.");
    faults.stop();
    engine.on('faultCatalogue', () => catalogue());
    faults.start();
    await flush();
    expect(faults.catalogueError).toBeNull();
    expect(faults.presets).toHaveLength(3);
  });
});
