/**
 * Test-only wrappers that make the engine misbehave without touching engine/cluster: they replace
 * the cluster's network `send` on the instance, so one message can be rewritten or answered
 * falsely, as a broken broker would. The simulation's checkers must then name the invariant.
 */
import type { Cluster } from '../../engine/cluster/cluster.js';
import type { FetchResponse, ProduceRequest, ProduceResponse } from '../../engine/cluster/messages.js';
import type { NodeId } from '../../engine/cluster/network.js';
import type { Scheduler } from '../../engine/core/scheduler.js';
import type { Disk } from '../../engine/storage/disk/disk.js';
import { CRC_OFFSET, computeBatchCrc, concatBytes, decodeRecordBatch, decodeRecordBatches, encodeRecordBatch, readBatchHeader } from '../../engine/storage/record-batch.js';
import { SIM_START_MS } from '../../engine/sim/sim-config.js';

type Send = (from: NodeId, to: NodeId, message: unknown) => boolean;

function interceptSends(cluster: Cluster, intercept: (send: Send, from: NodeId, to: NodeId, message: unknown) => boolean | null): void {
  const original: Send = cluster.network.send.bind(cluster.network);
  cluster.network.send = (from, to, message) => intercept(original, from, to, message) ?? original(from, to, message);
}

/**
 * From `afterMs` of virtual time on, the first fetch answer carrying records of `topic`-`partition`
 * to follower `brokerId` has its first record's value replaced: the follower stores a record the
 * leader never wrote, at the same offset and epoch (a corrupted replica).
 */
export function corruptOneFetch(cluster: Cluster, scheduler: Scheduler, options: { topic: string; partition: number; brokerId: number; afterMs: number }): { corrupted: () => string | null } {
  let done: string | null = null;
  interceptSends(cluster, (send, from, to, message) => {
    const response = message as FetchResponse;
    if (done !== null || response.kind !== 'FetchResponse' || to !== options.brokerId || response.topic !== options.topic || response.partition !== options.partition) return null;
    if (response.records.length === 0 || scheduler.nowMs() - SIM_START_MS < options.afterMs) return null;
    const [first] = decodeRecordBatches(response.records);
    const record = first!.records[0]!;
    const forged = encodeRecordBatch({
      baseOffset: first!.baseOffset,
      partitionLeaderEpoch: first!.partitionLeaderEpoch,
      records: [{ key: record.key, value: new TextEncoder().encode('forged'), headers: record.headers, timestampMs: record.timestampMs }],
    });
    // The batches after the first are passed on as they are.
    const others = response.records.subarray(first!.sizeInBytes);
    done = `${options.topic}-${options.partition} offset ${first!.baseOffset} on broker ${options.brokerId}`;
    return send(from, to, { ...response, records: concatBytes([forged, others]) });
  });
  return { corrupted: () => done };
}

/**
 * From `afterMs` on, the first acks=all produce request is swallowed and answered "written at the
 * partition's log end offset" without any broker writing it: a fake acknowledgement.
 */
export function fakeOneAck(cluster: Cluster, scheduler: Scheduler, afterMs: number): { faked: () => string | null } {
  let done: string | null = null;
  interceptSends(cluster, (send, from, to, message) => {
    const request = message as ProduceRequest;
    if (done !== null || request.kind !== 'Produce' || request.acks !== -1 || scheduler.nowMs() - SIM_START_MS < afterMs) return null;
    const target = request.partitions[0]!;
    const offset = cluster.offsets(target.topic, target.partition).logEndOffset;
    const answer: ProduceResponse = {
      kind: 'ProduceResponse',
      correlationId: request.correlationId,
      partitions: [{ topic: target.topic, partition: target.partition, error: 'NONE', errorMessage: null, baseOffset: offset, logAppendTimeMs: -1, logStartOffset: 0 }],
    };
    done = `${target.topic}-${target.partition} offset ${offset}`;
    // The answer travels back as if the broker had sent it; the request itself never arrives.
    return send(to, from, answer);
  });
  return { faked: () => done };
}

/**
 * Rewrites, on one broker's disk, the record at `offset` of a partition in place: the first byte of
 * its value changes and the batch CRC is recomputed, so the batch stays valid and the same length.
 * A replica whose committed record silently changed, which only a re-read of the whole log sees.
 */
export function corruptRecordInPlace(disk: Disk, dataDir: string, brokerId: number, topic: string, partition: number, offset: number): string {
  const dir = `${dataDir}/broker-${brokerId}/${topic}-${partition}`;
  const segment = disk.list(dir).filter((name) => name.endsWith('.log')).sort()[0]!;
  const path = `${dir}/${segment}`;
  const bytes = disk.readFile(path);
  let position = 0;
  // Bounded by the file's size: each step moves past one batch.
  while (position < bytes.length) {
    const header = readBatchHeader(bytes, position);
    if (header.baseOffset <= offset && offset <= header.lastOffset) {
      const value = decodeRecordBatch(bytes, position).records.find((r) => r.offset === offset)!.value!;
      const at = indexOf(bytes, value, position, position + header.sizeInBytes);
      const before = new TextDecoder().decode(value);
      bytes[at] = 'X'.charCodeAt(0);
      new DataView(bytes.buffer, bytes.byteOffset).setUint32(position + CRC_OFFSET, computeBatchCrc(bytes, position, header.sizeInBytes));
      const file = disk.openFile(path);
      file.truncate(0);
      file.append(bytes);
      file.close();
      return `${before} -> X${before.slice(1)}`;
    }
    position += header.sizeInBytes;
  }
  throw new Error(`offset ${offset} is not in ${path}`);
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number, to: number): number {
  for (let i = from; i + needle.length <= to; i++) if (needle.every((b, j) => haystack[i + j] === b)) return i;
  throw new Error('value bytes not found in their batch');
}
