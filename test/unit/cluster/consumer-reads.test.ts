/**
 * What a partition leader answers a consumer: reads stop at the high watermark, a fetch with
 * nothing to read waits up to fetch.max.wait.ms and returns as soon as fetch.min.bytes arrive,
 * ListOffsets gives the log start and the high watermark, and followers refuse (only leaders serve
 * consumers, as in Kafka before KIP-392).
 */
import { describe, expect, it } from 'vitest';
import type { Answer, ConsumerFetchRequest, FetchPartitionResponse, ListOffsetsPartitionResponse } from '../../../engine/clients/consumer/consumer-network.js';
import { Cluster } from '../../../engine/cluster/cluster.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { Scheduler, runUntilSettled } from '../../../engine/core/scheduler.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';
import { decodeRecordBatches } from '../../../engine/storage/record-batch.js';

function setup() {
  const scheduler = new Scheduler(1_700_000_000_000);
  const cluster = new Cluster({ brokerCount: 3, clock: scheduler, timers: scheduler, prng: new SeededPrng(7), disk: new MemoryDisk(), dataDir: '/data' });
  scheduler.runUntil(scheduler.nowMs() + 100);
  const topic = cluster.createTopic({ name: 'orders', partitions: 1, replicationFactor: 3, configs: {} });
  scheduler.runUntil(scheduler.nowMs() + 100);
  const network = cluster.consumerNetwork('consumer-1');
  const leader = topic.partitions[0]!.leader;
  const produce = (value: string) => runUntilSettled(scheduler, cluster.produce({ topic: 'orders', partition: 0, key: null, value, headers: [], acks: 'all' }), 10_000);
  return { scheduler, cluster, network, leader, produce };
}

function fetchRequest(fetchOffset: number, overrides: Partial<ConsumerFetchRequest> = {}): ConsumerFetchRequest {
  return { maxWaitMs: 500, minBytes: 1, maxBytes: 52_428_800, partitions: [{ topic: 'orders', partition: 0, fetchOffset, currentLeaderEpoch: -1, partitionMaxBytes: 1_048_576 }], ...overrides };
}

function valuesOf(partition: FetchPartitionResponse, fromOffset: number): string[] {
  return decodeRecordBatches(partition.records)
    .flatMap((batch) => batch.records)
    .filter((record) => record.offset >= fromOffset)
    .map((record) => new TextDecoder().decode(record.value!));
}

describe('consumer reads on the partition leader', () => {
  it('returns the records below the high watermark, from the fetch offset', async () => {
    const { network, leader, produce, scheduler } = setup();
    for (const value of ['o1', 'o2', 'o3']) await produce(value);
    let answer: Answer<readonly FetchPartitionResponse[]> | null = null;
    network.fetch(leader, fetchRequest(1), (a) => (answer = a));
    scheduler.runUntil(scheduler.nowMs() + 10);
    expect(answer).not.toBeNull();
    const partition = (answer! as { kind: 'response'; response: readonly FetchPartitionResponse[] }).response[0]!;
    expect(partition.error).toBe('NONE');
    expect(partition.highWatermark).toBe(3);
    expect(valuesOf(partition, 1)).toEqual(['o2', 'o3']);
  });

  it('holds a fetch at the end of the log for fetch.max.wait.ms, and answers early when a record arrives', async () => {
    const { network, leader, produce, scheduler } = setup();
    await produce('o1');
    const sentAtMs = scheduler.nowMs();
    let answeredAtMs = -1;
    network.fetch(leader, fetchRequest(1), () => (answeredAtMs = scheduler.nowMs()));
    scheduler.runUntil(sentAtMs + 499);
    expect(answeredAtMs).toBe(-1);
    scheduler.runUntil(sentAtMs + 600);
    expect(answeredAtMs - sentAtMs).toBe(500);

    let early: FetchPartitionResponse | null = null;
    const secondAtMs = scheduler.nowMs();
    network.fetch(leader, fetchRequest(1), (a) => (early = a.kind === 'response' ? a.response[0]! : null));
    scheduler.runUntil(secondAtMs + 100);
    await produce('o2');
    expect(early).not.toBeNull();
    expect(scheduler.nowMs() - secondAtMs).toBeLessThan(500);
    expect(valuesOf(early!, 1)).toEqual(['o2']);
  });

  it('answers ListOffsets with the log start (earliest) and the high watermark (latest)', async () => {
    const { network, leader, produce, scheduler } = setup();
    for (const value of ['a', 'b']) await produce(value);
    let offsets: readonly ListOffsetsPartitionResponse[] = [];
    network.listOffsets(
      leader,
      [
        { topic: 'orders', partition: 0, timestamp: -2 },
        { topic: 'orders', partition: 0, timestamp: -1 },
      ],
      (a) => (offsets = a.kind === 'response' ? a.response : []),
    );
    scheduler.runUntil(scheduler.nowMs() + 10);
    expect(offsets.map((o) => [o.error, o.offset])).toEqual([
      ['NONE', 0],
      ['NONE', 2],
    ]);
  });

  it('a follower refuses consumer fetches with NOT_LEADER_OR_FOLLOWER', async () => {
    const { network, leader, produce, scheduler } = setup();
    await produce('a');
    const follower = leader === 1 ? 2 : 1;
    let error = '';
    network.fetch(follower, fetchRequest(0), (a) => (error = a.kind === 'response' ? a.response[0]!.error : 'disconnected'));
    scheduler.runUntil(scheduler.nowMs() + 10);
    expect(error).toBe('NOT_LEADER_OR_FOLLOWER');
  });

  it('a fetch past the log end is OFFSET_OUT_OF_RANGE', async () => {
    const { network, leader, produce, scheduler } = setup();
    await produce('a');
    let error = '';
    network.fetch(leader, fetchRequest(5), (a) => (error = a.kind === 'response' ? a.response[0]!.error : 'disconnected'));
    scheduler.runUntil(scheduler.nowMs() + 10);
    expect(error).toBe('OFFSET_OUT_OF_RANGE');
  });
});
