/**
 * The cluster store keeps the engine's latest status and the connection state; its getters derive
 * what the views show. The selection store picks the topic the views detail.
 */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import { useClusterStore } from '../../../renderer/src/stores/cluster-store';
import { useSelectionStore } from '../../../renderer/src/stores/selection-store';
import { broker, fakeEngine, partition, refusal, status, topic, type FakeEngine } from './fake-engine-api';

let engine: FakeEngine;

beforeEach(() => {
  setActivePinia(createPinia());
  engine = fakeEngine();
  provideEngineApi(engine.api);
});

const threeBrokers = () => [broker(3), broker(1, { isController: true }), broker(2)];

describe('useClusterStore', () => {
  it('follows the status stream once started, and stops following when stopped', () => {
    const cluster = useClusterStore();
    expect(cluster.status).toBeNull();
    cluster.start('websocket');
    expect(engine.subscriberCount()).toBe(1);
    engine.emitStatus(status(threeBrokers(), []));
    expect(cluster.clusterId).toBe('test-cluster-id');
    expect(cluster.transport).toBe('websocket');
    cluster.stop();
    expect(engine.subscriberCount()).toBe(0);
  });

  it('derives sorted brokers, running count and the controller', () => {
    const cluster = useClusterStore();
    cluster.setStatus(status([broker(3), broker(1), broker(2, { state: 'stopped' })], [], 1));
    expect(cluster.brokerIds).toEqual([1, 2, 3]);
    expect(cluster.runningBrokerCount).toBe(2);
    expect(cluster.controllerId).toBe(1);
  });

  it('counts user partitions and under-replicated ones, leaving internal topics out', () => {
    const cluster = useClusterStore();
    cluster.setStatus(
      status(threeBrokers(), [
        topic('payments', [partition(0, [1, 2, 3]), partition(1, [2, 3, 1], [2, 3])]),
        topic('orders', [partition(0, [1, 2, 3], [1])]),
        topic('__consumer_offsets', [partition(0, [1, 2, 3], [1])], { internal: true }),
      ]),
    );
    expect(cluster.topics.map((t) => t.name)).toEqual(['__consumer_offsets', 'orders', 'payments']);
    expect(cluster.userTopics.map((t) => t.name)).toEqual(['orders', 'payments']);
    expect(cluster.userPartitionCount).toBe(3);
    expect(cluster.underReplicatedPartitionCount).toBe(2);
    expect(cluster.topicByName('orders')?.partitions).toHaveLength(1);
    expect(cluster.topicByName('missing')).toBeNull();
  });

  it('calls a lost connection after a good one "reconnecting", not "connecting"', () => {
    const cluster = useClusterStore();
    expect(cluster.phase).toBe('connecting');
    cluster.setConnection('open');
    expect(cluster.phase).toBe('connected');
    cluster.setConnection('closed');
    expect(cluster.phase).toBe('reconnecting');
    cluster.setConnection('connecting');
    expect(cluster.phase).toBe('reconnecting');
    cluster.setConnection('open');
    expect(cluster.phase).toBe('connected');
  });

  it('shows a created topic at once, before the next status event', async () => {
    const cluster = useClusterStore();
    cluster.setStatus(status(threeBrokers(), []));
    const created = topic('orders', [partition(0, [1, 2, 3])]);
    engine.on('createTopic', () => created);
    await cluster.createTopic({ name: 'orders', partitions: 1, replicationFactor: 3, configs: {} });
    expect(engine.calls).toEqual([{ kind: 'command', name: 'createTopic', request: { name: 'orders', partitions: 1, replicationFactor: 3, configs: {} } }]);
    expect(cluster.userTopics.map((t) => t.name)).toEqual(['orders']);
  });

  it("passes the engine's refusal on untouched and changes nothing", async () => {
    const cluster = useClusterStore();
    cluster.setStatus(status(threeBrokers(), [topic('orders', [partition(0, [1])])]));
    engine.on('createTopic', () => {
      throw refusal('TOPIC_ALREADY_EXISTS', "Topic 'orders' already exists.", 36);
    });
    await expect(cluster.createTopic({ name: 'orders', partitions: 1, replicationFactor: 1 })).rejects.toMatchObject({
      errorName: 'TOPIC_ALREADY_EXISTS',
      message: "Topic 'orders' already exists.",
    });
    expect(cluster.userTopics).toHaveLength(1);
  });

  it('drops a deleted topic at once', async () => {
    const cluster = useClusterStore();
    cluster.setStatus(status(threeBrokers(), [topic('orders', [partition(0, [1])]), topic('payments', [partition(0, [1])])]));
    engine.on('deleteTopic', (request) => request);
    await cluster.deleteTopic('orders');
    expect(cluster.userTopics.map((t) => t.name)).toEqual(['payments']);
  });
});

describe('useSelectionStore', () => {
  it('shows the first listed topic until one is chosen, and falls back when the chosen one goes', () => {
    const cluster = useClusterStore();
    const selection = useSelectionStore();
    expect(selection.selectedTopic).toBeNull();
    cluster.setStatus(status(threeBrokers(), [topic('payments', [partition(0, [1])]), topic('orders', [partition(0, [1])])]));
    expect(selection.selectedTopic?.name).toBe('orders');
    selection.selectTopic('payments');
    expect(selection.selectedTopic?.name).toBe('payments');
    cluster.setStatus(status(threeBrokers(), [topic('orders', [partition(0, [1])])]));
    expect(selection.selectedTopic?.name).toBe('orders');
  });

  it('lists internal topics only when asked', () => {
    const cluster = useClusterStore();
    const selection = useSelectionStore();
    cluster.setStatus(status(threeBrokers(), [topic('__consumer_offsets', [partition(0, [1])], { internal: true })]));
    expect(selection.listedTopics).toEqual([]);
    selection.setIncludeInternal(true);
    expect(selection.listedTopics.map((t) => t.name)).toEqual(['__consumer_offsets']);
  });
});
