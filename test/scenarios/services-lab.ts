/**
 * A lab bench for the services scenarios: a cluster on virtual time with the order and inventory
 * services wired as the workbench wires them (the rebalance timeline fed by the coordinators and
 * by the replicas' stop-the-world reports; a recording timeline sink), and the questions a learner
 * asks of them (who owns which partition, what stock, which orders sit in which partition).
 */
import type { TimelineEntry } from '../../engine/api/metrics-dto.js';
import { Cluster, type ClusterEvent } from '../../engine/cluster/cluster.js';
import { SeededPrng } from '../../engine/core/prng.js';
import { Scheduler } from '../../engine/core/scheduler.js';
import { RebalanceTimeline } from '../../engine/metrics/rebalance-timeline.js';
import type { TimelineInput, TimelineSink } from '../../engine/metrics/timeline-sink.js';
import { decodeOrderEvent } from '../../engine/services/order-events.js';
import { Services, type ServiceSettingsInput } from '../../engine/services/services.js';
import { MemoryDisk } from '../../engine/storage/disk/memory-disk.js';

export const TOPIC = 'labshoppubsub';
export const GROUP = 'inventory';

/** Remembers what the services put on the timeline. */
class RecordingTimeline implements TimelineSink {
  readonly entries: TimelineEntry[] = [];
  add(entry: TimelineInput): number {
    const id = this.entries.length + 1;
    this.entries.push({ ...entry, id, endMs: entry.endMs ?? null });
    return id;
  }
  end(id: number, endMs: number): void {
    const entry = this.entries[id - 1];
    if (entry !== undefined && entry.endMs === null) this.entries[id - 1] = { ...entry, endMs };
  }
}

/** A cluster on virtual time with the services wired as the workbench wires them. */
export function servicesLab(seed: number, options: { brokers?: number; partitions: number; topicConfigs?: Record<string, string>; settings?: ServiceSettingsInput }) {
  const scheduler = new Scheduler(1_700_000_000_000);
  const cluster = new Cluster({ brokerCount: options.brokers ?? 1, clock: scheduler, timers: scheduler, prng: new SeededPrng(seed), disk: new MemoryDisk(), dataDir: '/data', linkLatencyMs: 1 });
  const rebalances = new RebalanceTimeline();
  const events: ClusterEvent[] = [];
  cluster.onEvent((event) => {
    if (event.type === 'group' && 'groupId' in event.event) rebalances.onCoordinatorEvent(event.event);
    else events.push(event);
  });
  scheduler.runUntil(scheduler.nowMs() + 100);
  cluster.createTopic({ name: TOPIC, partitions: options.partitions, replicationFactor: options.brokers ?? 1, configs: options.topicConfigs ?? {} });
  scheduler.runUntil(scheduler.nowMs() + 100);
  const timeline = new RecordingTimeline();
  const services = new Services({ cluster, clock: scheduler, timers: scheduler, prng: new SeededPrng(seed + 1), timeline, stopTheWorld: rebalances, onChange: () => {}, settings: options.settings });
  const run = (ms: number) => scheduler.runUntil(scheduler.nowMs() + ms);
  const replica = (id: string) => services.snapshot().replicas.find((r) => r.replicaId === id)!;
  const assignment = (id: string) => replica(id).assignment.map((tp) => `${tp.topic}-${tp.partition}`);
  const stock = (id: string, productId = 1) => replica(id).stock.find((s) => s.productId === productId)?.stock;
  const logLines = (id: string, pattern: RegExp) => services.log(id, 0).lines.filter((line) => pattern.test(line));
  /** The orderIds in each partition, as kafka-console-consumer --from-beginning shows them. */
  const ordersIn = (partition: number) =>
    cluster
      .read(TOPIC, partition, 0, 1000)
      .records.map((r) => decodeOrderEvent(r.value))
      .flatMap((d) => (d.kind === 'order-placed' ? [d.event.orderId] : []));
  return { scheduler, cluster, events, rebalances, timeline, services, run, replica, assignment, stock, logLines, ordersIn };
}

