/**
 * One broker: its logs (LogManager), the metadata it has received, and for each partition it
 * replicates either the leader's work — appends, follower progress, the high watermark, ISR
 * changes, produce requests waiting for acks=all — or the follower's — fetching from the leader,
 * truncating where its log diverged, following the high watermark.
 *
 * Kafka's rules, as implemented here:
 * - the high watermark is the smallest log end offset among the ISR (leader included);
 * - a follower is caught up when it fetched at or past the leader's log end offset; one that has
 *   not been caught up for replica.lag.time.max.ms (30 s) leaves the ISR; one whose log end offset
 *   reaches the high watermark joins it again (both through the controller, AlterPartition);
 * - acks=all is refused with NOT_ENOUGH_REPLICAS when the ISR is smaller than min.insync.replicas,
 *   and answered when the high watermark passes the batch (NOT_ENOUGH_REPLICAS_AFTER_APPEND if the
 *   ISR shrank below it meanwhile); acks=1 when the leader has it; acks=0 never;
 * - a follower sends its last fetched epoch; the leader answers with a diverging epoch when the
 *   follower's log went further in that epoch than the leader's did, and the follower truncates.
 *
 * A crash drops everything in memory and keeps what the logs had written (the OS page cache);
 * the next start recovers the logs from disk.
 *
 * Fault hooks (engine/faults), each a process- or machine-level fault as Kafka meets it:
 * - pause (SIGSTOP, a long GC pause): every timer and every inbound message of the broker goes
 *   through one ProcessGate (engine/core/process-gate.ts), so while paused nothing of it runs —
 *   no heartbeat (the controller fences it after broker.session.timeout.ms), no fetch, no answer —
 *   and on resume what came due runs in the order it came due. Invariant: while paused no broker
 *   code runs, save what the cluster calls directly for its views (log(), highWatermark()).
 *   The group coordinator this broker hosts gets its requests, answers and log appends through
 *   the broker, so they wait with it; its own timers wait too once GroupHosting creates it with
 *   `processTimers` (until then its session timers keep counting while the broker is paused).
 * - log dir failure: a disk error (ENOSPC on a full disk, EIO) on any write takes the log dir
 *   offline; the broker has one log dir, so, as Kafka's ReplicaManager does ("Shutdown broker
 *   because all log dirs in ... have failed", then Exit.halt), it halts at once: `onLogDirFailure`
 *   tells the cluster, which kills the process. Invariant: a running broker has no offline log.
 * - slow disk: `diskLatencyMs` delays what the disk holds up — produce answers (the append),
 *   fetch answers (the read) and a follower's next fetch after it appended (its write) — keeping
 *   the order of the answers, so producer latency and follower lag grow as on a slow device.
 * - replication cut: fetches between this broker and the brokers in `replicationCut` are dropped,
 *   as a firewall rule on the broker listener drops them while the controller listener (heartbeats,
 *   AlterPartition, metadata) still passes.
 */
import { assertFailed } from '../core/assert.js';
import type { Clock } from '../core/clock.js';
import { KafkaError, isKafkaError, type KafkaErrorName } from '../core/kafka-errors.js';
import { ProcessGate } from '../core/process-gate.js';
import type { TimerHandle, Timers } from '../core/timers.js';
import { DiskError, type Disk } from '../storage/disk/disk.js';
import type { LogConfig } from '../storage/log-config.js';
import { LogManager, type LogDirRecoveryReport } from '../storage/log-manager.js';
import type { PartitionLog } from '../storage/partition-log.js';
import { limits } from '../core/limits.js';
import { readBatchHeader } from '../storage/record-batch.js';
import { failedListOffset, failedRead, listOffset, readForConsumer } from './consumer-reads.js';
import type { FetchPartitionResponse } from '../clients/consumer/consumer-network.js';
import {
  NO_LEADER,
  type BrokerInbound,
  type ConsumerFetch,
  type GroupApiRequest,
  type ListOffsetsRequest,
  type FetchRequest,
  type FetchResponse,
  type MetadataImage,
  type PartitionRegistration,
  type ProducePartitionData,
  type ProducePartitionResult,
  type ProduceRequest,
  type ProduceResponse,
} from './messages.js';
import { PartitionProducerState, type ProducedBatchIds } from './producer-state.js';
import { isInternalTopic } from './topic-rules.js';
import type { NodeId, SimNetwork } from './network.js';

/** replica.lag.time.max.ms */
export const REPLICA_LAG_TIME_MAX_MS = 30_000;
/** replica.fetch.wait.max.ms: how long a leader holds a follower's fetch when it has nothing new. */
export const REPLICA_FETCH_WAIT_MAX_MS = 500;
/** replica.fetch.max.bytes */
const REPLICA_FETCH_MAX_BYTES = 1_048_576;
/** replica.socket.timeout.ms: a fetch unanswered this long is sent again. */
const REPLICA_SOCKET_TIMEOUT_MS = 30_000;
/** How long a leader waits for its AlterPartition to show in the metadata before asking again. */
const ALTER_PARTITION_RETRY_MS = 5000;
/** broker.heartbeat.interval.ms */
export const BROKER_HEARTBEAT_INTERVAL_MS = 2000;

export type BrokerState = 'running' | 'stopped';

export type BrokerEvent =
  | { readonly type: 'truncated'; readonly brokerId: number; readonly topic: string; readonly partition: number; readonly fromOffset: number; readonly toOffset: number; readonly reason: string }
  | {
      readonly type: 'produce-acknowledged';
      readonly brokerId: number;
      readonly topic: string;
      readonly partition: number;
      readonly firstOffset: number;
      readonly lastOffset: number;
      readonly acks: 0 | 1 | -1;
      /** The leader epoch the records were written in: a later log holding them has them under it. */
      readonly leaderEpoch: number;
    };

export interface BrokerNodeOptions {
  readonly id: number;
  readonly host: string;
  readonly port: number;
  readonly disk: Disk;
  readonly dataDir: string;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly network: SimNetwork;
  readonly logConfigFor: (topic: string) => LogConfig;
  readonly minInsyncFor: (topic: string) => number;
  /** leader.replication.throttled.rate: bytes/s for replicas a reassignment is adding; null when unthrottled. */
  readonly reassignmentThrottleBytesPerSec: () => number | null;
  readonly activeController: () => number | null;
  readonly onControllerMessage: (from: number, message: unknown) => void;
  readonly onEvent: (event: BrokerEvent) => void;
  /** A replica's log end offset or high watermark moved (cheap: called on every append). */
  readonly onProgress: () => void;
  /** A group API request for the coordinator this broker hosts; `reply` sends the answer back. */
  readonly onGroupRequest?: (brokerId: number, request: GroupApiRequest, reply: (response: unknown) => void) => void;
  /** A leader's high watermark advanced (for the highest high watermark a partition ever had). */
  readonly onHighWatermark?: (topic: string, partition: number, highWatermark: number) => void;
  /** This broker became (or stopped being) the leader of a partition: the group coordinator loads or unloads. */
  readonly onLeadership?: (brokerId: number, topic: string, partition: number, leader: boolean, leaderEpoch: number) => void;
  /**
   * The broker's only log dir failed (a write hit ENOSPC or EIO): the cluster halts the process.
   * Without it the broker crashes itself.
   */
  readonly onLogDirFailure?: (brokerId: number, logDir: string, reason: string) => void;
  /** The extra time each write and read of the broker's disk takes now (a slow disk fault); 0 when absent. */
  readonly diskLatencyMs?: () => number;
}

