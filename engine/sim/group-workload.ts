/**
 * The simulation's consumer side: a consumer group of in-app consumer applications
 * (engine/services/consumer-app.ts) reading every sim topic, with the commit mode, the processing
 * time and the auto-commit interval drawn from the seed, and consumer faults drawn from the seed:
 * a consumer crashes (no LeaveGroup: the group waits for session.timeout.ms) or closes, and a new
 * one with the same client id starts a while later.
 *
 * Everything consumers do is on engine callbacks (no promises), so it replays with the run.
 *
 * Invariants: at most `simLimits.consumersMax` consumers run at once; consumer faults happen only
 * in the fault phase; `consumed` keeps at most `simLimits.ackedRecordsMax` records.
 */
import { KafkaConsumer, stringDeserializer, type ConsumerRecord } from '../clients/consumer/index.js';
import type { Cluster } from '../cluster/cluster.js';
import type { Prng } from '../core/prng.js';
import type { Scheduler } from '../core/scheduler.js';
import type { RebalanceTimeline } from '../metrics/rebalance-timeline.js';
import { ConsumerApp, type CommitMode } from '../services/consumer-app.js';
import type { EventTrace } from './event-trace.js';
import type { SimTopic } from './sim-config.js';
import { simLimits } from './sim-limits.js';

export const SIM_GROUP_ID = 'sim-consumers';

export interface ConsumedRecord {
  readonly clientId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly value: string | null;
}

export interface GroupWorkloadOptions {
  readonly cluster: Cluster;
  readonly scheduler: Scheduler;
  readonly prng: Prng;
  readonly topics: readonly SimTopic[];
  readonly trace: EventTrace;
  readonly timeline: RebalanceTimeline;
}

export interface GroupProfile {
  readonly consumers: number;
  readonly commitMode: CommitMode;
  readonly processingMsPerRecord: number;
  readonly autoCommitIntervalMs: number;
}

export class GroupWorkload {
  readonly profile: GroupProfile;
  readonly consumed: ConsumedRecord[] = [];
  readonly faults = { crash: 0, close: 0 };
  private readonly apps = new Map<string, ConsumerApp<string, string>>();
  private endMs = 0;

  constructor(private readonly options: GroupWorkloadOptions) {
    const { prng } = options;
    // Some seeds run a consumer group (simLimits.seedsWithConsumersShare): consumers cost more CPU
    // than the rest of a run, and the suite's thousand seeds must stay within their time budget.
    const withGroup = prng.nextFloat() < simLimits.seedsWithConsumersShare;
    this.profile = {
      consumers: withGroup ? 1 + prng.nextInt(simLimits.consumersMax) : 0,
      commitMode: prng.nextFloat() < 0.8 ? 'auto' : 'sync-after-processing',
      processingMsPerRecord: prng.nextInt(4),
      autoCommitIntervalMs: 1000 * (1 + prng.nextInt(5)),
    };
  }

  start(endMs: number): void {
    this.endMs = endMs;
    if (this.profile.consumers === 0) return;
    for (let n = 1; n <= this.profile.consumers; n++) this.startApp(`sim-consumer-${n}`);
    this.scheduleFault();
  }

  /** The running consumers' generations and assignments, for the ownership check. */
  members(): { clientId: string; generation: number; stable: boolean; partitions: string[] }[] {
    return [...this.apps.entries()]
      .filter(([, app]) => app.state === 'running')
      .map(([clientId, app]) => {
        const { consumer } = app;
        return { clientId, generation: consumer.groupMetadata().generationId, stable: consumer.memberState() === 'STABLE', partitions: consumer.assignment().map((tp) => `${tp.topic}-${tp.partition}`) };
      });
  }

  /** Stops every consumer at the end of the run (closes, so the group empties cleanly). */
  stopAll(): void {
    for (const app of this.apps.values()) if (app.state === 'running') app.crash();
  }

  private startApp(clientId: string): void {
    const { cluster, scheduler, timeline, trace } = this.options;
    const consumer = new KafkaConsumer<string, string>({
      config: {
        groupId: SIM_GROUP_ID,
        clientId,
        autoOffsetReset: 'earliest',
        enableAutoCommit: this.profile.commitMode === 'auto',
        autoCommitIntervalMs: this.profile.autoCommitIntervalMs,
        // Kafka's minimum session timeout, so a crashed member is noticed within the phase.
        sessionTimeoutMs: 6000,
        heartbeatIntervalMs: 2000,
      },
      keyDeserializer: stringDeserializer,
      valueDeserializer: stringDeserializer,
      network: cluster.consumerNetwork(clientId),
      clock: scheduler,
      timers: scheduler,
    });
    const app = new ConsumerApp<string, string>({
      groupId: SIM_GROUP_ID,
      topics: this.options.topics.map((t) => t.name),
      consumer,
      clock: scheduler,
      timers: scheduler,
      commitMode: this.profile.commitMode,
      processingMsPerRecord: this.profile.processingMsPerRecord,
      pollTimeoutMs: 500,
      onRecord: (record) => this.onRecord(clientId, record),
      stopTheWorld: timeline,
    });
    this.apps.set(clientId, app);
    trace.append(scheduler.nowMs(), 'consumer', `${clientId} started`);
  }

  private onRecord(clientId: string, record: ConsumerRecord<string, string>): void {
    if (this.consumed.length >= simLimits.ackedRecordsMax) return;
    this.consumed.push({ clientId, topic: record.topic, partition: record.partition, offset: record.offset, value: record.value });
  }

  /** Every 10–30 s of the phase: crash or close one consumer; a new one takes its client id 2–15 s later. */
  private scheduleFault(): void {
    const { prng, scheduler, trace } = this.options;
    const gapMs = 10_000 + prng.nextInt(20_000);
    if (scheduler.nowMs() + gapMs >= this.endMs) return;
    scheduler.after(gapMs, () => {
      const running = [...this.apps.entries()].filter(([, app]) => app.state === 'running');
      const victim = running[prng.nextInt(Math.max(1, running.length))];
      if (victim !== undefined) {
        const [clientId, app] = victim;
        const crash = prng.nextFloat() < 0.5;
        if (crash) {
          app.crash();
          this.faults.crash += 1;
        } else {
          app.close();
          this.faults.close += 1;
        }
        trace.append(scheduler.nowMs(), 'consumer', `${clientId} ${crash ? 'crashed' : 'closed'}`);
        scheduler.after(2_000 + prng.nextInt(13_000), () => {
          if (scheduler.nowMs() < this.endMs) this.startApp(clientId);
        });
      }
      this.scheduleFault();
    });
  }
}
