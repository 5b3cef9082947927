// @vitest-environment jsdom
/**
 * The Groups view with lag status in Burrow's words: a badge per group (in the list and the
 * overview) and per partition (beside LAG in the kafka-consumer-groups --describe table), each in
 * words and with an icon, the reason in its tooltip, and a click that opens the rule, its reason,
 * the rates and the window of samples behind it. The statuses follow the metrics stream.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import { createAppI18n } from '../../../renderer/src/i18n';
import { useClusterStore } from '../../../renderer/src/stores/cluster-store';
import GroupsView from '../../../renderer/src/views/GroupsView.vue';
import { broker, fakeEngine, partition, status, topic, type FakeEngine } from './fake-engine-api';
import { consumer, emptyGroup, inventoryGroup, snapshot, T0 } from './groups-fixtures';
import { groupStatus, metricsDelta, metricsSnapshot, partitionStatus } from './services-fixtures';

let engine: FakeEngine;
let view: VueWrapper | null = null;

const STALL_REASON = 'committed offset 4 at every one of the last 10 samples while the log end offset moved 4 → 10';

function stalledInventory() {
  return groupStatus(
    'inventory',
    [
      partitionStatus(0),
      partitionStatus(1),
      partitionStatus(2, {
        status: 'STALL',
        rule: 'offset-unchanged',
        reason: STALL_REASON,
        currentLag: 6,
        timeLagMs: 42_000,
        consumeRatePerSec: 0,
        etaMs: null,
        retentionWarning: 'The oldest unread record of orders-2 is deleted by retention.ms in 5 min.',
        window: [
          { tMs: T0, committedOffset: 4, logEndOffset: 4, lag: 0 },
          { tMs: T0 + 1000, committedOffset: 4, logEndOffset: 10, lag: 6 },
        ],
      }),
    ],
    { status: 'ERR', totalLag: 6, maxLag: { topic: 'orders', partition: 2, lag: 6 } },
  );
}

beforeEach(() => {
  setActivePinia(createPinia());
  engine = fakeEngine();
  provideEngineApi(engine.api);
  engine.on('listConsumers', () => ({ consumers: [consumer('inventory-1'), consumer('inventory-2')] }));
  engine.on('metricsSnapshot', () => metricsSnapshot({ lagStatus: [stalledInventory(), groupStatus('audit', [partitionStatus(0, { topic: 'payments' })])] }));
  useClusterStore().setStatus(status([broker(1), broker(2), broker(3)], [topic('orders', [partition(0, [1]), partition(1, [2]), partition(2, [3])])]));
});

afterEach(() => {
  view?.unmount();
  view = null;
});

async function mountView(locale: 'en' | 'ko' = 'en'): Promise<VueWrapper> {
  view = mount(GroupsView, { global: { plugins: [createAppI18n(locale)], stubs: { RouterLink: { template: '<a><slot /></a>' } } }, attachTo: 'body' });
  engine.emit('groups', snapshot([inventoryGroup(), emptyGroup('audit')]));
  await flushPromises();
  await view.get('[data-testid="group-item"][data-group="inventory"]').trigger('click');
  return view;
}

const row = (wrapper: VueWrapper, p: number) => wrapper.get(`[data-testid="describe-row"][data-partition="${p}"]`);

describe('lag status in the Groups view', () => {
  it('shows a badge per group and per partition, in words with an icon, following the metrics', async () => {
    const wrapper = await mountView();
    expect(engine.subscriberCount('metrics')).toBe(1);
    const listBadge = wrapper.get('[data-testid="group-item"][data-group="inventory"] [data-testid="lag-status"]');
    expect(listBadge.text()).toContain('ERR');
    expect(listBadge.element.tagName).toBe('SPAN');
    expect(listBadge.find('svg').exists()).toBe(true);
    expect(wrapper.get('[data-testid="group-item"][data-group="audit"] [data-testid="lag-status"]').attributes('data-status')).toBe('OK');
    expect(wrapper.get('[data-testid="group-lag-status"] [data-testid="lag-status"]').attributes('data-status')).toBe('ERR');

    expect(row(wrapper, 0).get('[data-testid="lag-status"]').attributes('data-status')).toBe('OK');
    const stalled = row(wrapper, 2).get('[data-testid="lag-status"]');
    expect(stalled.text()).toContain('STALL');
    expect(stalled.attributes('title')).toContain(STALL_REASON);

    engine.emit('metrics', metricsDelta(11, { lagStatus: [groupStatus('inventory', [partitionStatus(0), partitionStatus(1), partitionStatus(2, { status: 'WARN', rule: 'lag-growing', reason: 'lag grew at every one of the last 10 samples, 2 → 6' })], { status: 'WARN' })] }));
    await flushPromises();
    expect(row(wrapper, 2).get('[data-testid="lag-status"]').attributes('data-status')).toBe('WARN');
    expect(wrapper.get('[data-testid="group-lag-status"] [data-testid="lag-status"]').text()).toContain('WARN');

    wrapper.unmount();
    view = null;
    expect(engine.subscriberCount('metrics')).toBe(0);
  });

  it("opens the partition's rule, reason, rates, retention warning and window on click, and closes on Escape", async () => {
    const wrapper = await mountView();
    const badge = row(wrapper, 2).get('button[data-testid="lag-status"]');
    await badge.trigger('click');
    await flushPromises();
    const popover = wrapper.get('[data-testid="lag-status-popover"]');
    expect(badge.attributes('aria-expanded')).toBe('true');
    expect(popover.attributes('aria-label')).toBe('Lag status of orders-2');
    expect(popover.get('[data-testid="lag-status-rule"]').text()).toBe('offset-unchanged');
    expect(popover.get('[data-testid="lag-status-reason"]').text()).toBe(STALL_REASON);
    expect(popover.text()).toContain('not catching up');
    expect(popover.text()).toContain('42.0 s');
    expect(popover.get('[data-testid="lag-status-retention"]').text()).toContain('deleted by retention.ms');
    const points = popover.findAll('[data-testid="lag-status-window"] tbody tr').map((tr) => tr.findAll('td').slice(1).map((td) => td.text()));
    expect(points).toEqual([
      ['4', '4', '0'],
      ['4', '10', '6'],
    ]);
    await popover.trigger('keydown', { key: 'Escape' });
    await flushPromises();
    expect(wrapper.find('[data-testid="lag-status-popover"]').exists()).toBe(false);
    expect(badge.element.ownerDocument.activeElement).toBe(badge.element);
  });

  it("opens the group's roll-up: the worst partition decides, with the partitions that are not OK", async () => {
    const wrapper = await mountView();
    await wrapper.get('[data-testid="group-lag-status"] button[data-testid="lag-status"]').trigger('click');
    await flushPromises();
    const popover = wrapper.get('[data-testid="lag-status-popover"]');
    expect(popover.text()).toContain('STOP, STALL and REWIND count as ERR');
    const listed = popover.findAll('[data-testid="lag-status-partitions"] li').map((li) => li.findAll('span, strong').map((el) => el.text()));
    expect(listed).toEqual([['orders-2', 'STALL', STALL_REASON]]);
    // A click outside closes it.
    await wrapper.get('h1').trigger('pointerdown');
    await flushPromises();
    expect(wrapper.find('[data-testid="lag-status-popover"]').exists()).toBe(false);
  });

  it('says what a status means in Korean, keeping Burrow’s code', async () => {
    const wrapper = await mountView('ko');
    const stalled = row(wrapper, 2).get('[data-testid="lag-status"]');
    expect(stalled.text()).toContain('STALL');
    expect(stalled.attributes('title')).toContain('커밋은 계속하지만 매번 같은 오프셋');
  });

  it('shows no badge while the metrics are not there (the engine refused the snapshot), and the rest of the view works', async () => {
    engine.on('metricsSnapshot', () => {
      throw new Error('no metrics');
    });
    const wrapper = await mountView();
    expect(wrapper.find('[data-testid="lag-status"]').exists()).toBe(false);
    expect(wrapper.findAll('[data-testid="describe-row"]')).toHaveLength(3);
  });
});