interface FollowerProgress {
  logEndOffset: number;
  lastCaughtUpTimeMs: number;
  lastFetchLeaderLogEndOffset: number;
  lastFetchTimeMs: number;
}

/** A partition's part of a produce request, as the leader works on it. */
interface PartitionWork {
  result: ProducePartitionResult;
  /** For acks=all: the offset the high watermark must pass; null once answered. */
  waitingForOffset: number | null;
  lastOffset: number;
}

/** A produce request in purgatory: answered when every partition is done, or at timeoutMs. */
interface PendingProduce {
  readonly work: PartitionWork[];
  readonly timeout: TimerHandle;
  /** Sends the answer: over the network to a client, or to the group coordinator's callback. */
  readonly reply: (work: readonly PartitionWork[]) => void;
}

interface DelayedFetch {
  readonly from: NodeId;
  readonly request: FetchRequest;
  readonly timeout: TimerHandle;
}

/** A consumer fetch held until fetch.min.bytes are readable or fetch.max.wait.ms passes. */
interface DelayedConsumerFetch {
  readonly from: NodeId;
  readonly message: ConsumerFetch;
  readonly partitionKeys: ReadonlySet<string>;
  readonly timeout: TimerHandle;
}

interface ReplicaState {
  readonly topic: string;
  readonly partition: number;
  registration: PartitionRegistration;
  highWatermark: number;
  // Leader side.
  readonly followers: Map<number, FollowerProgress>;
  readonly producerState: PartitionProducerState;
  delayedFetches: DelayedFetch[];
  isrChangeInFlight: boolean;
  // Follower side: bumping the session abandons fetches sent to an old leader.
  fetchSession: number;
  fetchTimer: TimerHandle | null;
  /** The correlation id of the fetch this follower waits for; older answers are ignored. */
  pendingCorrelation: number;
  /**
   * The ISR asked of the controller and not yet in the metadata (KIP-497): the high watermark is
   * computed over the committed ISR plus pending additions, so it never passes a joining follower.
   */
  pendingIsr: readonly number[] | null;
  /** When the pending AlterPartition was sent; an unanswered one is sent again after a while. */
  isrChangeSentAtMs: number;
  /** The partition epoch the pending AlterPartition was based on. */
  isrChangeBaseEpoch: number;
}

let correlationIds = 1;

export class BrokerNode {
  readonly id: number;
  readonly host: string;
  readonly port: number;
  state: BrokerState = 'stopped';
  private logs: LogManager | null = null;
  /** Bytes of the log segments the last time the logs were open: a stopped broker's disk keeps them. */
  private lastDiskUsedBytes: number | null = null;
  private image: MetadataImage | null = null;
  private readonly replicas = new Map<string, ReplicaState>();
  private readonly timersHeld = new Set<TimerHandle>();
  /** Produce requests waiting for acks=all (bounded by limits.pendingProducesMax). */
  private pendingProduces: PendingProduce[] = [];
  /** Consumer fetches in long poll (bounded by limits.consumerFetchesHeldMax). */
  private delayedConsumerFetches: DelayedConsumerFetch[] = [];
  /** Token bucket of the reassignment throttle: bytes this leader may still send to adding replicas. */
  private throttleTokens = 0;
  private throttleRefilledAtMs = 0;
  lastRecovery: LogDirRecoveryReport | null = null;
  /** Freezes the process while paused; every timer and inbound message of the broker goes through it. */
  private readonly gate: ProcessGate;
  /** The broker's timers: gated (nothing fires while paused) and guarded against log dir failures. */
  private readonly timers: Timers;
  /** Brokers whose replication traffic (Fetch, FetchResponse) to and from this one is dropped. */
  private readonly replicationCut = new Set<number>();
  /** Why the log dir failed during the current piece of work; the broker halts when the work ends. */
  private logDirFailure: string | null = null;
  /** How deep the current storage-guarded work is nested (the broker halts only at the outermost level). */
  private guardDepth = 0;
  /** When the last answer held up by a slow disk leaves: later answers leave no earlier (their order holds). */
  private lastDiskAnswerAtMs = 0;

  constructor(private readonly options: BrokerNodeOptions) {
    this.id = options.id;
    this.host = options.host;
    this.port = options.port;
    this.gate = new ProcessGate(options.timers);
    this.timers = { after: (delayMs, callback) => this.gate.timers.after(delayMs, () => this.storageGuarded(callback)) };
    options.network.register(
      this.id,
      this.gate.guard((from: NodeId, message: unknown) => this.storageGuarded(() => this.receive(from, message))),
    );
    options.network.setNodeUp(this.id, false);
  }

  /** The broker's log directory (`<dataDir>/broker-<id>`), as Kafka's log.dirs names it. */
  get logDir(): string {
    return `${this.options.dataDir}/broker-${this.id}`;
  }

  /**
   * Timers for other code that runs inside this broker's process (its group coordinator): their
   * callbacks wait while the broker is paused, as every thread of a stopped JVM does.
   */
  get processTimers(): Timers {
    return this.gate.timers;
  }

  /** Whether the process is paused (SIGSTOP); a paused broker is still `running`. */
  get isPaused(): boolean {
    return this.gate.isPaused;
  }

  /** Starts the broker process: opens (and if needed recovers) its logs, then joins the cluster. */
  start(): LogDirRecoveryReport {
    if (!(this.state === 'stopped')) assertFailed(`broker ${this.id} is already running`);
    let opened: ReturnType<typeof LogManager.open>;
    try {
      opened = LogManager.open({
        disk: this.options.disk,
        dataDir: this.options.dataDir,
        brokerId: this.id,
        nowMs: this.options.clock.nowMs(),
        configFor: this.options.logConfigFor,
      });
    } catch (error) {
      if (!isStorageFailure(error)) throw error;
      // Kafka's broker exits at startup when its only log dir cannot be used.
      throw new KafkaError('KAFKA_STORAGE_ERROR', `Broker ${this.id} cannot start: all log dirs in ${this.logDir} have failed (${(error as Error).message}).`);
    }
    const { manager, report } = opened;
    this.logs = manager;
    this.lastRecovery = report;
    this.state = 'running';
    this.options.network.setNodeUp(this.id, true);
    this.heartbeat();
    this.every(REPLICA_LAG_TIME_MAX_MS / 2, () => this.maybeShrinkIsr());
    return report;
  }

