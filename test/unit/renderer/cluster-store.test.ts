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

  it('derives the running brokers, the offline partitions and the quorum summary', () => {
    const cluster = useClusterStore();
    expect(cluster.quorum).toBeNull();
    cluster.setStatus(
      status(
        [broker(1, { isController: true }), broker(2, { state: 'stopped', fenced: true }), broker(3)],
        [
          topic('clicks', [{ ...partition(0, [2], [2]), leader: null }, partition(1, [3])]),
          topic('__consumer_offsets', [{ ...partition(0, [2], [2]), leader: null }], { internal: true }),
        ],
        1,
      ),
    );
    expect(cluster.runningBrokerIds).toEqual([1, 3]);
    expect(cluster.offlinePartitionCount).toBe(1);
    expect(cluster.quorum).toMatchObject({ votersUp: 2, majority: 2, controllerId: 1, health: 'at-risk' });
  });

  it('kills, stops and starts brokers with the engine commands, and passes refusals on', async () => {
    const cluster = useClusterStore();
    cluster.setStatus(status(threeBrokers(), []));
    engine.on('killBroker', (request) => request);
    engine.on('stopBroker', (request) => request);
    engine.on('startBroker', () => {
      throw refusal('INVALID_REQUEST', 'Broker 3 is already running.', 42);
    });
    await cluster.brokerAction('killBroker', 2);
    await cluster.brokerAction('stopBroker', 1);
    await expect(cluster.brokerAction('startBroker', 3)).rejects.toMatchObject({ errorName: 'INVALID_REQUEST', message: 'Broker 3 is already running.' });
    expect(engine.calls).toEqual([
      { kind: 'command', name: 'killBroker', request: { brokerId: 2 } },
      { kind: 'command', name: 'stopBroker', request: { brokerId: 1 } },
      { kind: 'command', name: 'startBroker', request: { brokerId: 3 } },
    ]);
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
