/**
 * What each replica's log holds, offset by offset, as the checkers compare it: the batch CRC-32C
 * (which covers the records, not the offset or epoch fields a leader stamps) and the batch's
 * partition leader epoch. A leader's batch bytes reach its followers verbatim, so two replicas hold
 * the same record at an offset exactly when CRC and epoch agree.
 *
 * A view is extended incrementally (only what was appended since the last look) and cut back when
 * the log shrinks, is reopened (a broker restart), or reports a truncation; `reset` drops every
 * view so the next look re-reads whole logs, which catches a record rewritten in place.
 *
 * Invariants: `crc.length === epoch.length` is the offset up to which the view is read, never past
 * the log end offset when it was read; entries below the log start offset are undefined.
 */
import type { Cluster } from '../cluster/cluster.js';
import { readBatchHeader } from '../storage/record-batch.js';
import type { PartitionLog } from '../storage/partition-log.js';

export interface ReplicaView {
  readonly brokerId: number;
  log: PartitionLog;
  readonly crc: number[];
  readonly epoch: number[];
}

/** Bytes one read takes from a log: whole batches, at least one; the loop continues until the log end. */
const READ_CHUNK_BYTES = 1 << 20;

export class ReplicaViews {
  private readonly views = new Map<string, ReplicaView>();
  /** Called with (broker, topic, partition, offset) whenever a view is cut back to `offset`. */
  onCut: (brokerId: number, topic: string, partition: number, toOffset: number) => void = () => undefined;

  constructor(private readonly cluster: Cluster) {}

  /** The view of a running replica, brought up to its log end offset; null when the broker is down. */
  view(brokerId: number, topic: string, partition: number): ReplicaView | null {
    const broker = this.cluster.broker(brokerId);
    const log = broker.state === 'running' ? broker.log(topic, partition) : undefined;
    if (log === undefined) return null;
    const key = viewKey(brokerId, topic, partition);
    let view = this.views.get(key);
    if (view === undefined || view.log !== log) {
      if (view !== undefined) this.onCut(brokerId, topic, partition, 0);
      view = { brokerId, log, crc: [], epoch: [] };
      this.views.set(key, view);
    }
    if (log.logEndOffset < view.crc.length) this.cut(brokerId, topic, partition, log.logEndOffset);
    extend(view);
    return view;
  }

  /** The replica's log was truncated to `toOffset` (a 'truncated' event): forget what lies past it. */
  cut(brokerId: number, topic: string, partition: number, toOffset: number): void {
    const view = this.views.get(viewKey(brokerId, topic, partition));
    if (view === undefined || view.crc.length <= toOffset) return;
    view.crc.length = toOffset;
    view.epoch.length = toOffset;
    this.onCut(brokerId, topic, partition, toOffset);
  }

  /** Drops every view: the next look re-reads whole logs. */
  reset(): void {
    for (const view of this.views.values()) this.onCut(view.brokerId, view.log.topic, view.log.partition, 0);
    this.views.clear();
  }
}

function extend(view: ReplicaView): void {
  const { log } = view;
  const end = log.logEndOffset;
  let next = Math.max(view.crc.length, log.logStartOffset);
  // Bounded: every pass consumes at least one batch (offsets strictly grow) or stops.
  for (let pass = 0; next < end && pass <= end; pass++) {
    const bytes = log.read(next, { maxBytes: READ_CHUNK_BYTES }).records;
    if (bytes.length === 0) break;
    let position = 0;
    while (position < bytes.length) {
      const header = readBatchHeader(bytes, position);
      for (let offset = header.baseOffset; offset <= header.lastOffset; offset++) {
        view.crc[offset] = header.crc;
        view.epoch[offset] = header.partitionLeaderEpoch;
      }
      next = Math.max(next, header.lastOffset + 1);
      position += header.sizeInBytes;
    }
  }
  view.crc.length = Math.min(view.crc.length, end);
  view.epoch.length = view.crc.length;
}

function viewKey(brokerId: number, topic: string, partition: number): string {
  return `${brokerId}/${topic}-${partition}`;
}