  /** A crash: memory is gone; what the logs wrote stays in the page cache (recovered at next start). */
  crash(): void {
    if (this.state === 'stopped') return;
    this.stopProcess();
  }

  /**
   * A clean stop after a controlled shutdown: flush, checkpoint, clean-shutdown marker. A disk that
   * fails the flush leaves no marker: the stop goes on and the next start recovers the logs.
   */
  shutdown(): void {
    if (this.state === 'stopped') return;
    try {
      this.logs?.shutdown(this.options.clock.nowMs());
    } catch (error) {
      if (!isStorageFailure(error)) throw error;
    }
    this.stopProcess();
  }

  /** SIGSTOP: the process freezes where it is (see the class comment). */
  pause(): void {
    if (!(this.state === 'running')) assertFailed(`broker ${this.id} is not running`);
    this.gate.pause();
    this.options.network.setNodePaused(this.id, true);
  }

  /** SIGCONT: the network takes its messages again, then what came due while paused runs, in order. */
  resume(): void {
    if (!this.gate.isPaused) return;
    this.options.network.setNodePaused(this.id, false);
    this.gate.resume();
  }

  /** Drops (or lets through again) the replication traffic between this broker and `brokerId`. */
  setReplicationCut(brokerId: number, cut: boolean): void {
    if (cut) this.replicationCut.add(brokerId);
    else this.replicationCut.delete(brokerId);
  }

  /**
   * Bytes of every partition log's segment files on this broker's disk (indexes not counted), as
   * `du` over the log dir would roughly show; while the broker is down, what they were when it
   * went down (the files stay); null before it first started.
   */
  diskUsedBytes(): number | null {
    if (this.logs === null) return this.lastDiskUsedBytes;
    let total = 0;
    for (const log of this.logs.allLogs()) total += log.sizeInBytes;
    this.lastDiskUsedBytes = total;
    return total;
  }

  /** The log of a replica this broker holds, for status views and reads. */
  log(topic: string, partition: number): PartitionLog | undefined {
    return this.logs?.getLog(topic, partition);
  }

  highWatermark(topic: string, partition: number): number | null {
    return this.replicas.get(key(topic, partition))?.highWatermark ?? null;
  }

  metadataOffset(): number {
    return this.image?.offset ?? 0;
  }

  /** Writes the checkpoints (the checkpoint thread's work; it waits while the process is paused). */
  checkpoint(): void {
    if (this.gate.isPaused) return;
    this.storageGuarded(() => this.logs?.checkpoint());
  }

  /** A topic's configs changed: its logs pick up the new retention, segment size, etc. */
  topicConfigChanged(topic: string): void {
    if (this.logs !== null && this.logs.allLogs().some((log) => log.topic === topic)) this.logs.updateTopicConfig(topic);
  }

  cleanupLogs(): void {
    if (this.gate.isPaused) return;
    this.storageGuarded(() => this.logs?.cleanupLogs(this.options.clock.nowMs()));
  }

  private stopProcess(): void {
    for (const timer of this.timersHeld) timer.cancel();
    this.timersHeld.clear();
    for (const replica of this.replicas.values()) {
      replica.fetchTimer?.cancel();
      for (const delayed of replica.delayedFetches) delayed.timeout.cancel();
    }
    for (const pending of this.pendingProduces) pending.timeout.cancel();
    this.pendingProduces = [];
    for (const delayed of this.delayedConsumerFetches) delayed.timeout.cancel();
    this.delayedConsumerFetches = [];
    this.replicas.clear();
    this.image = null;
    this.diskUsedBytes();
    this.logs = null;
    this.state = 'stopped';
    this.logDirFailure = null;
    this.lastDiskAnswerAtMs = 0;
    // A process killed while paused leaves nothing parked behind.
    this.gate.discard();
    this.options.network.setNodePaused(this.id, false);
    this.options.network.setNodeUp(this.id, false);
  }

  /**
   * Runs a piece of the broker's work; a disk error in it (or a log it took offline) fails the log
   * dir, and the broker halts once the outermost piece of work is over.
   */
  private storageGuarded(work: () => void): void {
    this.guardDepth += 1;
    try {
      work();
    } catch (error) {
      if (!isStorageFailure(error)) throw error;
      this.logDirFailure ??= (error as Error).message;
    } finally {
      this.guardDepth -= 1;
    }
    if (this.guardDepth === 0 && this.logDirFailure !== null && this.state === 'running') this.haltOnLogDirFailure(this.logDirFailure);
  }

  private haltOnLogDirFailure(reason: string): void {
    this.logDirFailure = null;
    if (this.options.onLogDirFailure !== undefined) this.options.onLogDirFailure(this.id, this.logDir, reason);
    else this.crash();
  }

  /**
   * Sends an answer the disk holds up: after the disk's latency, and never before an earlier held
   * answer (a slow disk delays, it does not reorder).
   */
  private sendAfterDisk(to: NodeId, message: unknown): void {
    const nowMs = this.options.clock.nowMs();
    const sendAtMs = Math.max(nowMs + (this.options.diskLatencyMs?.() ?? 0), this.lastDiskAnswerAtMs);
    if (sendAtMs <= nowMs) {
      this.options.network.send(this.id, to, message);
      return;
    }
    this.lastDiskAnswerAtMs = sendAtMs;
    const handle = this.timers.after(sendAtMs - nowMs, () => {
      this.timersHeld.delete(handle);
      this.options.network.send(this.id, to, message);
    });
    this.timersHeld.add(handle);
  }

  private every(intervalMs: number, work: () => void): void {
    const schedule = (): void => {
      const handle = this.timers.after(intervalMs, () => {
        this.timersHeld.delete(handle);
        if (this.state !== 'running') return;
        work();
        schedule();
      });
      this.timersHeld.add(handle);
    };
    schedule();
  }

  private heartbeat(): void {
    const send = (): void => {
      const controller = this.options.activeController();
      if (controller !== null) this.options.network.send(this.id, controller, { kind: 'BrokerHeartbeat', brokerId: this.id, metadataOffset: this.metadataOffset() });
    };
    send();
    this.every(BROKER_HEARTBEAT_INTERVAL_MS, send);
  }

