// @vitest-environment jsdom
/**
 * The Groups view as components, against the fake engine: the group list, the selected group's
 * members (with Close, Crash and the log), the kafka-consumer-groups --describe table with Kafka's
 * column names and "-", the rebalance timeline, the Add consumer dialog's checks and request, and
 * Delete group with Kafka's refusal; in English and Korean.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import { createAppI18n } from '../../../renderer/src/i18n';
import { useClusterStore } from '../../../renderer/src/stores/cluster-store';
import GroupsView from '../../../renderer/src/views/GroupsView.vue';
import { broker, fakeEngine, partition, refusal, status, topic, type FakeEngine } from './fake-engine-api';
import { consumer, emptyGroup, inventoryGroup, MEMBER_1, snapshot, T0 } from './groups-fixtures';

let engine: FakeEngine;
let view: VueWrapper | null = null;

beforeEach(() => {
  setActivePinia(createPinia());
  engine = fakeEngine();
  provideEngineApi(engine.api);
  engine.on('listConsumers', () => ({ consumers: [consumer('inventory-1', { recordsConsumed: 1234 }), consumer('inventory-2')] }));
  useClusterStore().setStatus(
    status([broker(1), broker(2), broker(3)], [topic('orders', [partition(0, [1]), partition(1, [2]), partition(2, [3])]), topic('payments', [partition(0, [1])])]),
  );
});

afterEach(() => {
  view?.unmount();
  view = null;
});

async function mountView(locale: 'en' | 'ko' = 'en'): Promise<VueWrapper> {
  view = mount(GroupsView, { global: { plugins: [createAppI18n(locale)], stubs: { RouterLink: { template: '<a><slot /></a>' } } } });
  engine.emit('groups', snapshot([inventoryGroup(), emptyGroup('audit')]));
  await flushPromises();
  return view;
}

const texts = (wrapper: { findAll(selector: string): { text(): string }[] }, selector: string): string[] => wrapper.findAll(selector).map((w) => w.text());

describe('GroupsView', () => {
  it('waits for the engine, then lists the groups with state, generation, members and lag', async () => {
    view = mount(GroupsView, { global: { plugins: [createAppI18n('en')], stubs: { RouterLink: { template: '<a><slot /></a>' } } } });
    expect(view.text()).toContain('Waiting for the consumer groups from the engine');
    expect(engine.subscriberCount('groups')).toBe(1);
    engine.emit('groups', snapshot([inventoryGroup(), emptyGroup('audit')]));
    await flushPromises();
    const items = view.findAll('[data-testid="group-item"]');
    expect(items.map((i) => i.attributes('data-group'))).toEqual(['audit', 'inventory']);
    const inventory = view.get('[data-testid="group-item"][data-group="inventory"]');
    expect(inventory.get('[data-testid="group-state"]').text()).toContain('Stable');
    expect(inventory.get('[data-testid="group-generation"]').text()).toBe('gen 2');
    expect(inventory.get('[data-testid="group-members"]').text()).toBe('members 2');
    expect(inventory.get('[data-testid="group-lag"]').text()).toBe('LAG 6');
    expect(view.get('[data-testid="summary-lag"]').text()).toBe('8');
    view.unmount();
    view = null;
    expect(engine.subscriberCount('groups')).toBe(0);
  });

  it('shows the selected group: header, members with partitions, the describe table and the rebalances', async () => {
    const wrapper = await mountView();
    await wrapper.get('[data-testid="group-item"][data-group="inventory"]').trigger('click');
    const overview = wrapper.get('[data-testid="group-overview"]');
    expect(overview.get('[data-testid="group-title"]').text()).toBe('inventory');
    expect(overview.get('[data-testid="group-generation"]').text()).toBe('2');
    expect(overview.get('[data-testid="group-assignor"]').text()).toBe('range');
    expect(overview.get('[data-testid="group-coordinator"]').text()).toBe('Broker 2');

    const members = wrapper.findAll('[data-testid="member-row"]');
    expect(members.map((m) => m.attributes('data-client-id'))).toEqual(['inventory-1', 'inventory-2']);
    expect(members[0]?.get('[data-testid="member-id"]').text()).toBe('inventory-1-3f2a9c1e…');
    expect(members[0]?.get('[data-testid="member-id"]').attributes('title')).toBe(MEMBER_1);
    expect(texts(members[0]!, '[data-testid="partition-chip"]')).toEqual(['orders-0', 'orders-1']);
    expect(members[0]?.get('[data-testid="consumer-records"]').text()).toBe('1,234');
    expect(wrapper.get('[data-testid="stop-help"]').text()).toContain('session.timeout.ms');

    const table = wrapper.get('[data-testid="describe-table"]');
    expect(texts(wrapper, '[data-testid="describe-table"] thead th').filter((h) => h !== '' && h !== 'Lag')).toEqual([
      'GROUP',
      'TOPIC',
      'PARTITION',
      'CURRENT-OFFSET',
      'LOG-END-OFFSET',
      'LAG',
      'CONSUMER-ID',
      'HOST',
      'CLIENT-ID',
    ]);
    const rows = table.findAll('[data-testid="describe-row"]');
    expect(rows.map((r) => `${r.attributes('data-topic')}-${r.attributes('data-partition')}`)).toEqual(['orders-0', 'orders-1', 'orders-2']);
    expect(rows[0]?.get('[data-testid="col-current-offset"]').text()).toBe('-');
    expect(rows[0]?.get('[data-testid="col-lag"]').text()).toBe('-');
    expect(rows[2]?.get('[data-testid="col-log-end-offset"]').text()).toBe('10');
    expect(rows[2]?.get('[data-testid="col-lag"]').text()).toBe('6');
    expect(rows[2]?.get('[data-testid="lag-bar"]').attributes('aria-label')).toBe('LAG 6, not fetched yet 2');
    expect(wrapper.get('[data-testid="describe-text"]').text()).toContain('CURRENT-OFFSET');

    const rebalances = wrapper.findAll('[data-testid="rebalance"]');
    expect(rebalances.map((r) => r.attributes('data-generation'))).toEqual(['2', '1']);
    expect(rebalances[0]?.get('[data-testid="rebalance-summary"]').text()).toBe('Generation 2: members 1 → 2, partitions moved: 1');
    expect(rebalances[0]?.get('[data-testid="rebalance-cause"]').text()).toBe('Member joined');
    expect(rebalances[0]?.get('[data-testid="rebalance-reason"]').text()).toContain('Adding new member inventory-2-');
    expect(rebalances[0]?.get('[data-testid="rebalance-took"]').text()).toBe('took 3,012 ms');
    expect(rebalances[0]?.get('[data-testid="rebalance-members-before"]').text()).toBe('inventory-1');
    expect(rebalances[0]?.get('[data-testid="rebalance-members-after"]').text()).toBe('inventory-1, inventory-2');
    const changes = rebalances[0]!.findAll('[data-testid="rebalance-change"]');
    expect(changes.map((c) => c.text().replace(/\s+/g, ''))).toEqual(['inventory-1−orders-2', 'inventory-2+orders-2']);
    const bars = rebalances[0]!.findAll('[data-testid="stw-bar"]');
    expect(bars.map((b) => [b.attributes('data-partition'), b.attributes('data-paused-ms')])).toEqual([
      ['0', '310'],
      ['1', '310'],
      ['2', '3012'],
    ]);
    expect(bars[2]?.text()).toContain('3,012 ms');
  });

  it('shows a running rebalance as running', async () => {
    const wrapper = await mountView();
    const group = inventoryGroup({
      state: 'PreparingRebalance',
      rebalances: [
        ...inventoryGroup().rebalances,
        { ...inventoryGroup().rebalances[1]!, generation: null, startedAtMs: T0 + 100_000, completedAtMs: null, cause: 'session-timeout', stopTheWorld: [{ topic: 'orders', partition: 0, pausedMs: null }] },
      ],
    });
    engine.emit('groups', { nowMs: T0 + 101_500, groups: [group] });
    await flushPromises();
    const first = wrapper.get('[data-testid="rebalance"]');
    expect(first.attributes('data-running')).toBe('true');
    expect(first.get('[data-testid="rebalance-running"]').text()).toBe('Rebalancing · running for 1,500 ms');
    expect(first.get('[data-testid="rebalance-cause"]').text()).toBe('Session timeout');
    expect(first.get('[data-testid="stw-bar"]').text()).toContain('still paused');
    expect(wrapper.get('[data-testid="group-overview"]').text()).toContain('Rebalancing now');
  });

  it('closes and crashes in-app consumers, and shows a refusal in Kafka’s words', async () => {
    const wrapper = await mountView();
    await wrapper.get('[data-testid="group-item"][data-group="inventory"]').trigger('click');
    engine.on('stopConsumer', (request) => {
      const { clientId, mode } = request as { clientId: string; mode: string };
      if (clientId === 'inventory-2') throw refusal('INVALID_REQUEST', 'Consumer inventory-2 is already closed.', 42);
      return consumer(clientId, { state: mode === 'close' ? 'CLOSED' : 'CRASHED' });
    });
    const first = () => wrapper.get('[data-testid="member-row"][data-client-id="inventory-1"]');
    expect(first().get('[data-testid="consumer-close"]').attributes('title')).toContain('LeaveGroup');
    await first().get('[data-testid="consumer-crash"]').trigger('click');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'stopConsumer').map((c) => c.request)).toEqual([{ clientId: 'inventory-1', mode: 'crash' }]);
    expect(first().attributes('data-consumer-state')).toBe('CRASHED');
    expect(first().find('[data-testid="consumer-crash"]').exists()).toBe(false);

    await wrapper.get('[data-testid="member-row"][data-client-id="inventory-2"] [data-testid="consumer-close"]').trigger('click');
    await flushPromises();
    const error = wrapper.get('[data-testid="stop-consumer-error"]');
    expect(error.text()).toContain('Stopping inventory-2 failed');
    expect(error.get('[data-testid="engine-error-name"]').text()).toBe('INVALID_REQUEST');
  });

  it('opens a consumer’s log and closes it again', async () => {
    const wrapper = await mountView();
    await wrapper.get('[data-testid="group-item"][data-group="inventory"]').trigger('click');
    engine.on('consumerLog', () => ({
      clientId: 'inventory-1',
      lines: [
        '[2025-05-06 07:08:09,010] INFO [Consumer clientId=inventory-1, groupId=inventory] Subscribed to topic(s): orders (org.apache.kafka.clients.consumer.KafkaConsumer)',
        '[2025-05-06 07:08:12,010] WARN [Consumer clientId=inventory-1, groupId=inventory] Offset commit failed (org.apache.kafka.clients.consumer.internals.ConsumerCoordinator)',
      ],
    }));
    await wrapper.get('[data-testid="member-row"][data-client-id="inventory-1"] [data-testid="consumer-log"]').trigger('click');
    await flushPromises();
    const panel = wrapper.get('[data-testid="consumer-log-panel"]');
    expect(panel.text()).toContain('Log of inventory-1');
    const lines = panel.findAll('[data-testid="consumer-log-line"]');
    expect(lines).toHaveLength(2);
    expect(lines[1]?.classes()).toContain('level-warn');
    expect(panel.get('[data-testid="consumer-log-count"]').text()).toBe('lines: 2 of 2');
    await panel.get('[data-testid="consumer-log-close"]').trigger('click');
    expect(wrapper.find('[data-testid="consumer-log-panel"]').exists()).toBe(false);
  });

  it('checks the Add consumer form before sending, then starts the consumer', async () => {
    const wrapper = await mountView();
    await wrapper.get('[data-testid="group-item"][data-group="inventory"]').trigger('click');
    await wrapper.get('[data-testid="open-add-consumer"]').trigger('click');
    const form = wrapper.get('[data-testid="add-consumer-form"]');
    // Prefilled from the selected group: its id and its topics.
    expect(form.get('input[name="groupId"]').element).toHaveProperty('value', 'inventory');
    expect(form.get('input[name="topics"][value="orders"]').element).toHaveProperty('checked', true);
    expect(form.get('[data-testid="assignor-hint"]').text()).toContain('[RangeAssignor, CooperativeStickyAssignor]');

    await form.get('input[name="groupId"]').setValue('');
    await form.get('input[name="topics"][value="orders"]').setValue(false);
    await form.get('input[name="heartbeatIntervalMs"]').setValue('50000');
    await form.trigger('submit');
    await flushPromises();
    expect(form.get('[data-testid="group-id-error"]').text()).toBe('Enter a group.id.');
    expect(form.get('[data-testid="topics-error"]').text()).toBe('Choose at least one topic to subscribe to.');
    expect(form.get('[data-testid="heartbeat-error"]').text()).toContain('must be lower than session.timeout.ms (45000)');
    expect(engine.calls.some((c) => c.name === 'startConsumer')).toBe(false);

    engine.on('startConsumer', () => consumer('inventory-3', { state: 'UNJOINED', memberId: '' }));
    await form.get('input[name="groupId"]').setValue('inventory');
    await form.get('input[name="topics"][value="orders"]').setValue(true);
    await form.get('input[name="heartbeatIntervalMs"]').setValue('');
    await form.get('select[name="assignor"]').setValue('cooperative-sticky');
    await form.get('select[name="autoOffsetReset"]').setValue('earliest');
    await form.get('input[name="maxPollRecords"]').setValue('10');
    await form.get('input[name="processingMsPerRecord"]').setValue('50');
    await form.get('select[name="commitMode"]').setValue('sync-after-processing');
    await form.trigger('submit');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'startConsumer').map((c) => c.request)).toEqual([
      {
        groupId: 'inventory',
        topics: ['orders'],
        assignor: 'cooperative-sticky',
        autoOffsetReset: 'earliest',
        enableAutoCommit: false,
        commitMode: 'sync-after-processing',
        processingMsPerRecord: 50,
        maxPollRecords: 10,
      },
    ]);
    expect(wrapper.find('[data-testid="add-consumer-form"]').exists()).toBe(false);
  });

  it("shows the engine's refusal to start a consumer in the dialog", async () => {
    const wrapper = await mountView();
    engine.on('startConsumer', () => {
      throw refusal('INVALID_SESSION_TIMEOUT', 'The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms).', 26);
    });
    await wrapper.get('[data-testid="open-add-consumer"]').trigger('click');
    const form = wrapper.get('[data-testid="add-consumer-form"]');
    await form.get('input[name="groupId"]').setValue('inventory');
    await form.get('input[name="topics"][value="orders"]').setValue(true);
    await form.get('input[name="sessionTimeoutMs"]').setValue('5000');
    await form.trigger('submit');
    await flushPromises();
    const error = form.get('[data-testid="add-consumer-engine-error"]');
    expect(error.get('[data-testid="engine-error-name"]').text()).toBe('INVALID_SESSION_TIMEOUT');
  });

  it('asks before deleting a group, and shows NON_EMPTY_GROUP for a group with members', async () => {
    const wrapper = await mountView();
    await wrapper.get('[data-testid="group-item"][data-group="inventory"]').trigger('click');
    engine.on('deleteGroup', () => {
      throw refusal('NON_EMPTY_GROUP', 'The group is not empty.', 68);
    });
    await wrapper.get('[data-testid="delete-group"]').trigger('click');
    expect(wrapper.get('[data-testid="delete-group-body"]').text()).toContain('NON_EMPTY_GROUP');
    await wrapper.get('[data-testid="confirm-delete-group"]').trigger('click');
    await flushPromises();
    const error = wrapper.get('[data-testid="delete-group-error"]');
    expect(error.get('[data-testid="engine-error-name"]').text()).toBe('NON_EMPTY_GROUP');
    expect(error.get('[data-testid="engine-error-message"]').text()).toBe('The group is not empty.');
  });

  it('deletes an empty group', async () => {
    const wrapper = await mountView();
    engine.on('deleteGroup', (request) => request);
    await wrapper.get('[data-testid="group-item"][data-group="audit"]').trigger('click');
    expect(wrapper.get('[data-testid="no-active-members"]').text()).toBe('Consumer group audit has no active members.');
    await wrapper.get('[data-testid="delete-group"]').trigger('click');
    await wrapper.get('[data-testid="confirm-delete-group"]').trigger('click');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'deleteGroup').map((c) => c.request)).toEqual([{ groupId: 'audit' }]);
    expect(wrapper.findAll('[data-testid="group-item"]').map((i) => i.attributes('data-group'))).toEqual(['inventory']);
  });

  it('speaks Korean, keeping Kafka’s own names (states, columns) as Kafka prints them', async () => {
    const wrapper = await mountView('ko');
    await wrapper.get('[data-testid="group-item"][data-group="inventory"]').trigger('click');
    expect(wrapper.get('h1').text()).toBe('컨슈머 그룹');
    expect(wrapper.get('[data-testid="open-add-consumer"]').text()).toBe('컨슈머 추가');
    expect(wrapper.get('[data-testid="group-overview"] [data-testid="group-state"]').text()).toContain('Stable');
    expect(wrapper.get('[data-testid="describe-table"] thead th').text()).toBe('GROUP');
    expect(wrapper.get('[data-testid="rebalance-summary"]').text()).toBe('제너레이션 2: 멤버 1명 → 2명, 파티션 1개 이동');
    expect(wrapper.get('[data-testid="rebalance-cause"]').text()).toBe('멤버 참여');
  });

  it('invites to add a consumer when there is no group yet', async () => {
    view = mount(GroupsView, { global: { plugins: [createAppI18n('en')], stubs: { RouterLink: { template: '<a><slot /></a>' } } } });
    engine.emit('groups', snapshot([]));
    await flushPromises();
    expect(view.get('[data-testid="no-groups"]').text()).toContain('No consumer groups yet');
  });
});
