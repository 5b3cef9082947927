/**
 * A small lab bench for consumer-group scenarios: a cluster (3 brokers by default) on virtual time, consumer
 * applications (engine/services/consumer-app.ts) joined to groups, a producer, and the rebalance
 * timeline fed by both the coordinators and the consumers, as the workbench wires them.
 */
import { KafkaConsumer, stringDeserializer, type ConsumerConfigInput, type ConsumerRecord } from '../../engine/clients/consumer/index.js';
import { KafkaProducer, stringSerializer, type ProducerConfigInput } from '../../engine/clients/producer/index.js';
import { Cluster } from '../../engine/cluster/cluster.js';
import { SeededPrng } from '../../engine/core/prng.js';
import { Scheduler, runUntilSettled } from '../../engine/core/scheduler.js';
import { RebalanceTimeline } from '../../engine/metrics/rebalance-timeline.js';
import { ConsumerApp, type CommitMode } from '../../engine/services/consumer-app.js';
import { MemoryDisk } from '../../engine/storage/disk/memory-disk.js';

export interface AppSpec {
  readonly clientId: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly config?: ConsumerConfigInput;
  readonly commitMode?: CommitMode;
  readonly processingMsPerRecord?: number;
  readonly onRecord?: (record: ConsumerRecord<string, string>) => void;
  /** Errors the application's loop survived (a failed poll or commit). */
  readonly onError?: (error: unknown) => void;
}

export interface GroupLabOptions {
  readonly brokerCount?: number;
  /**
   * One-way latency of every link (default 1 ms, a LAN): JoinGroup, SyncGroup and Fetch round trips
   * take time, as on a real network, so no rebalance completes in zero time.
   */
  readonly linkLatencyMs?: number;
}

export function groupLab(seed: number, options: GroupLabOptions = {}) {
  const scheduler = new Scheduler(1_700_000_000_000);
  const disk = new MemoryDisk();
  const cluster = new Cluster({
    brokerCount: options.brokerCount ?? 3,
    clock: scheduler,
    timers: scheduler,
    prng: new SeededPrng(seed),
    disk,
    dataDir: '/data',
    linkLatencyMs: options.linkLatencyMs ?? 1,
  });
  const timeline = new RebalanceTimeline();
  /** group -> "topic-partition" -> the last offset the coordinator stored for it (OffsetCommit). */
  const committed = new Map<string, Map<string, number>>();
  cluster.onEvent((event) => {
    if (event.type !== 'group' || !('groupId' in event.event)) return;
    const coordinatorEvent = event.event;
    timeline.onCoordinatorEvent(coordinatorEvent);
    if (coordinatorEvent.type === 'offsets-committed') {
      const offsets = committed.get(coordinatorEvent.groupId) ?? new Map<string, number>();
      for (const o of coordinatorEvent.offsets) offsets.set(`${o.topic}-${o.partition}`, o.offset);
      committed.set(coordinatorEvent.groupId, offsets);
    }
  });
  scheduler.runUntil(scheduler.nowMs() + 100);

  const apps = new Map<string, ConsumerApp<string, string>>();
  const startApp = (spec: AppSpec): ConsumerApp<string, string> => {
    const enableAutoCommit = (spec.commitMode ?? 'auto') === 'auto';
    const consumer = new KafkaConsumer<string, string>({
      config: { groupId: spec.groupId, clientId: spec.clientId, enableAutoCommit, ...spec.config },
      keyDeserializer: stringDeserializer,
      valueDeserializer: stringDeserializer,
      network: cluster.consumerNetwork(spec.clientId),
      clock: scheduler,
      timers: scheduler,
      brokerAddress: (id) => `localhost:${9091 + id}`,
    });
    const app = new ConsumerApp<string, string>({
      groupId: spec.groupId,
      topics: spec.topics,
      consumer,
      clock: scheduler,
      timers: scheduler,
      commitMode: spec.commitMode ?? 'auto',
      processingMsPerRecord: spec.processingMsPerRecord ?? 0,
      pollTimeoutMs: 1000,
      onRecord: spec.onRecord,
      onError: spec.onError,
      stopTheWorld: timeline,
    });
    apps.set(spec.clientId, app);
    return app;
  };

  const producer = (config: ProducerConfigInput = {}, clientId = 'order-service') =>
    new KafkaProducer<string, string>({
      config: { lingerMs: 0, ...config },
      keySerializer: stringSerializer,
      valueSerializer: stringSerializer,
      network: cluster.producerNetwork(clientId),
      clock: scheduler,
      timers: scheduler,
      prng: new SeededPrng(seed + 1),
    });

  const run = (ms: number) => scheduler.runUntil(scheduler.nowMs() + ms);
  const settle = <T>(work: Promise<T>, maxMs = 120_000) => runUntilSettled(scheduler, work, maxMs);
  const assignment = (clientId: string) =>
    apps
      .get(clientId)!
      .consumer.assignment()
      .map((tp) => `${tp.topic}-${tp.partition}`)
      .sort();
  /** The group's committed offsets, by "topic-partition" (absent: never committed). */
  const committedOffsets = (groupId: string): Record<string, number> => Object.fromEntries(committed.get(groupId) ?? []);
  /** The partitions as "topic-partition" strings, sorted, as Kafka's logs print them. */
  const names = (partitions: readonly { topic: string; partition: number }[]) => partitions.map((tp) => `${tp.topic}-${tp.partition}`).sort();
  /** The consumer's log lines that match `pattern`, without the timestamp and logger. */
  const logLines = (clientId: string, pattern: RegExp) =>
    apps
      .get(clientId)!
      .consumer.logLines()
      .map((line) => line.message)
      .filter((message) => pattern.test(message));
  return { scheduler, cluster, timeline, apps, startApp, producer, run, settle, assignment, names, logLines, committedOffsets };
}