  private receive(from: NodeId, message: unknown): void {
    if (this.state !== 'running') return;
    const kind = (message as { kind?: string }).kind;
    if ((kind === 'Fetch' || kind === 'FetchResponse') && typeof from === 'number' && this.replicationCut.has(from)) return;
    if (kind === 'BrokerHeartbeat' || kind === 'AlterPartition') {
      if (this.options.activeController() === this.id && typeof from === 'number') this.options.onControllerMessage(from, message);
      return;
    }
    const inbound = message as BrokerInbound;
    switch (inbound.kind) {
      case 'Metadata':
        return this.applyMetadata(inbound.image);
      case 'Fetch':
        return this.onFetch(from, inbound);
      case 'FetchResponse':
        return this.onFetchResponse(inbound);
      case 'Produce':
        return this.onProduce(from, inbound);
      case 'ConsumerFetch':
        return this.onConsumerFetch(from, inbound);
      case 'ListOffsets':
        return this.onListOffsets(from, inbound);
      case 'GroupRequest':
        return this.onGroupRequest(from, inbound);
    }
  }

  // ---- consumers ---------------------------------------------------------------------------------

  private onConsumerFetch(from: NodeId, message: ConsumerFetch): void {
    const { request } = message;
    const read = this.readConsumerFetch(request);
    const satisfied = read.bytes >= request.minBytes || read.failed || request.maxWaitMs <= 0;
    if (satisfied || this.delayedConsumerFetches.length >= limits.consumerFetchesHeldMax) {
      return this.answerConsumerFetch(from, message, read.partitions);
    }
    // Long poll (DelayedFetch): answered when enough bytes are readable, or at fetch.max.wait.ms.
    const delayed: DelayedConsumerFetch = {
      from,
      message,
      partitionKeys: new Set(request.partitions.map((p) => key(p.topic, p.partition))),
      timeout: this.timers.after(request.maxWaitMs, () => {
        this.delayedConsumerFetches = this.delayedConsumerFetches.filter((d) => d !== delayed);
        if (this.state === 'running') this.answerConsumerFetch(from, message, this.readConsumerFetch(request).partitions);
      }),
    };
    this.delayedConsumerFetches.push(delayed);
  }

  /** Reads every partition of a consumer fetch, in request order, within fetch.max.bytes. */
  private readConsumerFetch(request: ConsumerFetch['request']): { partitions: FetchPartitionResponse[]; bytes: number; failed: boolean } {
    let budgetBytes = request.maxBytes;
    let minOneBatch = true;
    let failed = false;
    const partitions = request.partitions.map((p) => {
      const replica = this.replicas.get(key(p.topic, p.partition));
      const log = this.log(p.topic, p.partition);
      const error = this.leaderError(replica, p.currentLeaderEpoch);
      if (error !== null || replica === undefined || log === undefined) {
        failed = true;
        return failedRead(p, error ?? 'NOT_LEADER_OR_FOLLOWER');
      }
      const read = readForConsumer(log, replica.highWatermark, p, budgetBytes, minOneBatch);
      if (read.response.error !== 'NONE') failed = true;
      // KIP-74: only the first partition with data may exceed the limits.
      if (read.bytes > 0) minOneBatch = false;
      budgetBytes -= read.bytes;
      return read.response;
    });
    return { partitions, bytes: request.maxBytes - budgetBytes, failed };
  }

  private answerConsumerFetch(from: NodeId, message: ConsumerFetch, partitions: readonly FetchPartitionResponse[]): void {
    this.sendAfterDisk(from, { kind: 'ConsumerFetchResponse', correlationId: message.correlationId, partitions });
  }

  /** The high watermark (or leadership) of a partition changed: complete the long polls it satisfies. */
  private checkDelayedConsumerFetches(partitionKey: string, force: boolean): void {
    if (this.delayedConsumerFetches.length === 0) return;
    const still: DelayedConsumerFetch[] = [];
    for (const delayed of this.delayedConsumerFetches) {
      if (!delayed.partitionKeys.has(partitionKey)) {
        still.push(delayed);
        continue;
      }
      const read = this.readConsumerFetch(delayed.message.request);
      if (!force && !read.failed && read.bytes < delayed.message.request.minBytes) {
        still.push(delayed);
        continue;
      }
      delayed.timeout.cancel();
      this.answerConsumerFetch(delayed.from, delayed.message, read.partitions);
    }
    this.delayedConsumerFetches = still;
  }

  private onListOffsets(from: NodeId, message: ListOffsetsRequest): void {
    const partitions = message.partitions.map((p) => {
      const replica = this.replicas.get(key(p.topic, p.partition));
      const log = this.log(p.topic, p.partition);
      const error = this.leaderError(replica, -1);
      if (error !== null || replica === undefined || log === undefined) return failedListOffset(p, error ?? 'NOT_LEADER_OR_FOLLOWER');
      return listOffset(log, replica.highWatermark, replica.registration.leaderEpoch, p);
    });
    this.options.network.send(this.id, from, { kind: 'ListOffsetsResponse', correlationId: message.correlationId, partitions });
  }

  private onGroupRequest(from: NodeId, message: GroupApiRequest): void {
    // The coordinator answers on its own timers: a paused broker sends the answer when it resumes.
    const reply = this.gate.guard((response: unknown): void => {
      if (this.state === 'running') this.options.network.send(this.id, from, { kind: 'GroupResponse', correlationId: message.correlationId, response });
    });
    if (this.options.onGroupRequest === undefined) return reply({ error: 'COORDINATOR_NOT_AVAILABLE' });
    this.options.onGroupRequest(this.id, message, reply);
  }

  // ---- metadata ----------------------------------------------------------------------------------

  private applyMetadata(image: MetadataImage): void {
    if (this.image !== null && image.offset <= this.image.offset) return;
    this.image = image;
    const logs = this.logs!;
    const nowMs = this.options.clock.nowMs();
    const wanted = new Set<string>();
    for (const topic of image.topics.values()) {
      topic.partitions.forEach((registration, partition) => {
        if (!registration.replicas.includes(this.id)) return;
        const k = key(topic.name, partition);
        wanted.add(k);
        logs.getOrCreateLog(topic.name, partition, nowMs);
        this.applyRegistration(topic.name, partition, registration);
      });
    }
    for (const [k, replica] of this.replicas) {
      if (wanted.has(k)) continue;
      this.dropReplica(replica);
      logs.deleteLog(replica.topic, replica.partition);
    }
    // Logs on disk that no topic assigns here are strays (a topic deleted while this broker was down).
    for (const log of logs.allLogs()) if (!wanted.has(key(log.topic, log.partition))) logs.deleteLog(log.topic, log.partition);
  }

