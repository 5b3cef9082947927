/**
 * A small lab bench for consumer-group scenarios: a 3-broker cluster on virtual time, consumer
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
}

export function groupLab(seed: number, brokerCount = 3) {
  const scheduler = new Scheduler(1_700_000_000_000);
  const disk = new MemoryDisk();
  const cluster = new Cluster({ brokerCount, clock: scheduler, timers: scheduler, prng: new SeededPrng(seed), disk, dataDir: '/data' });
  const timeline = new RebalanceTimeline();
  cluster.onEvent((event) => {
    if (event.type === 'group' && 'groupId' in event.event) timeline.onCoordinatorEvent(event.event);
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
  return { scheduler, cluster, timeline, apps, startApp, producer, run, settle, assignment };
}
