// @vitest-environment jsdom
/**
 * The Services view as components, against the fake engine, through the seed's experiment: two
 * inventory replicas on a one-partition topic (one owns it, the other says it is idle), stock set
 * on one replica, four orders placed, the business figures, a crash, scaling, a replica's console
 * read in increments, the settings, real ports with a port already taken; in English and Korean.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceLog } from '../../../engine/api/services-dto';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import { createAppI18n } from '../../../renderer/src/i18n';
import { useClusterStore } from '../../../renderer/src/stores/cluster-store';
import ServicesView from '../../../renderer/src/views/ServicesView.vue';
import { broker, fakeEngine, partition, refusal, status, topic, type FakeEngine } from './fake-engine-api';
import { figures, replica, servicesSnapshot, settings, TOPIC } from './services-fixtures';

let engine: FakeEngine;
let view: VueWrapper | null = null;

beforeEach(() => {
  setActivePinia(createPinia());
  engine = fakeEngine();
  provideEngineApi(engine.api);
  useClusterStore().setStatus(status([broker(1), broker(2), broker(3)], [topic(TOPIC, [partition(0, [1, 2, 3])])]));
});

afterEach(() => {
  view?.unmount();
  view = null;
});

async function mountView(locale: 'en' | 'ko' = 'en', snapshot = servicesSnapshot()): Promise<VueWrapper> {
  view = mount(ServicesView, { global: { plugins: [createAppI18n(locale)], stubs: { RouterLink: { template: '<a><slot /></a>' } } } });
  engine.emit('services', snapshot);
  await flushPromises();
  return view;
}

const card = (wrapper: VueWrapper, replicaId: string) => wrapper.get(`[data-testid="replica-card"][data-replica="${replicaId}"]`);

describe('ServicesView', () => {
  it('waits for the engine, then shows a card per replica: the owner of the partition and the idle one', async () => {
    view = mount(ServicesView, { global: { plugins: [createAppI18n('en')], stubs: { RouterLink: { template: '<a><slot /></a>' } } } });
    expect(view.text()).toContain('Waiting for the services from the engine');
    expect(engine.subscriberCount('services')).toBe(1);
    engine.emit('services', servicesSnapshot());
    await flushPromises();
    expect(view.findAll('[data-testid="replica-card"]').map((c) => c.attributes('data-replica'))).toEqual(['order-1', 'inventory-1', 'inventory-2']);

    const owner = card(view, 'inventory-1');
    expect(owner.get('[data-testid="replica-state"]').text()).toContain('Running');
    expect(owner.findAll('[data-testid="partition-chip"]').map((c) => c.text())).toEqual([`${TOPIC}-0`]);
    expect(owner.get('[data-testid="replica-assigned-line"]').text()).toBe(`partitions assigned: [${TOPIC}-0]`);
    expect(owner.get('[data-testid="stock-row"][data-product="1"] [data-testid="stock-value"]').text()).toBe('6');

    const idle = card(view, 'inventory-2');
    expect(idle.attributes('data-idle')).toBe('true');
    expect(idle.get('[data-testid="replica-idle"]').text()).toBe('idle: no partition');
    expect(idle.get('[data-testid="replica-assigned-line"]').text()).toBe('partitions assigned: []');
    expect(view.get('[data-testid="summary-idle"]').text()).toBe('inventory-2');
    // Real ports are off: no replica claims a port.
    expect(idle.get('[data-testid="replica-port"]').text()).toBe('no port (real ports off)');

    view.unmount();
    view = null;
    expect(engine.subscriberCount('services')).toBe(0);
  });

  it('shows the business figures on top, lost and duplicated orders standing out, with the lost orders listed', async () => {
    const wrapper = await mountView(
      'en',
      servicesSnapshot({
        figures: figures({
          ordersPlaced: 12,
          ordersAcknowledged: 12,
          ordersProcessed: 9,
          duplicates: 1,
          lost: 2,
          stockStatus: 'inconsistent',
          stockReason: 'Stock is 2 higher than the 12 acknowledged orders imply: 2 orders were lost.',
          lostOrders: [
            { orderId: 11, partition: 0, offset: 10, why: 'Truncated from labshoppubsub-0 when broker 2 became leader (acks=1).' },
            { orderId: 12, partition: 0, offset: 11, why: 'Truncated from labshoppubsub-0 when broker 2 became leader (acks=1).' },
          ],
        }),
      }),
    );
    const panel = wrapper.get('[data-testid="business-figures"]');
    expect(panel.get('[data-testid="figure-placed"]').text()).toBe('12');
    expect(panel.get('[data-testid="figure-processed"]').text()).toBe('9');
    expect(panel.get('[data-testid="figure-lost"]').text()).toBe('2');
    expect(panel.get('[data-testid="figure-lost"]').element.parentElement?.classList.contains('is-alarm')).toBe(true);
    expect(panel.get('[data-testid="figure-pending"]').element.parentElement?.classList.contains('is-alarm')).toBe(false);
    expect(panel.get('[data-testid="stock-status"]').text()).toBe('Stock: inconsistent');
    expect(panel.get('[data-testid="stock-reason"]').text()).toContain('2 orders were lost');
    expect(panel.findAll('[data-testid="lost-order"]').map((r) => r.attributes('data-order'))).toEqual(['11', '12']);
  });

  it("sets stock on the chosen replica, showing the seed's command with that replica's port", async () => {
    const wrapper = await mountView();
    engine.on('setStock', () => servicesSnapshot());
    const form = wrapper.get('[data-testid="set-stock-form"]');
    await form.get('[data-testid="stock-target"]').setValue('inventory-2');
    expect(form.get('[data-testid="stock-command"]').text()).toBe('http :8083/inventories id=1 stock=10');
    await form.trigger('submit');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'setStock').map((c) => c.request)).toEqual([{ replicaId: 'inventory-2', productId: 1, stock: 10 }]);
    expect(form.get('[data-testid="stock-set"]').text()).toBe('Stock of product 1 set to 10 on inventory-2.');
  });

  it('sets stock on the shared store without a replica when the store is shared', async () => {
    const shared = servicesSnapshot({ settings: settings({ inventory: { store: 'shared' } }) });
    const wrapper = await mountView('en', shared);
    engine.on('setStock', () => shared);
    const form = wrapper.get('[data-testid="set-stock-form"]');
    expect(form.find('[data-testid="stock-target"]').exists()).toBe(false);
    expect(form.get('[data-testid="stock-target-shared"]').text()).toBe('Shared store (every replica)');
    await form.trigger('submit');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'setStock').map((c) => c.request)).toEqual([{ productId: 1, stock: 10 }]);
    expect(card(wrapper, 'inventory-1').text()).toContain('Stock (shared store)');
  });

  it('places 4 orders as `http :8081/orders productId=1 qty=1` four times, and says which ids it got', async () => {
    const wrapper = await mountView();
    engine.on('placeOrders', () => ({ orderIds: [1, 2, 3, 4] }));
    const form = wrapper.get('[data-testid="place-orders-form"]');
    await form.get('[data-testid="order-count"]').setValue('4');
    expect(form.get('[data-testid="order-command"]').text()).toBe('http :8081/orders productId=1 qty=1');
    expect(form.text()).toContain('× 4');
    await form.trigger('submit');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'placeOrders').map((c) => c.request)).toEqual([{ productId: 1, qty: 1, count: 4, intervalMs: 0 }]);
    expect(form.get('[data-testid="orders-placed"]').text()).toBe('Orders placed (4): 1, 2, 3, 4');
  });

  it('checks the order form before sending, in the learner’s language', async () => {
    const wrapper = await mountView('ko');
    const form = wrapper.get('[data-testid="place-orders-form"]');
    await form.get('[data-testid="order-qty"]').setValue('0');
    await form.trigger('submit');
    await flushPromises();
    expect(engine.calls.some((c) => c.name === 'placeOrders')).toBe(false);
    expect(form.text()).toContain('qty은(는) 1부터 1000000까지의 정수여야 합니다.');
    expect(form.get('[data-testid="order-qty"]').attributes('aria-invalid')).toBe('true');
  });

  it('crashes a replica from its card, shows it crashed, and then offers only restart', async () => {
    const wrapper = await mountView();
    engine.on('replicaAction', () =>
      servicesSnapshot({ replicas: [replica('order-1'), replica('inventory-1', { state: 'crashed', stateReason: 'crashed by the learner at 07:08:09' }), replica('inventory-2')] }),
    );
    await card(wrapper, 'inventory-1').get('[data-testid="replica-crash"]').trigger('click');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'replicaAction').map((c) => c.request)).toEqual([{ replicaId: 'inventory-1', action: 'crash' }]);
    const crashed = card(wrapper, 'inventory-1');
    expect(crashed.attributes('data-state')).toBe('crashed');
    expect(crashed.get('[data-testid="replica-state"]').text()).toContain('Crashed');
    expect(crashed.get('[data-testid="replica-state-reason"]').text()).toBe('crashed by the learner at 07:08:09');
    expect(crashed.findAll('.actions button').map((b) => b.attributes('data-testid'))).toEqual(['replica-restart', 'replica-log']);
  });

  it('shows a refused replica action in Kafka’s words on the card', async () => {
    const wrapper = await mountView();
    engine.on('replicaAction', () => {
      throw refusal('INVALID_REQUEST', 'inventory-2 is not running.');
    });
    await card(wrapper, 'inventory-2').get('[data-testid="replica-pause"]').trigger('click');
    await flushPromises();
    const error = card(wrapper, 'inventory-2').get('[data-testid="replica-error"]');
    expect(error.text()).toContain('Pause on inventory-2 failed');
    expect(error.get('[data-testid="engine-error-name"]').text()).toBe('INVALID_REQUEST');
  });

  it('slows one inventory replica down', async () => {
    const wrapper = await mountView();
    engine.on('setReplicaProcessing', () => servicesSnapshot());
    const form = card(wrapper, 'inventory-1').get('[data-testid="replica-slow-form"]');
    await form.get('[data-testid="replica-processing-input"]').setValue('2000');
    await form.trigger('submit');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'setReplicaProcessing').map((c) => c.request)).toEqual([{ replicaId: 'inventory-1', processingMsPerRecord: 2000 }]);
    // The order service has no processing time to slow down.
    expect(card(wrapper, 'order-1').find('[data-testid="replica-slow-form"]').exists()).toBe(false);
  });

  it('scales inventory with + and −, and to a typed number', async () => {
    const wrapper = await mountView();
    engine.on('scaleService', () => servicesSnapshot());
    const scale = wrapper.get('[data-testid="scale-inventory"]');
    expect((scale.get('[data-testid="scale-input"]').element as unknown as { value: string }).value).toBe('2');
    await scale.get('[data-testid="scale-increase"]').trigger('click');
    await flushPromises();
    await scale.get('[data-testid="scale-decrease"]').trigger('click');
    await flushPromises();
    await scale.get('[data-testid="scale-input"]').setValue('5');
    await scale.trigger('submit');
    await flushPromises();
    await scale.get('[data-testid="scale-input"]').setValue('65');
    await scale.trigger('submit');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'scaleService').map((c) => c.request)).toEqual([
      { service: 'inventory', replicas: 3 },
      { service: 'inventory', replicas: 1 },
      { service: 'inventory', replicas: 5 },
    ]);
    expect(scale.get('[data-testid="scale-error"]').text()).toBe('replicas must be a whole number from 0 to 64.');
  });

  it("reads a replica's console in increments while it is open, as the snapshot's line count grows", async () => {
    const lines = ['2025-05-06T07:08:09.010Z  INFO 1 --- [inventory] KafkaMessageListenerContainer : inventory: partitions assigned: []'];
    engine.on('serviceLog', (request) => {
      const { replicaId, afterLine } = request as { replicaId: string; afterLine: number };
      return { replicaId, firstLine: afterLine, lines: lines.slice(afterLine), totalLines: lines.length } satisfies ServiceLog;
    });
    const snapshot = (logLines: number) => servicesSnapshot({ replicas: [replica('order-1'), replica('inventory-2', { logLines })] });
    const wrapper = await mountView('en', snapshot(1));
    await card(wrapper, 'inventory-2').get('[data-testid="replica-log"]').trigger('click');
    await flushPromises();
    const panel = wrapper.get('[data-testid="service-log-panel"]');
    expect(panel.findAll('[data-testid="service-log-line"]').map((l) => l.text())).toEqual([lines[0]]);
    lines.push('2025-05-06T07:08:19.010Z  WARN 1 --- [inventory] ConsumerCoordinator : Offset commit failed');
    engine.emit('services', snapshot(2));
    await flushPromises();
    expect(panel.findAll('[data-testid="service-log-line"]')).toHaveLength(2);
    expect(panel.findAll('[data-testid="service-log-line"]')[1]?.classes()).toContain('level-warn');
    expect(engine.calls.filter((c) => c.name === 'serviceLog').map((c) => (c.request as { afterLine: number }).afterLine)).toEqual([0, 1]);
    await panel.get('[data-testid="service-log-close"]').trigger('click');
    expect(wrapper.find('[data-testid="service-log-panel"]').exists()).toBe(false);
  });

  it('applies only the changed settings, and refuses enable.idempotence with acks=1 first', async () => {
    const wrapper = await mountView();
    engine.on('configureServices', () => servicesSnapshot({ settings: settings({ order: { acks: '1', enableIdempotence: false } }) }));
    const form = wrapper.get('[data-testid="service-settings-form"]');
    await form.get('[data-testid="setting-acks"]').setValue('1');
    await form.trigger('submit');
    await flushPromises();
    expect(form.get('[data-testid="setting-idempotence-error"]').text()).toContain('acks=all');
    expect(engine.calls.some((c) => c.name === 'configureServices')).toBe(false);
    await form.get('[data-testid="setting-idempotence"]').setValue(false);
    await form.trigger('submit');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'configureServices').map((c) => c.request)).toEqual([{ order: { acks: '1', enableIdempotence: false } }]);
    expect(form.get('[data-testid="settings-applied"]').text()).toBe('Settings applied.');
  });

  it('turns real ports on and shows the bound ports, or the error naming the port that is taken', async () => {
    const wrapper = await mountView();
    engine.on('setServicePorts', () =>
      servicesSnapshot({
        ports: { enabled: true, host: '127.0.0.1', orderPort: 8081, inventoryBasePort: 8082, error: 'Port 8083 is already in use: inventory-2 cannot listen on 127.0.0.1:8083.' },
        replicas: [replica('order-1', { port: 8081 }), replica('inventory-1', { port: 8082, assignment: [{ topic: TOPIC, partition: 0 }] }), replica('inventory-2')],
      }),
    );
    await wrapper.get('[data-testid="ports-toggle"]').setValue(true);
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'setServicePorts').map((c) => c.request)).toEqual([{ enabled: true, host: '127.0.0.1', orderPort: 8081, inventoryBasePort: 8082 }]);
    expect(wrapper.get('[data-testid="ports-error"]').text()).toContain('Port 8083 is already in use');
    expect(card(wrapper, 'inventory-1').get('[data-testid="replica-port"]').text()).toBe('127.0.0.1:8082');
    expect(card(wrapper, 'inventory-2').get('[data-testid="replica-port"]').text()).toBe('no port (real ports off)');
    expect(wrapper.get('[data-testid="ports-commands"]').text()).toContain('http :8081/orders productId=1 qty=1');
  });

  it('offers to create the services’ topic while it does not exist, with one partition as the seed', async () => {
    useClusterStore().setStatus(status([broker(1), broker(2), broker(3)], []));
    const wrapper = await mountView();
    engine.on('createTopic', () => topic(TOPIC, [partition(0, [1, 2, 3])]));
    const notice = wrapper.get('[data-testid="service-topic-missing"]');
    expect(notice.text()).toContain(`Topic ${TOPIC} does not exist yet`);
    expect(wrapper.get('[data-testid="place-orders"]').attributes('disabled')).toBeDefined();
    await notice.get('form').trigger('submit');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'createTopic').map((c) => c.request)).toEqual([{ name: TOPIC, partitions: 1, replicationFactor: 3, configs: {} }]);
    expect(wrapper.find('[data-testid="service-topic-missing"]').exists()).toBe(false);
  });

  it('speaks Korean, keeping Kafka’s and Spring’s own words', async () => {
    const wrapper = await mountView('ko');
    expect(wrapper.get('h1').text()).toBe('서비스');
    expect(card(wrapper, 'inventory-2').get('[data-testid="replica-idle"]').text()).toBe('유휴: 파티션 없음');
    expect(card(wrapper, 'inventory-2').get('[data-testid="replica-assigned-line"]').text()).toBe('partitions assigned: []');
    expect(card(wrapper, 'inventory-1').get('[data-testid="replica-state"]').text()).toContain('실행 중');
    expect(wrapper.get('[data-testid="business-figures"]').text()).toContain('접수된 주문');
  });
});