  private applyRegistration(topic: string, partition: number, registration: PartitionRegistration): void {
    const k = key(topic, partition);
    let replica = this.replicas.get(k);
    const log = this.log(topic, partition)!;
    if (replica === undefined) {
      replica = { topic, partition, registration, highWatermark: Math.min(log.highWatermark, log.logEndOffset), followers: new Map(), producerState: new PartitionProducerState(), delayedFetches: [], isrChangeInFlight: false, fetchSession: 0, fetchTimer: null, pendingCorrelation: -1, pendingIsr: null, isrChangeSentAtMs: 0, isrChangeBaseEpoch: -1 };
      this.replicas.set(k, replica);
      this.becomeRole(replica, null);
      return;
    }
    const previous = replica.registration;
    replica.registration = registration;
    // The AlterPartition stays in flight until metadata newer than the registration it was based on
    // arrives (a slow link can deliver an older image after the controller committed the change).
    if (registration.partitionEpoch > replica.isrChangeBaseEpoch || registration.leaderEpoch !== previous.leaderEpoch) {
      replica.isrChangeInFlight = false;
      replica.pendingIsr = null;
    }
    if (registration.leaderEpoch !== previous.leaderEpoch || registration.leader !== previous.leader) {
      this.becomeRole(replica, previous);
    } else if (registration.leader === this.id) {
      this.syncFollowers(replica);
      this.maybeAdvanceHighWatermark(replica);
    }
  }

  private becomeRole(replica: ReplicaState, previous: PartitionRegistration | null): void {
    const { registration } = replica;
    replica.fetchSession += 1;
    replica.fetchTimer?.cancel();
    replica.fetchTimer = null;
    // An answer to a fetch sent in the old role must not be applied in the new one.
    replica.pendingCorrelation = -1;
    replica.pendingIsr = null;
    if (registration.leader === this.id) {
      const log = this.log(replica.topic, replica.partition)!;
      log.leaderEpochs.assign(registration.leaderEpoch, log.logEndOffset);
      replica.followers.clear();
      const nowMs = this.options.clock.nowMs();
      for (const id of registration.replicas) {
        if (id !== this.id) replica.followers.set(id, { logEndOffset: -1, lastCaughtUpTimeMs: registration.isr.includes(id) ? nowMs : 0, lastFetchLeaderLogEndOffset: -1, lastFetchTimeMs: 0 });
      }
      this.maybeAdvanceHighWatermark(replica);
      this.options.onLeadership?.(this.id, replica.topic, replica.partition, true, registration.leaderEpoch);
      return;
    }
    if (previous !== null && previous.leader === this.id) {
      this.failPending(replica, 'NOT_LEADER_OR_FOLLOWER', `Broker ${this.id} is no longer the leader of ${replica.topic}-${replica.partition}.`);
      this.options.onLeadership?.(this.id, replica.topic, replica.partition, false, registration.leaderEpoch);
    }
    if (registration.leader !== NO_LEADER) this.sendFetch(replica);
  }

  /** A reassignment changed the replicas under the same leader: track the new followers, forget the old. */
  private syncFollowers(replica: ReplicaState): void {
    const { replicas } = replica.registration;
    for (const id of [...replica.followers.keys()]) if (!replicas.includes(id)) replica.followers.delete(id);
    for (const id of replicas) {
      if (id !== this.id && !replica.followers.has(id)) replica.followers.set(id, { logEndOffset: -1, lastCaughtUpTimeMs: 0, lastFetchLeaderLogEndOffset: -1, lastFetchTimeMs: 0 });
    }
  }

  private dropReplica(replica: ReplicaState): void {
    replica.fetchTimer?.cancel();
    replica.fetchSession += 1;
    this.failPending(replica, 'NOT_LEADER_OR_FOLLOWER', `${replica.topic}-${replica.partition} is no longer on broker ${this.id}.`);
    this.replicas.delete(key(replica.topic, replica.partition));
    if (replica.registration.leader === this.id) this.options.onLeadership?.(this.id, replica.topic, replica.partition, false, replica.registration.leaderEpoch);
  }

  // ---- follower ----------------------------------------------------------------------------------

  private sendFetch(replica: ReplicaState): void {
    const { registration } = replica;
    if (this.state !== 'running' || registration.leader === this.id || registration.leader === NO_LEADER) return;
    const log = this.log(replica.topic, replica.partition)!;
    const session = replica.fetchSession;
    const request: FetchRequest = {
      kind: 'Fetch',
      correlationId: correlationIds++,
      topic: replica.topic,
      partition: replica.partition,
      replicaId: this.id,
      fetchOffset: log.logEndOffset,
      lastFetchedEpoch: log.leaderEpochs.latestEpoch(),
      currentLeaderEpoch: registration.leaderEpoch,
      maxBytes: REPLICA_FETCH_MAX_BYTES,
      maxWaitMs: REPLICA_FETCH_WAIT_MAX_MS,
    };
    this.options.network.send(this.id, registration.leader, request);
    // If the answer never comes (lost, leader gone), ask again after the socket timeout.
    replica.fetchTimer = this.timers.after(REPLICA_SOCKET_TIMEOUT_MS, () => {
      if (replica.fetchSession === session) this.sendFetch(replica);
    });
    replica.pendingCorrelation = request.correlationId;
  }

  private onFetchResponse(response: FetchResponse): void {
    const replica = this.replicas.get(key(response.topic, response.partition));
    if (replica === undefined || replica.pendingCorrelation !== response.correlationId) return;
    replica.fetchTimer?.cancel();
    replica.fetchTimer = null;
    const log = this.log(response.topic, response.partition)!;
    const nowMs = this.options.clock.nowMs();
    if (response.error !== 'NONE') {
      // Wait for metadata to name the right leader (replica.fetch.backoff.ms = 1000).
      const session = replica.fetchSession;
      replica.fetchTimer = this.timers.after(1000, () => {
        if (replica.fetchSession === session) this.sendFetch(replica);
      });
      return;
    }
    if (response.divergingEpoch !== null) {
      // Kafka's rule (getOffsetTruncationState): cut at the smaller of the leader's and this log's end
      // of the diverging epoch; a log that never had that epoch falls back to its high watermark.
      const own = log.endOffsetForEpoch(response.divergingEpoch.epoch);
      const ownEnd = own.epoch < 0 ? replica.highWatermark : own.endOffset;
      const target = Math.min(response.divergingEpoch.endOffset, ownEnd, log.logEndOffset);
      this.truncate(replica, log, target, `its log diverged from leader ${replica.registration.leader} at epoch ${response.divergingEpoch.epoch}`);
      this.sendFetch(replica);
      return;
    }
    if (response.records.length > 0) {
      const appended = log.appendAsFollower(response.records, nowMs);
      if (appended !== null) forEachBatchIds(response.records, (ids, baseOffset) => replica.producerState.record(ids, baseOffset));
    }
    replica.highWatermark = Math.min(response.highWatermark, log.logEndOffset);
    log.updateHighWatermark(replica.highWatermark);
    if (response.records.length > 0 || response.highWatermark !== replica.highWatermark) this.options.onProgress();
    const writeLatencyMs = response.records.length > 0 ? (this.options.diskLatencyMs?.() ?? 0) : 0;
    if (writeLatencyMs <= 0) return this.sendFetch(replica);
    // A slow disk: the fetcher thread is busy writing what it fetched before it fetches again.
    const session = replica.fetchSession;
    replica.fetchTimer = this.timers.after(writeLatencyMs, () => {
      if (replica.fetchSession === session) this.sendFetch(replica);
    });
  }

