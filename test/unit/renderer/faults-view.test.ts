// @vitest-environment jsdom
/**
 * The Faults view as components, against the fake engine: the catalogue grouped by target with a
 * form per kind (crash broker 2 for 30 s), the active fault with a countdown that follows the
 * engine clock and its Undo, presets with their lesson and source (Korean words where the UI has
 * them, the engine's text where it has none), a preset run with its steps, the recent faults, and
 * the timeline.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FaultCatalogue } from '../../../engine/api/faults-dto';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import { createAppI18n } from '../../../renderer/src/i18n';
import { useClockStore } from '../../../renderer/src/stores/clock-store';
import { useClusterStore } from '../../../renderer/src/stores/cluster-store';
import FaultsView from '../../../renderer/src/views/FaultsView.vue';
import { broker, fakeEngine, refusal, status, type FakeEngine } from './fake-engine-api';
import { catalogue, fault, faultsSnapshot, presetRun, servicesSnapshot, T0, timelineEntry } from './services-fixtures';

let engine: FakeEngine;
let view: VueWrapper | null = null;

beforeEach(() => {
  setActivePinia(createPinia());
  engine = fakeEngine();
  provideEngineApi(engine.api);
  engine.on('faultCatalogue', () => catalogue());
  engine.on('listConsumers', () => ({ consumers: [] }));
  engine.on('timeline', () => ({ entries: [timelineEntry(1, { endMs: T0 + 31_000 }), timelineEntry(2, { kind: 'election', severity: 'info', text: 'Partition orders-0: broker 3 elected leader (epoch 2)' })], lastId: 2 }));
  useClusterStore().setStatus({ ...status([broker(1), broker(2), broker(3)], []), clock: { running: false, speed: 1, nowMs: T0 } });
});

afterEach(() => {
  view?.unmount();
  view = null;
});

async function mountView(locale: 'en' | 'ko' = 'en'): Promise<VueWrapper> {
  view = mount(FaultsView, { global: { plugins: [createAppI18n(locale)], stubs: { RouterLink: { template: '<a><slot /></a>' } } } });
  engine.emit('faults', faultsSnapshot());
  engine.emit('services', servicesSnapshot());
  await flushPromises();
  return view;
}

const kindRow = (wrapper: VueWrapper, kind: string) => wrapper.get(`[data-testid="fault-kind"][data-kind="${kind}"]`);

describe('FaultsView', () => {
  it('lists the catalogue by target: brokers, links, quorum, clients', async () => {
    const wrapper = await mountView();
    const groups = wrapper.findAll('[data-target-type]');
    expect(groups.map((g) => g.attributes('data-target-type'))).toEqual(['broker', 'link', 'quorum', 'client']);
    expect(groups[0]?.findAll('[data-testid="fault-kind"]').map((k) => k.attributes('data-kind'))).toEqual(['broker-crash', 'broker-pause']);
    expect(kindRow(wrapper, 'broker-crash').text()).toContain('Broker crash (kill -9)');
    expect(wrapper.find('[data-testid="no-active-faults"]').exists()).toBe(true);
    expect(engine.subscriberCount('faults')).toBe(1);
    expect(engine.subscriberCount('services')).toBe(1);
    expect(engine.subscriberCount('timeline')).toBe(1);
  });

  it('injects "crash broker 2 for 30 s" and shows it active with its countdown, which follows the engine clock', async () => {
    const wrapper = await mountView();
    engine.on('injectFault', () => fault(1, { startsAtMs: T0, startedAtMs: T0, endsAtMs: T0 + 30_000 }));
    await kindRow(wrapper, 'broker-crash').get('[data-testid="fault-kind-toggle"]').trigger('click');
    const form = wrapper.get('[data-testid="fault-form-broker-crash"]');
    expect(form.findAll('[data-testid="fault-broker"] option').map((o) => o.text())).toEqual(['Broker 1', 'Broker 2', 'Broker 3']);
    await form.get('[data-testid="fault-broker"]').setValue('2');
    await form.get('[data-testid="fault-duration"]').setValue('30');
    await form.trigger('submit');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'injectFault').map((c) => c.request)).toEqual([{ target: { kind: 'broker-crash', brokerId: 2 }, startInMs: 0, durationMs: 30_000 }]);

    const active = wrapper.get('[data-testid="active-fault"]');
    expect(active.attributes('data-state')).toBe('active');
    expect(active.get('[data-testid="fault-label"]').text()).toBe('Broker 2 crashed (kill -9)');
    expect(active.get('[data-testid="fault-countdown"]').text()).toBe('ends in 0:30');
    useClockStore().report({ running: false, speed: 1, nowMs: T0 + 12_400 });
    await flushPromises();
    expect(active.get('[data-testid="fault-countdown"]').text()).toBe('ends in 0:18');
  });

  it('undoes an active fault, which then shows among the recent faults', async () => {
    const wrapper = await mountView();
    engine.emit('faults', faultsSnapshot({ active: [fault(1)] }));
    engine.on('undoFault', () => fault(1, { state: 'undone', endedAtMs: T0 + 5_000 }));
    await flushPromises();
    await wrapper.get('[data-testid="fault-undo"]').trigger('click');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'undoFault').map((c) => c.request)).toEqual([{ faultId: 1 }]);
    expect(wrapper.find('[data-testid="active-fault"]').exists()).toBe(false);
    const recent = wrapper.get('[data-testid="recent-fault"]');
    expect(recent.attributes('data-state')).toBe('undone');
    expect(recent.text()).toContain('5 s');
  });

  it('says a scheduled fault starts in so long, and cancels it', async () => {
    const wrapper = await mountView();
    engine.emit('faults', faultsSnapshot({ active: [fault(3, { state: 'scheduled', startsAtMs: T0 + 65_000, startedAtMs: null, endsAtMs: null })] }));
    await flushPromises();
    expect(wrapper.get('[data-testid="fault-countdown"]').text()).toBe('starts in 1:05');
    expect(wrapper.get('[data-testid="fault-undo"]').text()).toContain('Cancel');
    expect(wrapper.get('[data-testid="summary-scheduled-faults"]').text()).toBe('1');
  });

  it('targets a client fault at a service replica from the services stream', async () => {
    const wrapper = await mountView();
    engine.on('injectFault', () => fault(2, { target: { kind: 'client-slow', clientId: 'inventory-2', processingMsPerRecord: 1000 } }));
    await kindRow(wrapper, 'client-slow').get('[data-testid="fault-kind-toggle"]').trigger('click');
    const form = wrapper.get('[data-testid="fault-form-client-slow"]');
    expect(form.findAll('[data-testid="fault-client"] option').map((o) => o.text())).toEqual(['order-1', 'inventory-1', 'inventory-2']);
    await form.get('[data-testid="fault-client"]').setValue('inventory-2');
    await form.get('[data-testid="fault-duration"]').setValue('');
    await form.trigger('submit');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'injectFault').map((c) => c.request)).toEqual([
      { target: { kind: 'client-slow', clientId: 'inventory-2', processingMsPerRecord: 1000 }, startInMs: 0, durationMs: null },
    ]);
    expect(wrapper.get('[data-testid="fault-label"]').text()).toBe('inventory-2: 1000 ms per record');
  });

  it("shows the engine's refusal of a fault in Kafka's words, in the form", async () => {
    const wrapper = await mountView();
    engine.on('injectFault', () => {
      throw refusal('INVALID_REQUEST', 'Broker 1 is not running.');
    });
    await kindRow(wrapper, 'broker-pause').get('[data-testid="fault-kind-toggle"]').trigger('click');
    await wrapper.get('[data-testid="fault-form-broker-pause"]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="fault-engine-error"]').text()).toContain('Broker 1 is not running.');
  });

  it('applies the consumer-crash-no-leave preset at a chosen replica and follows its run step by step', async () => {
    const wrapper = await mountView();
    engine.on('applyPreset', () => presetRun(7));
    const preset = wrapper.get('[data-testid="preset"][data-preset="consumer-crash-no-leave"]');
    expect(preset.text()).toContain('A consumer crashes without LeaveGroup');
    expect(preset.text()).toContain('Kafka group protocol');
    await preset.get('[data-testid="preset-client"]').setValue('inventory-1');
    await preset.get('[data-testid="preset-apply"]').trigger('click');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'applyPreset').map((c) => c.request)).toEqual([{ presetId: 'consumer-crash-no-leave', clientId: 'inventory-1' }]);
    const run = wrapper.get('[data-testid="preset-run"]');
    expect(run.attributes('data-running')).toBe('true');
    expect(run.get('[data-testid="preset-run-target"]').text()).toBe('inventory-1');
    expect(run.findAll('[data-testid="preset-step"]').map((s) => s.attributes('data-state'))).toEqual(['done', 'pending']);
    expect(run.text()).toContain('+45 s');
    engine.on('stopPreset', () => presetRun(7, { endedAtMs: T0 + 1_000 }));
    await run.get('[data-testid="preset-stop"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="preset-run"]').attributes('data-running')).toBe('false');
  });

  it('applies a partition preset to the services’ topic unless another one is chosen', async () => {
    const wrapper = await mountView();
    engine.on('applyPreset', () => presetRun(8, { presetId: 'acks1-failover-loss' }));
    await wrapper.get('[data-testid="preset"][data-preset="acks1-failover-loss"] [data-testid="preset-apply"]').trigger('click');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'applyPreset').map((c) => c.request)).toEqual([{ presetId: 'acks1-failover-loss' }]);
  });

  it('shows the timeline newest first, with a span’s length', async () => {
    const wrapper = await mountView();
    const entries = wrapper.findAll('[data-testid="timeline-entry"]');
    expect(entries.map((e) => e.attributes('data-kind'))).toEqual(['election', 'fault']);
    expect(entries[1]?.text()).toContain('lasted 30 s');
    expect(entries[0]?.text()).toContain('Election');
  });

  it('hides the ISR changes of internal topics (all of __consumer_offsets at once) unless asked', async () => {
    const offsets = Array.from({ length: 50 }, (_, p) =>
      timelineEntry(10 + p, { kind: 'isr', severity: 'info', code: 'isr.expand', params: { topic: '__consumer_offsets', partition: p }, text: `[Partition __consumer_offsets-${p}] Expanding ISR from 3,1 to 3,1,2` }),
    );
    engine.on('timeline', () => ({ entries: [timelineEntry(1), ...offsets], lastId: 59 }));
    const wrapper = await mountView();
    expect(wrapper.findAll('[data-testid="timeline-entry"]').map((e) => e.attributes('data-kind'))).toEqual(['fault']);
    await wrapper.get('[data-testid="timeline-internal"]').setValue(true);
    expect(wrapper.findAll('[data-testid="timeline-entry"]')).toHaveLength(40);
  });

  it('speaks Korean, and falls back to the engine’s text for a preset the UI has no words for', async () => {
    const withUnknown: FaultCatalogue = catalogue();
    // A preset the engine may add later: cast, since the contract does not know it yet.
    withUnknown.presets.push({ presetId: 'disk-fills-up' as never, title: 'Engine: the disk fills up', lesson: 'Engine lesson about ENOSPC.', source: 'KAFKA-1234', targetType: 'cluster', durationMs: 10_000 });
    engine.on('faultCatalogue', () => withUnknown);
    const wrapper = await mountView('ko');
    expect(wrapper.get('h1').text()).toBe('장애 주입');
    expect(kindRow(wrapper, 'broker-crash').text()).toContain('브로커 강제 종료 (kill -9)');
    expect(wrapper.get('[data-preset="consumer-crash-no-leave"]').text()).toContain('LeaveGroup 없이 죽는 컨슈머');
    const unknown = wrapper.get('[data-preset="disk-fills-up"]');
    expect(unknown.text()).toContain('Engine: the disk fills up');
    expect(unknown.text()).toContain('Engine lesson about ENOSPC.');
  });
});
