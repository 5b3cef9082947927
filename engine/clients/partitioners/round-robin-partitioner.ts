/**
 * Kafka's RoundRobinPartitioner (org.apache.kafka.clients.producer.RoundRobinPartitioner): ignores
 * keys and, per topic, hands out counter % n over the partitions that have a leader (over all
 * partitions when none has). The counter is a Java int: it wraps, and toPositive clears the sign.
 *
 * Faithful quirk (KAFKA-9965, KAFKA-16283): in Kafka 3.0-3.8 the producer calls a custom
 * partitioner a second time whenever the chosen partition has no open batch with room (KIP-480's
 * abortOnNewBatch, and RoundRobinPartitioner does not implement onNewBatch), so the counter moves
 * twice per new batch. With an even partition count and one record per batch, only every other
 * partition receives records. KafkaProducer reproduces the second call (see kafka-producer.ts);
 * this class is the plain counter. Kafka 3.9 / 4.0 fixed it (KAFKA-17632, apache/kafka#17620).
 *
 * Invariants: one counter per topic, at most limits.topicsMax counters (one per topic the producer
 * can know); the returned partition is in [0, partitionCount).
 */
import { assertFailed } from '../../core/assert.js';
import { limits } from '../../core/limits.js';
import { assertPartitionView, toPositive, type PartitionView } from './partition-view.js';

export class RoundRobinPartitioner {
  private readonly counters = new Map<string, number>();

  partition(view: PartitionView): number {
    assertPartitionView(view);
    const next = this.nextValue(view.topic);
    const available = view.availablePartitions;
    const partition = available.length > 0 ? available[toPositive(next) % available.length]! : toPositive(next) % view.partitionCount;
    if (!(partition >= 0 && partition < view.partitionCount)) assertFailed(`round-robin chose partition ${partition} of ${view.partitionCount}`);
    return partition;
  }

  /** Java's onNewBatch is not overridden by RoundRobinPartitioner: it does nothing (the quirk). */
  onNewBatch(_view: PartitionView, _previousPartition: number): void {}

  private nextValue(topic: string): number {
    const value = this.counters.get(topic) ?? 0;
    if (!(this.counters.has(topic) || this.counters.size < limits.topicsMax)) assertFailed(`round-robin counters for more than ${limits.topicsMax} topics`);
    this.counters.set(topic, (value + 1) | 0);
    return value;
  }
}