  private truncate(replica: ReplicaState, log: PartitionLog, toOffset: number, reason: string): void {
    const fromOffset = log.logEndOffset;
    if (toOffset >= fromOffset) {
      // Nothing to cut, but an epoch that starts at the log end (led without writing) must go, or
      // the next fetch names it again and the leader answers with the same divergence forever.
      log.leaderEpochs.truncateFromEnd(toOffset);
      return;
    }
    // PartitionLog.truncateTo syncs the cut, so a power loss cannot bring the removed records back.
    log.truncateTo(toOffset, this.options.clock.nowMs());
    replica.producerState.truncateTo(toOffset);
    replica.highWatermark = Math.min(replica.highWatermark, toOffset);
    this.options.onEvent({ type: 'truncated', brokerId: this.id, topic: replica.topic, partition: replica.partition, fromOffset, toOffset, reason });
  }

  // ---- leader ------------------------------------------------------------------------------------

  private onFetch(from: NodeId, request: FetchRequest): void {
    const replica = this.replicas.get(key(request.topic, request.partition));
    const error = this.leaderError(replica, request.currentLeaderEpoch);
    if (error !== null || replica === undefined) return this.answerFetch(from, request, replica, error ?? 'NOT_LEADER_OR_FOLLOWER', null);
    const log = this.log(request.topic, request.partition)!;
    if (request.lastFetchedEpoch >= 0) {
      const end = log.endOffsetForEpoch(request.lastFetchedEpoch);
      if (end.epoch !== request.lastFetchedEpoch || end.endOffset < request.fetchOffset) {
        return this.answerFetch(from, request, replica, 'NONE', { epoch: end.epoch, endOffset: end.endOffset });
      }
    }
    if (request.fetchOffset > log.logEndOffset) return this.answerFetch(from, request, replica, 'OFFSET_OUT_OF_RANGE', null);
    this.updateFollower(replica, request.replicaId, request.fetchOffset, log.logEndOffset);
    const throttleDelayMs = this.throttleDelayMs(replica, request);
    if (throttleDelayMs > 0) {
      // Over the reassignment throttle: answer later, so the adding replica copies at the set rate.
      const timer = this.timers.after(throttleDelayMs, () => {
        this.timersHeld.delete(timer);
        if (this.state === 'running') this.answerFetch(from, request, this.replicas.get(key(request.topic, request.partition)), 'NONE', null);
      });
      this.timersHeld.add(timer);
      return;
    }
    if (request.fetchOffset >= log.logEndOffset && request.maxWaitMs > 0) {
      // Nothing new: hold the fetch until data arrives or maxWait passes (a long poll, as Kafka does).
      const timeout = this.timers.after(request.maxWaitMs, () => {
        replica.delayedFetches = replica.delayedFetches.filter((d) => d.request !== request);
        this.answerFetch(from, request, replica, 'NONE', null);
      });
      replica.delayedFetches.push({ from, request, timeout });
      return;
    }
    this.answerFetch(from, request, replica, 'NONE', null);
  }

  private answerFetch(from: NodeId, request: FetchRequest, replica: ReplicaState | undefined, error: KafkaErrorName, divergingEpoch: FetchResponse['divergingEpoch']): void {
    const log = replica === undefined ? undefined : this.log(replica.topic, replica.partition);
    let records: Uint8Array = new Uint8Array(0);
    if (error === 'NONE' && divergingEpoch === null && log !== undefined && request.fetchOffset < log.logEndOffset && request.fetchOffset >= log.logStartOffset) {
      const throttled = replica !== undefined && this.isThrottled(replica, request.replicaId);
      // A throttled replica gets what the bucket holds (at least one batch, KIP-74), so the copy is smooth.
      const maxBytes = throttled ? Math.max(1, Math.min(request.maxBytes, Math.floor(this.throttleTokens))) : request.maxBytes;
      records = log.read(request.fetchOffset, { maxBytes }).records;
      if (throttled) this.throttleTokens -= records.length;
    }
    const response: FetchResponse = {
      kind: 'FetchResponse',
      correlationId: request.correlationId,
      topic: request.topic,
      partition: request.partition,
      error,
      highWatermark: replica?.highWatermark ?? 0,
      logStartOffset: log?.logStartOffset ?? 0,
      records,
      divergingEpoch,
    };
    this.sendAfterDisk(from, response);
  }

  private isThrottled(replica: ReplicaState, followerId: number): boolean {
    return replica.registration.addingReplicas.includes(followerId) && this.options.reassignmentThrottleBytesPerSec() !== null;
  }

  /** How long to hold a fetch from a throttled adding replica (0: answer now), refilling the bucket. */
  private throttleDelayMs(replica: ReplicaState, request: FetchRequest): number {
    const rate = this.options.reassignmentThrottleBytesPerSec();
    if (rate === null || !replica.registration.addingReplicas.includes(request.replicaId)) return 0;
    const nowMs = this.options.clock.nowMs();
    // At most one second of burst, as Kafka's quota windows allow.
    this.throttleTokens = Math.min(rate, this.throttleTokens + ((nowMs - this.throttleRefilledAtMs) * rate) / 1000);
    this.throttleRefilledAtMs = nowMs;
    return this.throttleTokens > 0 ? 0 : Math.ceil((-this.throttleTokens / rate) * 1000) + 1;
  }

  private updateFollower(replica: ReplicaState, followerId: number, fetchOffset: number, leaderLogEndOffset: number): void {
    const progress = replica.followers.get(followerId);
    if (progress === undefined) return;
    const nowMs = this.options.clock.nowMs();
    // Kafka's rule (Replica.updateFetchState): caught up if it asked for the leader's end now, or
    // for at least what the leader's end was at its previous fetch (then it was caught up back then).
    if (fetchOffset >= leaderLogEndOffset) progress.lastCaughtUpTimeMs = nowMs;
    else if (fetchOffset >= progress.lastFetchLeaderLogEndOffset) progress.lastCaughtUpTimeMs = Math.max(progress.lastCaughtUpTimeMs, progress.lastFetchTimeMs);
    progress.logEndOffset = fetchOffset;
    progress.lastFetchLeaderLogEndOffset = leaderLogEndOffset;
    progress.lastFetchTimeMs = nowMs;
    this.maybeExpandIsr(replica, followerId);
    this.maybeAdvanceHighWatermark(replica);
  }

