/**
 * The topic admin store: describeConfigs lists every config with its source; an override set or
 * removed is folded into the cluster status at once and the configs are read again; added
 * partitions show in the topic list before the next status event; refusals keep Kafka's words.
 */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CommandRequest } from '../../../engine/api/contract';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import { useClusterStore } from '../../../renderer/src/stores/cluster-store';
import { useTopicAdminStore } from '../../../renderer/src/stores/topic-admin-store';
import { broker, fakeEngine, partition, refusal, status, topic, type FakeEngine } from './fake-engine-api';

let engine: FakeEngine;

beforeEach(() => {
  setActivePinia(createPinia());
  engine = fakeEngine();
  provideEngineApi(engine.api);
  const cluster = useClusterStore();
  cluster.setStatus(status([broker(1), broker(2), broker(3)], [topic('orders', [partition(0, [1, 2, 3]), partition(1, [2, 3, 1]), partition(2, [3, 1, 2])])]));
});

const entries = (retention: { value: string; source: 'DYNAMIC_TOPIC_CONFIG' | 'DEFAULT_CONFIG' }) => ({
  entries: [
    { name: 'cleanup.policy', value: 'delete', source: 'DEFAULT_CONFIG' },
    { name: 'retention.ms', ...retention },
  ],
});

describe('useTopicAdminStore', () => {
  it('reads every config with its value and source', async () => {
    engine.on('describeConfigs', () => entries({ value: '604800000', source: 'DEFAULT_CONFIG' }));
    const admin = useTopicAdminStore();
    await admin.loadConfigs('orders');
    expect(engine.calls[0]?.request).toEqual({ resource: { type: 'topic', name: 'orders' } });
    expect(admin.entries.map((e) => `${e.name}=${e.value} (${e.source})`)).toEqual(['cleanup.policy=delete (DEFAULT_CONFIG)', 'retention.ms=604800000 (DEFAULT_CONFIG)']);
  });

  it('drops the configs of a topic asked before another', async () => {
    const waiting: ((value: unknown) => void)[] = [];
    engine.on('describeConfigs', () => new Promise((resolve) => waiting.push(resolve)));
    const admin = useTopicAdminStore();
    const first = admin.loadConfigs('orders');
    const second = admin.loadConfigs('payments');
    waiting[1]?.({ entries: [{ name: 'retention.ms', value: '1000', source: 'DYNAMIC_TOPIC_CONFIG' }] });
    await second;
    waiting[0]?.(entries({ value: '604800000', source: 'DEFAULT_CONFIG' }));
    await first;
    expect(admin.topic).toBe('payments');
    expect(admin.entries).toEqual([{ name: 'retention.ms', value: '1000', source: 'DYNAMIC_TOPIC_CONFIG' }]);
  });

  it('sets an override, folds the topic into the status and reads the configs again', async () => {
    let retention = { value: '604800000', source: 'DEFAULT_CONFIG' as 'DEFAULT_CONFIG' | 'DYNAMIC_TOPIC_CONFIG' };
    engine.on('describeConfigs', () => entries(retention));
    engine.on('alterTopicConfigs', (request) => {
      const r = request as CommandRequest<'alterTopicConfigs'>;
      retention = { value: r.set?.['retention.ms'] ?? '', source: 'DYNAMIC_TOPIC_CONFIG' };
      return topic('orders', [partition(0, [1, 2, 3]), partition(1, [2, 3, 1]), partition(2, [3, 1, 2])], { configs: { 'retention.ms': retention.value } });
    });
    const admin = useTopicAdminStore();
    await admin.loadConfigs('orders');
    await admin.alterConfigs({ name: 'orders', set: { 'retention.ms': '3600000' }, remove: [] });
    expect(useClusterStore().topicByName('orders')?.configs).toEqual({ 'retention.ms': '3600000' });
    expect(admin.entries.find((e) => e.name === 'retention.ms')).toEqual({ name: 'retention.ms', value: '3600000', source: 'DYNAMIC_TOPIC_CONFIG' });
  });

  it('adds partitions and shows them in the status at once', async () => {
    engine.on('createPartitions', () => topic('orders', [0, 1, 2, 3, 4, 5].map((p) => partition(p, [1, 2, 3]))));
    const admin = useTopicAdminStore();
    await admin.createPartitions({ name: 'orders', totalCount: 6 });
    expect(useClusterStore().topicByName('orders')?.partitions).toHaveLength(6);
  });

  it("passes Kafka's refusal on unchanged", async () => {
    engine.on('createPartitions', () => {
      throw refusal('INVALID_PARTITIONS', 'Topic currently has 3 partitions, which is higher than the requested 2.', 37);
    });
    const admin = useTopicAdminStore();
    await expect(admin.createPartitions({ name: 'orders', totalCount: 2 })).rejects.toMatchObject({ errorName: 'INVALID_PARTITIONS' });
    expect(useClusterStore().topicByName('orders')?.partitions).toHaveLength(3);
  });
});
