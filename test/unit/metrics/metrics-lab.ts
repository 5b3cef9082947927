/**
 * A fake lab behind the MetricsSources port, on a Scheduler: topics with partitions whose log end
 * offset grows as seeded producers write, consumer groups that fetch and commit every
 * auto.commit.interval.ms (5 s) at their own pace, producers and service replicas with counters.
 * Every random choice comes from the seed, so a failing run replays.
 */
import { SeededPrng } from '../../../engine/core/prng.js';
import type { Scheduler } from '../../../engine/core/scheduler.js';
import type { GroupSource, MetricsSources, PartitionSource, ProducerSource, ServiceSource } from '../../../engine/metrics/metrics-sources.js';

const TICK_MS = 250;
const AUTO_COMMIT_INTERVAL_MS = 5000;
const RECORD_BYTES = 120;

interface FakePartition {
  logStartOffset: number;
  logEndOffset: number;
  /** Append time of every record, from offset 0 (kept past the log start: a test's log is small). */
  readonly timestamps: number[];
  /** Records written per tick at most (0: idle). */
  producePerTickMax: number;
}

export interface FakeGroup {
  /** Records each partition's consumer handles per 250 ms; Infinity keeps up. */
  consumePerTick: number;
  /** No fetching, no committing (a crash without LeaveGroup). */
  crashed: boolean;
  /** Partitions it has committed for: topic -> partition -> [position, committed, lastCommitMs]. */
  readonly offsets: Map<string, Map<number, { position: number; committed: number | null; lastCommitMs: number | null }>>;
  readonly topics: string[];
}

export class FakeLab implements MetricsSources {
  readonly topics = new Map<string, FakePartition[]>();
  readonly groupsById = new Map<string, FakeGroup>();
  readonly producerTotals = new Map<string, number>();
  readonly serviceTotals = new Map<string, number>();
  /** retention.ms per topic (default 7 days, Kafka's). */
  readonly retentionMsByTopic = new Map<string, number>();
  readonly prng: SeededPrng;
  private nextCommitMs: number;

  constructor(
    private readonly scheduler: Scheduler,
    readonly seed: number,
  ) {
    this.prng = new SeededPrng(seed);
    this.nextCommitMs = scheduler.nowMs() + AUTO_COMMIT_INTERVAL_MS;
    const tick = (): void => {
      this.step();
      scheduler.after(TICK_MS, tick);
    };
    scheduler.after(TICK_MS, tick);
  }

  addTopic(name: string, partitions: number, producePerTickMax: number): void {
    this.topics.set(
      name,
      Array.from({ length: partitions }, () => ({ logStartOffset: 0, logEndOffset: 0, timestamps: [], producePerTickMax })),
    );
  }

  addGroup(groupId: string, topics: string[], consumePerTick: number): FakeGroup {
    const group: FakeGroup = { consumePerTick, crashed: false, offsets: new Map(), topics };
    this.groupsById.set(groupId, group);
    return group;
  }

  partitions(): PartitionSource[] {
    const out: PartitionSource[] = [];
    for (const [topic, parts] of this.topics) {
      parts.forEach((p, partition) => {
        out.push({
          topic,
          partition,
          logStartOffset: p.logStartOffset,
          logEndOffset: p.logEndOffset,
          highWatermark: p.logEndOffset,
          isrSize: 3,
          retentionMs: this.retentionMsByTopic.get(topic) ?? 604_800_000,
          retentionBytes: -1,
          sizeBytes: (p.logEndOffset - p.logStartOffset) * RECORD_BYTES,
        });
      });
    }
    return out;
  }

  groups(): GroupSource[] {
    return [...this.groupsById].map(([groupId, g]) => ({
      groupId,
      partitions: [...g.offsets].flatMap(([topic, parts]) => [...parts].map(([partition, o]) => ({ topic, partition, committedOffset: o.committed, lastCommitMs: o.lastCommitMs }))),
    }));
  }

  recordTimestampMs(topic: string, partition: number, offset: number): number | null {
    const p = this.topics.get(topic)?.[partition];
    if (p === undefined || offset < p.logStartOffset || offset >= p.logEndOffset) return null;
    return p.timestamps[offset] ?? null;
  }

  producers(): ProducerSource[] {
    return [...this.producerTotals].map(([clientId, sendTotal]) => ({ clientId, sendTotal, latencyAvgMs: 2 + (sendTotal % 7) / 3 }));
  }

  services(): ServiceSource[] {
    return [...this.serviceTotals].map(([replicaId, processedTotal]) => ({ replicaId, processedTotal }));
  }

  private step(): void {
    const nowMs = this.scheduler.nowMs();
    const producers = [...this.producerTotals.keys()];
    for (const parts of this.topics.values()) {
      for (const p of parts) {
        const n = p.producePerTickMax === 0 ? 0 : this.prng.nextInt(p.producePerTickMax + 1);
        for (let i = 0; i < n; i++) p.timestamps.push(nowMs);
        p.logEndOffset += n;
        const producer = producers[this.prng.nextInt(Math.max(1, producers.length))];
        if (producer !== undefined) this.producerTotals.set(producer, this.producerTotals.get(producer)! + n);
      }
    }
    const commit = nowMs >= this.nextCommitMs;
    if (commit) this.nextCommitMs += AUTO_COMMIT_INTERVAL_MS;
    for (const g of this.groupsById.values()) this.consume(g, commit, nowMs);
    for (const [replicaId, total] of this.serviceTotals) this.serviceTotals.set(replicaId, total + this.prng.nextInt(4));
  }

  private consume(g: FakeGroup, commit: boolean, nowMs: number): void {
    if (g.crashed) return;
    for (const topic of g.topics) {
      const parts = this.topics.get(topic);
      if (parts === undefined) continue;
      let offsets = g.offsets.get(topic);
      if (offsets === undefined) g.offsets.set(topic, (offsets = new Map()));
      parts.forEach((p, partition) => {
        const o = offsets.get(partition) ?? { position: p.logStartOffset, committed: null, lastCommitMs: null };
        offsets.set(partition, o);
        o.position = Math.min(p.logEndOffset, o.position + g.consumePerTick);
        // The Java consumer's auto-commit commits every consumed position, moved or not.
        if (commit) {
          o.committed = o.position;
          o.lastCommitMs = nowMs;
        }
      });
    }
  }
}
