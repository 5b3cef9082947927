/**
 * The simulation's workload: in-app producers sending keyed records through the cluster's produce
 * path, a mix of acks=all and acks=1 drawn from the seed, each value a unique id (`p<producer>-<n>`)
 * so every record can be told apart on every replica. Every acknowledgement is kept: which record,
 * at which offset, with which acks. The cluster's in-app producer retries retriable errors (a
 * leader that moved) itself, as Kafka's producer does; a retry may duplicate a record at another
 * offset, which is harmless here because only the acknowledged offset is checked.
 *
 * Invariants: sends happen only inside the workload phase, at drawn virtual times; a record id is
 * never reused; at most `simLimits.ackedRecordsMax` acknowledgements are kept (the run stops
 * producing past it); `inFlight` counts the requests still waiting for an answer.
 */
import type { Cluster } from '../cluster/cluster.js';
import { partitionForKey } from '../clients/murmur2.js';
import { isKafkaError } from '../core/kafka-errors.js';
import type { Prng } from '../core/prng.js';
import type { Scheduler } from '../core/scheduler.js';
import type { SimTopic } from './sim-config.js';
import { simLimits } from './sim-limits.js';

export type SimAcks = 'all' | '1';

export interface AckedRecord {
  readonly id: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly acks: SimAcks;
  readonly sentMs: number;
}

export interface WorkloadOptions {
  readonly cluster: Cluster;
  readonly scheduler: Scheduler;
  readonly prng: Prng;
  readonly topics: readonly SimTopic[];
  readonly recordsPerSecond: number;
  readonly acksAllShare: number;
  readonly producers: number;
  readonly onAck: (record: AckedRecord) => void;
  readonly onFailure: (id: string, acks: SimAcks, error: string) => void;
  /** A produce that failed with something other than a Kafka error: the engine broke, the run stops. */
  readonly onEngineError: (error: unknown) => void;
}

const utf8 = new TextEncoder();

export class Workload {
  readonly sent: Record<SimAcks, number> = { all: 0, '1': 0 };
  readonly acked: Record<SimAcks, number> = { all: 0, '1': 0 };
  /** Failed sends by Kafka error name (refused at once or answered with an error). */
  readonly failures = new Map<string, number>();
  inFlight = 0;
  private readonly sequence: number[] = [];
  private endMs = 0;

  constructor(private readonly options: WorkloadOptions) {}

  start(endMs: number): void {
    this.endMs = endMs;
    for (let producer = 1; producer <= this.options.producers; producer++) {
      this.sequence.push(0);
      this.scheduleSend(producer, this.drawGapMs());
    }
  }

  private scheduleSend(producer: number, delayMs: number): void {
    const { scheduler } = this.options;
    if (scheduler.nowMs() + delayMs >= this.endMs) return;
    scheduler.after(delayMs, () => {
      if (this.acked.all + this.acked['1'] < simLimits.ackedRecordsMax) this.send(producer);
      this.scheduleSend(producer, this.drawGapMs());
    });
  }

  private send(producer: number): void {
    const { cluster, scheduler, prng, topics } = this.options;
    const topic = topics[prng.nextInt(topics.length)]!;
    const key = `k${prng.nextInt(simLimits.keysPerProducer)}`;
    const acks: SimAcks = prng.nextFloat() < this.options.acksAllShare ? 'all' : '1';
    const seq = this.sequence[producer - 1]!;
    this.sequence[producer - 1] = seq + 1;
    const id = `p${producer}-${seq}`;
    // Kafka's default partitioner for a keyed record (murmur2 of the key), named explicitly.
    const partition = partitionForKey(utf8.encode(key), topic.partitions);
    const sentMs = scheduler.nowMs();
    this.sent[acks] += 1;
    this.inFlight += 1;
    const answer = cluster.produce({ topic: topic.name, partition, key, value: id, headers: [], acks });
    answer.then(
      (outcome) => {
        this.inFlight -= 1;
        this.acked[acks] += 1;
        this.options.onAck({ id, topic: topic.name, partition, offset: outcome.offset, acks, sentMs });
      },
      (error: unknown) => {
        this.inFlight -= 1;
        this.fail(id, acks, error);
      },
    );
  }

  private fail(id: string, acks: SimAcks, error: unknown): void {
    if (!isKafkaError(error)) return this.options.onEngineError(error);
    this.failures.set(error.errorName, (this.failures.get(error.errorName) ?? 0) + 1);
    this.options.onFailure(id, acks, error.errorName);
  }

  private drawGapMs(): number {
    // Each producer sends at its share of the rate, with ±50% jitter so sends do not align.
    const meanMs = (1000 * this.options.producers) / this.options.recordsPerSecond;
    return Math.max(1, Math.round(meanMs * (0.5 + this.options.prng.nextFloat())));
  }
}
