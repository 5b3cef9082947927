/** The consumer's configuration: Kafka's names, defaults, cross-checks and error messages. */
import { describe, expect, it } from 'vitest';
import { resolveConsumerConfig } from '../../../../engine/clients/consumer/consumer-config.js';
import { KafkaConsumer } from '../../../../engine/clients/consumer/kafka-consumer.js';
import { chooseProtocol } from '../../../../engine/clients/consumer/consumer-coordinator.js';
import { assignorByName } from '../../../../engine/groups/assignors/index.js';
import { Scheduler } from '../../../../engine/core/scheduler.js';
import { FakeCluster } from './fake-cluster.js';

describe('consumer configuration', () => {
  it("has Kafka 3.x's defaults", () => {
    expect(resolveConsumerConfig({ groupId: 'inventory' })).toEqual({
      groupId: 'inventory',
      groupInstanceId: null,
      clientId: 'consumer-inventory-1',
      partitionAssignmentStrategy: ['range', 'cooperative-sticky'],
      sessionTimeoutMs: 45_000,
      heartbeatIntervalMs: 3_000,
      maxPollIntervalMs: 300_000,
      maxPollRecords: 500,
      fetchMinBytes: 1,
      fetchMaxBytes: 52_428_800,
      fetchMaxWaitMs: 500,
      maxPartitionFetchBytes: 1_048_576,
      checkCrcs: true,
      autoOffsetReset: 'latest',
      enableAutoCommit: true,
      autoCommitIntervalMs: 5_000,
      requestTimeoutMs: 30_000,
      retryBackoffMs: 100,
      defaultApiTimeoutMs: 60_000,
      metadataMaxAgeMs: 300_000,
      isolationLevel: 'read_uncommitted',
      keyDeserializer: null,
      valueDeserializer: null,
      metricsSampleWindowMs: 30_000,
      metricsNumSamples: 2,
    });
  });

  it('refuses bad values with Kafka\'s message shape', () => {
    expect(() => resolveConsumerConfig({ maxPollRecords: 0 })).toThrow('Invalid value 0 for configuration max.poll.records: Value must be at least 1');
    expect(() => resolveConsumerConfig({ autoOffsetReset: 'smallest' })).toThrow('Invalid value smallest for configuration auto.offset.reset: String must be one of: latest, earliest, none');
    expect(() => resolveConsumerConfig({ isolationLevel: 'serializable' })).toThrow('Invalid value serializable for configuration isolation.level: String must be one of: read_uncommitted, read_committed');
    expect(() => resolveConsumerConfig({ partitionAssignmentStrategy: ['sticky', 'magic'] })).toThrow(/^Invalid value \[sticky, magic\] for configuration partition.assignment.strategy: /);
    expect(() => resolveConsumerConfig({ fetchMaxWaitMs: -1 })).toThrow('Invalid value -1 for configuration fetch.max.wait.ms: Value must be at least 0');
    expect(() => resolveConsumerConfig({ 'max.poll.records': 5 })).toThrow('Unknown consumer configuration "max.poll.records"');
    expect(() => resolveConsumerConfig({ sessionTimeoutMs: 'soon' })).toThrow(expect.objectContaining({ exceptionName: 'ConfigException', message: expect.stringMatching(/^Invalid value soon for configuration session.timeout.ms: /) }));
  });

  it('resolves as Java does: no group means no auto commit; heartbeat must be below the session timeout', () => {
    expect(resolveConsumerConfig({}).enableAutoCommit).toBe(false);
    expect(resolveConsumerConfig({}).clientId).toBe('consumer-1');
    expect(() => resolveConsumerConfig({ enableAutoCommit: true })).toThrow(
      expect.objectContaining({ exceptionName: 'InvalidConfigurationException', message: 'enable.auto.commit cannot be set to true when default group id (null) is used.' }),
    );
    expect(() => resolveConsumerConfig({ groupId: 'g', sessionTimeoutMs: 3000, heartbeatIntervalMs: 3000 })).toThrow('Heartbeat must be set lower than the session timeout');
  });

  it("accepts Kafka's class names for assignors and deserializers, and read_committed (the same as read_uncommitted here)", () => {
    const config = resolveConsumerConfig({
      groupId: 'g',
      partitionAssignmentStrategy: ['org.apache.kafka.clients.consumer.CooperativeStickyAssignor'],
      keyDeserializer: 'org.apache.kafka.common.serialization.StringDeserializer',
      valueDeserializer: 'json',
      isolationLevel: 'read_committed',
    });
    expect(config).toMatchObject({ partitionAssignmentStrategy: ['cooperative-sticky'], keyDeserializer: 'string', valueDeserializer: 'json', isolationLevel: 'read_committed' });
  });

  it('needs key and value deserializers (config or objects), as Java requires them', () => {
    const scheduler = new Scheduler(0);
    const network = new FakeCluster(scheduler, { orders: 1 });
    expect(() => new KafkaConsumer({ config: {}, network, clock: scheduler, timers: scheduler })).toThrow('Missing required configuration "key.deserializer" which has no default value.');
    const c = new KafkaConsumer({ config: { keyDeserializer: 'string', valueDeserializer: 'bytes' }, network, clock: scheduler, timers: scheduler });
    expect(c.config.valueDeserializer).toBe('bytes');
  });

  it('uses the highest rebalance protocol every configured assignor supports (the default list is EAGER)', () => {
    const named = (...names: string[]) => names.map((n) => assignorByName(n)!);
    expect(chooseProtocol(named('range', 'cooperative-sticky'))).toBe('EAGER');
    expect(chooseProtocol(named('cooperative-sticky'))).toBe('COOPERATIVE');
    expect(chooseProtocol(named('roundrobin', 'sticky'))).toBe('EAGER');
  });
});