  private maybeAdvanceHighWatermark(replica: ReplicaState): void {
    const { registration } = replica;
    if (registration.leader !== this.id) return;
    const log = this.log(replica.topic, replica.partition)!;
    let hw = log.logEndOffset;
    const maximalIsr = replica.pendingIsr === null ? registration.isr : [...new Set([...registration.isr, ...replica.pendingIsr])];
    for (const id of maximalIsr) {
      if (id === this.id) continue;
      const progress = replica.followers.get(id);
      hw = Math.min(hw, progress === undefined || progress.logEndOffset < 0 ? replica.highWatermark : progress.logEndOffset);
    }
    if (hw > replica.highWatermark) {
      replica.highWatermark = hw;
      log.updateHighWatermark(hw);
      this.options.onProgress();
      this.options.onHighWatermark?.(replica.topic, replica.partition, hw);
      this.checkDelayedConsumerFetches(key(replica.topic, replica.partition), false);
    }
    this.completeProduces(replica);
  }

  /** An AlterPartition lost on the way (or refused without news) is sent again after this long. */
  private isrChangeStuck(replica: ReplicaState): boolean {
    return replica.isrChangeInFlight && this.options.clock.nowMs() - replica.isrChangeSentAtMs > ALTER_PARTITION_RETRY_MS;
  }

  private maybeExpandIsr(replica: ReplicaState, followerId: number): void {
    const { registration } = replica;
    if (registration.isr.includes(followerId) || (replica.isrChangeInFlight && !this.isrChangeStuck(replica))) return;
    const progress = replica.followers.get(followerId)!;
    const log = this.log(replica.topic, replica.partition)!;
    const epochStart = log.leaderEpochs.list().find((e) => e.epoch === registration.leaderEpoch)?.startOffset ?? 0;
    if (progress.logEndOffset >= replica.highWatermark && progress.logEndOffset >= epochStart) {
      this.alterIsr(replica, [...registration.isr, followerId]);
    }
  }

  private maybeShrinkIsr(): void {
    const nowMs = this.options.clock.nowMs();
    for (const replica of this.replicas.values()) {
      const { registration } = replica;
      if (registration.leader !== this.id || (replica.isrChangeInFlight && !this.isrChangeStuck(replica))) continue;
      const lagging = registration.isr.filter((id) => id !== this.id && nowMs - (replica.followers.get(id)?.lastCaughtUpTimeMs ?? 0) > REPLICA_LAG_TIME_MAX_MS);
      if (lagging.length > 0) this.alterIsr(replica, registration.isr.filter((id) => !lagging.includes(id)));
    }
  }

  private alterIsr(replica: ReplicaState, newIsr: number[]): void {
    const controller = this.options.activeController();
    if (controller === null) return;
    replica.isrChangeInFlight = true;
    replica.pendingIsr = newIsr;
    replica.isrChangeSentAtMs = this.options.clock.nowMs();
    replica.isrChangeBaseEpoch = replica.registration.partitionEpoch;
    const { registration } = replica;
    this.options.network.send(this.id, controller, {
      kind: 'AlterPartition',
      brokerId: this.id,
      topic: replica.topic,
      partition: replica.partition,
      leaderEpoch: registration.leaderEpoch,
      partitionEpoch: registration.partitionEpoch,
      newIsr,
    });
  }

  private leaderError(replica: ReplicaState | undefined, requestEpoch: number): KafkaErrorName | null {
    if (replica === undefined || replica.registration.leader !== this.id) return 'NOT_LEADER_OR_FOLLOWER';
    if (requestEpoch >= 0 && requestEpoch < replica.registration.leaderEpoch) return 'FENCED_LEADER_EPOCH';
    if (requestEpoch > replica.registration.leaderEpoch) return 'UNKNOWN_LEADER_EPOCH';
    return null;
  }

  private onProduce(from: NodeId, request: ProduceRequest): void {
    const work = request.partitions.map((data) => this.appendForProduce(data, request.acks));
    if (request.acks === 0) return;
    this.awaitAcks(work, request.timeoutMs, (settled) => this.answerProduce(from, request, settled));
  }

  /**
   * Appends to an internal topic this broker leads (the group coordinator's __consumer_offsets
   * writes) with acks=all, as Kafka's coordinator appends through the ReplicaManager; `onDone` hears
   * NONE once the high watermark passed the batch, or the error.
   */
  appendInternal(topic: string, partition: number, records: Uint8Array, timeoutMs: number, onDone: (error: KafkaErrorName) => void): void {
    // The coordinator runs on the cluster's timers: its append waits while this broker is paused.
    this.gate.guard(() => this.storageGuarded(() => this.appendInternalNow(topic, partition, records, timeoutMs, onDone)))();
  }

  private appendInternalNow(topic: string, partition: number, records: Uint8Array, timeoutMs: number, onDone: (error: KafkaErrorName) => void): void {
    if (this.state !== 'running') return onDone('NOT_LEADER_OR_FOLLOWER');
    const work = [this.appendForProduce({ topic, partition, records }, -1, true)];
    this.awaitAcks(work, timeoutMs, (settled) => onDone(settled[0]!.result.error));
  }

  /** Answers at once when nothing waits for acks=all, else parks the request in purgatory. */
  private awaitAcks(work: PartitionWork[], timeoutMs: number, reply: (work: readonly PartitionWork[]) => void): void {
    if (work.every((w) => w.waitingForOffset === null) || this.pendingProduces.length >= limits.pendingProducesMax) return reply(work);
    const pending: PendingProduce = {
      work,
      reply,
      timeout: this.timers.after(timeoutMs, () => {
        this.pendingProduces = this.pendingProduces.filter((p) => p !== pending);
        for (const w of work) {
          if (w.waitingForOffset === null) continue;
          w.waitingForOffset = null;
          w.result = failed(w.result, 'REQUEST_TIMED_OUT', `The ISR of ${w.result.topic}-${w.result.partition} did not replicate offset ${w.lastOffset} within ${timeoutMs} ms.`);
        }
        reply(work);
      }),
    };
    this.pendingProduces.push(pending);
    // The high watermark may have passed already (an ISR of one): complete what is complete.
    for (const w of work) {
      const replica = this.replicas.get(key(w.result.topic, w.result.partition));
      if (w.waitingForOffset !== null && replica !== undefined) this.completeProduces(replica);
    }
  }

  /** Validates and appends one partition's batch as its leader; the result says what to answer. */
  private appendForProduce(data: ProducePartitionData, acks: 0 | 1 | -1, internalTopicsAllowed = false): PartitionWork {
    const base: ProducePartitionResult = { topic: data.topic, partition: data.partition, error: 'NONE', errorMessage: null, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1 };
    // ReplicaManager.appendToLocalLog: only the coordinators write to internal topics.
    if (!internalTopicsAllowed && isInternalTopic(data.topic)) return done(failed(base, 'INVALID_TOPIC_EXCEPTION', `Cannot append to internal topic ${data.topic}`));
    const replica = this.replicas.get(key(data.topic, data.partition));
    const error = this.leaderError(replica, -1);
    if (error !== null || replica === undefined) return done(failed(base, error ?? 'NOT_LEADER_OR_FOLLOWER', `Broker ${this.id} is not the leader of ${data.topic}-${data.partition}.`));
    const minInsync = this.options.minInsyncFor(data.topic);
    if (acks === -1 && replica.registration.isr.length < minInsync) {
      return done(
        failed(base, 'NOT_ENOUGH_REPLICAS', `The size of the current ISR Set(${replica.registration.isr.join(', ')}) is insufficient to satisfy the min.isr requirement of ${minInsync} for partition ${data.topic}-${data.partition}`),
      );
    }
    const log = this.log(data.topic, data.partition)!;
    let appended;
    try {
      const ids = batchIds(data.records);
      const verdict = replica.producerState.check(ids, `${data.topic}-${data.partition}`);
      // A retried batch already in the log: answer with its first offset, write nothing (idempotence).
      if (verdict.kind === 'duplicate') return done({ ...base, baseOffset: verdict.firstOffset, logStartOffset: log.logStartOffset });
      appended = log.appendAsLeader(data.records, replica.registration.leaderEpoch, this.options.clock.nowMs());
      replica.producerState.record(ids, appended.firstOffset);
      this.options.onProgress();
    } catch (caught) {
      if (!isKafkaError(caught)) throw caught;
      // The log went offline: the answer says so, and the broker halts once this request is done.
      if (caught.errorName === 'KAFKA_STORAGE_ERROR') this.logDirFailure ??= caught.message;
      return done(failed(base, caught.errorName, caught.message));
    }
    for (const delayed of replica.delayedFetches.splice(0)) {
      delayed.timeout.cancel();
      this.answerFetch(delayed.from, delayed.request, replica, 'NONE', null);
    }
    const result = { ...base, baseOffset: appended.firstOffset, logAppendTimeMs: appended.logAppendTimeMs, logStartOffset: log.logStartOffset };
    if (acks !== -1) {
      this.acknowledge(replica, acks, appended.firstOffset, appended.lastOffset);
      this.maybeAdvanceHighWatermark(replica);
      return done(result);
    }
    const work: PartitionWork = { result, waitingForOffset: appended.lastOffset, lastOffset: appended.lastOffset };
    this.maybeAdvanceHighWatermark(replica);
    return work;
  }

  /** The high watermark of `replica` moved: answer the produce requests it completes. */
  private completeProduces(replica: ReplicaState): void {
    if (this.pendingProduces.length === 0) return;
    const minInsync = this.options.minInsyncFor(replica.topic);
    this.settleWaiting(replica, (w) => {
      if (replica.highWatermark <= w.waitingForOffset!) return;
      w.waitingForOffset = null;
      if (replica.registration.isr.length < minInsync) {
        w.result = failed(w.result, 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', `The ISR of ${replica.topic}-${replica.partition} shrank to ${replica.registration.isr.length} below min.insync.replicas=${minInsync} after the append.`);
      } else {
        this.acknowledge(replica, -1, w.result.baseOffset, w.lastOffset);
      }
    });
  }

  /** Leadership of `replica` is gone: its waiting produce parts fail, and fetches held for it are dropped. */
  private failPending(replica: ReplicaState, error: KafkaErrorName, message: string): void {
    this.settleWaiting(replica, (w) => {
      w.waitingForOffset = null;
      w.result = failed(w.result, error, message);
    });
    for (const delayed of replica.delayedFetches) delayed.timeout.cancel();
    replica.delayedFetches = [];
    // Consumers waiting on this partition hear at once that its leader moved.
    this.checkDelayedConsumerFetches(key(replica.topic, replica.partition), true);
  }

  /**
   * Lets `decide` settle each waiting part of `replica`'s partition in every pending request, then
   * answers the requests with nothing left waiting.
   */
  private settleWaiting(replica: ReplicaState, decide: (work: PartitionWork) => void): void {
    const still: PendingProduce[] = [];
    for (const pending of this.pendingProduces) {
      for (const w of pending.work) {
        if (w.waitingForOffset !== null && w.result.topic === replica.topic && w.result.partition === replica.partition) decide(w);
      }
      if (pending.work.some((w) => w.waitingForOffset !== null)) {
        still.push(pending);
      } else {
        pending.timeout.cancel();
        pending.reply(pending.work);
      }
    }
    this.pendingProduces = still;
  }

  private acknowledge(replica: ReplicaState, acks: 0 | 1 | -1, firstOffset: number, lastOffset: number): void {
    this.options.onEvent({ type: 'produce-acknowledged', brokerId: this.id, topic: replica.topic, partition: replica.partition, firstOffset, lastOffset, acks, leaderEpoch: replica.registration.leaderEpoch });
  }

  private answerProduce(from: NodeId, request: ProduceRequest, work: readonly PartitionWork[]): void {
    if (request.acks === 0) return;
    const response: ProduceResponse = { kind: 'ProduceResponse', correlationId: request.correlationId, partitions: work.map((w) => w.result) };
    this.sendAfterDisk(from, response);
  }
}

function done(result: ProducePartitionResult): PartitionWork {
  return { result, waitingForOffset: null, lastOffset: -1 };
}

function failed(result: ProducePartitionResult, error: KafkaErrorName, message: string): ProducePartitionResult {
  return { ...result, error, errorMessage: message, baseOffset: -1, logAppendTimeMs: -1 };
}

/** The producer ids of a batch's header (CORRUPT_MESSAGE if the bytes are not a batch). */
function batchIds(records: Uint8Array): ProducedBatchIds {
  const header = readBatchHeader(records, 0);
  return { producerId: header.producerId, producerEpoch: header.producerEpoch, baseSequence: header.baseSequence, recordCount: header.recordCount };
}

/** Calls `visit` for each whole batch in fetched bytes, with its producer ids and base offset. */
function forEachBatchIds(records: Uint8Array, visit: (ids: ProducedBatchIds, baseOffset: number) => void): void {
  let position = 0;
  // Bounded: each pass moves past one batch of at least the 61-byte header.
  for (let i = 0; i < records.length / 61 + 1 && records.length - position >= 61; i++) {
    const header = readBatchHeader(records, position);
    if (position + header.sizeInBytes > records.length) return;
    visit({ producerId: header.producerId, producerEpoch: header.producerEpoch, baseSequence: header.baseSequence, recordCount: header.recordCount }, header.baseOffset);
    position += header.sizeInBytes;
  }
}

function key(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** A disk error, or a log that went offline because of one (Kafka's KafkaStorageException). */
function isStorageFailure(error: unknown): boolean {
  return error instanceof DiskError || (isKafkaError(error) && error.errorName === 'KAFKA_STORAGE_ERROR');
}

export function nextCorrelationId(): number {
  return correlationIds++;
}
