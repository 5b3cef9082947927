/**
 * The log manager of one broker (Kafka's LogManager): owns the broker's log dir
 * `<dataDir>/broker-<id>/`, one PartitionLog per partition directory `<topic>-<partition>/` in it,
 * and the per-dir files:
 *
 *   meta.properties                     "version=0\nbroker.id=<id>\n": refuses another broker's dir
 *   recovery-point-offset-checkpoint    } Kafka's offset checkpoint text format (checkpoint-file.ts),
 *   log-start-offset-checkpoint         } written to a temporary file and renamed
 *   replication-offset-checkpoint       } (high watermarks)
 *   cleaner-offset-checkpoint           } (how far compaction has cleaned each compacted log)
 *   .kafka_cleanshutdown                present only between a clean shutdown and the next open
 *
 * Usage by the cluster: `LogManager.open` at broker start (returns the recovery report to show),
 * `getOrCreateLog` when a replica is assigned, `deleteLog` when it is removed, `checkpoint` and
 * `flushDirtyLogs` / `cleanupLogs` on the broker's schedule (Kafka: every 60 s, flush.ms,
 * every 300 s), `shutdown` for a clean stop. A crash is simply not calling `shutdown`.
 *
 * Invariant: `logs` holds exactly the partition directories of the log dir that are not being
 * deleted; the clean-shutdown marker exists only while no log is open.
 */
import { assertFailed } from '../core/assert.js';
import { KafkaError } from '../core/kafka-errors.js';
import { limits } from '../core/limits.js';
import { readOffsetCheckpoint, writeOffsetCheckpoint, type TopicPartitionOffset } from './checkpoint-file.js';
import type { Disk } from './disk/disk.js';
import { compactLog, type CompactionResult } from './log-cleaner.js';
import type { LogConfig } from './log-config.js';
import { PartitionLog, type PartitionRecoveryReport, type RetentionResult } from './partition-log.js';
import { storageLimits } from './storage-limits.js';

export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';
export const META_PROPERTIES_FILE = 'meta.properties';
export const RECOVERY_POINT_CHECKPOINT_FILE = 'recovery-point-offset-checkpoint';
export const LOG_START_OFFSET_CHECKPOINT_FILE = 'log-start-offset-checkpoint';
export const REPLICATION_OFFSET_CHECKPOINT_FILE = 'replication-offset-checkpoint';
export const CLEANER_OFFSET_CHECKPOINT_FILE = 'cleaner-offset-checkpoint';
/** Suffix of a partition directory being deleted (Kafka: `<topic>-<partition>.<uuid>-delete`). */
export const DELETE_DIR_SUFFIX = '-delete';

const TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;

export interface LogManagerOptions {
  readonly disk: Disk;
  /** The workbench's data directory; this broker's log dir is `<dataDir>/broker-<brokerId>`. */
  readonly dataDir: string;
  readonly brokerId: number;
  readonly nowMs: number;
  /** The log config of a topic (its overrides on top of Kafka's defaults). */
  readonly configFor: (topic: string) => LogConfig;
}

export interface LogDirRecoveryReport {
  readonly brokerId: number;
  readonly logDir: string;
  readonly hadCleanShutdown: boolean;
  readonly partitions: readonly PartitionRecoveryReport[];
  /** Problems with the dir's own files (an unreadable checkpoint, a stray directory). */
  readonly warnings: readonly string[];
}

export interface CleanupResult {
  readonly topic: string;
  readonly partition: number;
  readonly retention: RetentionResult | null;
  readonly compaction: CompactionResult | null;
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** Splits `<topic>-<partition>`; null for anything else. */
export function parsePartitionDirName(name: string): { topic: string; partition: number } | null {
  const dash = name.lastIndexOf('-');
  if (dash <= 0) return null;
  const topic = name.slice(0, dash);
  const partitionText = name.slice(dash + 1);
  if (!/^\d{1,10}$/.test(partitionText) || !TOPIC_NAME.test(topic) || topic.length > limits.topicNameMaxLength) return null;
  const partition = Number(partitionText);
  return partition <= 0x7fff_ffff ? { topic, partition } : null;
}

export class LogManager {
  private readonly logs = new Map<string, PartitionLog>();
  private readonly cleanerOffsets = new Map<string, number>();
  private isShutDown = false;

  private constructor(
    private readonly disk: Disk,
    readonly logDir: string,
    readonly brokerId: number,
    private readonly configFor: (topic: string) => LogConfig,
  ) {}

  /** Opens the broker's log dir, loading (and, after a crash, recovering) every partition log. */
  static open(options: LogManagerOptions): { manager: LogManager; report: LogDirRecoveryReport } {
    const { disk, brokerId } = options;
    if (!(Number.isInteger(brokerId) && brokerId >= 0)) assertFailed(`broker id ${brokerId}`);
    const logDir = `${options.dataDir}/broker-${brokerId}`;
    const manager = new LogManager(disk, logDir, brokerId, options.configFor);
    const warnings: string[] = [];
    disk.mkdirp(logDir);
    manager.checkMetaProperties();
    const hadCleanShutdown = disk.exists(`${logDir}/${CLEAN_SHUTDOWN_FILE}`);
    const recoveryPoints = manager.readCheckpoint(RECOVERY_POINT_CHECKPOINT_FILE, warnings);
    const logStartOffsets = manager.readCheckpoint(LOG_START_OFFSET_CHECKPOINT_FILE, warnings);
    const highWatermarks = manager.readCheckpoint(REPLICATION_OFFSET_CHECKPOINT_FILE, warnings);
    for (const [key, offset] of manager.readCheckpoint(CLEANER_OFFSET_CHECKPOINT_FILE, warnings)) manager.cleanerOffsets.set(key, offset);
    // A clean shutdown whose recovery points cannot be read is treated as a crash: re-scan everything.
    const trustClean = hadCleanShutdown && !warnings.some((w) => w.includes(RECOVERY_POINT_CHECKPOINT_FILE));
    const partitions: PartitionRecoveryReport[] = [];
    for (const name of disk.list(logDir)) {
      const path = `${logDir}/${name}`;
      if (name.endsWith(DELETE_DIR_SUFFIX)) {
        disk.remove(path);
        warnings.push(`finished deleting ${name}`);
        continue;
      }
      const parsed = parsePartitionDirName(name);
      if (parsed === null) continue;
      if (!(manager.logs.size < storageLimits.partitionsPerBrokerMax)) assertFailed(`more than ${storageLimits.partitionsPerBrokerMax} partitions in ${logDir}`);
      const key = partitionKey(parsed.topic, parsed.partition);
      const { log, report } = PartitionLog.open({
        disk,
        dir: path,
        topic: parsed.topic,
        partition: parsed.partition,
        config: options.configFor(parsed.topic),
        nowMs: options.nowMs,
        hadCleanShutdown: trustClean,
        recoveryPoint: recoveryPoints.get(key) ?? 0,
        logStartOffset: logStartOffsets.get(key) ?? 0,
        highWatermark: highWatermarks.get(key) ?? 0,
      });
      manager.logs.set(key, log);
      partitions.push(report);
    }
    // Kafka deletes the marker once the logs are loaded, so a crash from now on is detected.
    if (hadCleanShutdown) disk.remove(`${logDir}/${CLEAN_SHUTDOWN_FILE}`);
    manager.checkpoint();
    return { manager, report: { brokerId, logDir, hadCleanShutdown, partitions, warnings } };
  }

  private checkMetaProperties(): void {
    const path = `${this.logDir}/${META_PROPERTIES_FILE}`;
    if (!this.disk.exists(path)) {
      this.disk.writeFileAtomic(path, new TextEncoder().encode(`version=0\nbroker.id=${this.brokerId}\n`));
      return;
    }
    const text = new TextDecoder().decode(this.disk.readFile(path));
    const match = /^broker\.id=(\d+)$/m.exec(text);
    if (match === null || Number(match[1]) !== this.brokerId) {
      throw new KafkaError(
        'KAFKA_STORAGE_ERROR',
        `Stored node id ${match?.[1] ?? '(none)'} doesn't match previous node id ${this.brokerId} in meta.properties in ${this.logDir}`,
      );
    }
  }

  private readCheckpoint(file: string, warnings: string[]): Map<string, number> {
    const map = new Map<string, number>();
    try {
      for (const e of readOffsetCheckpoint(this.disk, `${this.logDir}/${file}`)) map.set(partitionKey(e.topic, e.partition), e.offset);
    } catch (error) {
      warnings.push(`${file} is unreadable and was ignored: ${(error as Error).message}`);
    }
    return map;
  }

  // ---- partitions -------------------------------------------------------------------------------

  getLog(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.get(partitionKey(topic, partition));
  }

  /** Every log, ordered by topic then partition. */
  allLogs(): PartitionLog[] {
    return [...this.logs.values()].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  }

  /** The partition's log, created empty (directory and first segment) if this broker has none yet. */
  getOrCreateLog(topic: string, partition: number, nowMs: number): PartitionLog {
    this.checkRunning();
    const key = partitionKey(topic, partition);
    const existing = this.logs.get(key);
    if (existing !== undefined) return existing;
    if (!TOPIC_NAME.test(topic) || topic.length > limits.topicNameMaxLength) {
      throw new KafkaError('INVALID_TOPIC_EXCEPTION', `Topic name "${topic}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`);
    }
    if (!(Number.isInteger(partition) && partition >= 0 && partition <= 0x7fff_ffff)) assertFailed(`partition ${partition}`);
    if (!(this.logs.size < storageLimits.partitionsPerBrokerMax)) assertFailed(`more than ${storageLimits.partitionsPerBrokerMax} partitions on broker ${this.brokerId}`);
    const { log } = PartitionLog.open({
      disk: this.disk,
      dir: `${this.logDir}/${key}`,
      topic,
      partition,
      config: this.configFor(topic),
      nowMs,
      hadCleanShutdown: true,
    });
    this.logs.set(key, log);
    return log;
  }

  /**
   * Removes a partition's log: the directory is renamed to `<name>-delete` first (so a crash midway
   * finishes the deletion at the next open), then removed. Returns whether the log existed.
   */
  deleteLog(topic: string, partition: number): boolean {
    this.checkRunning();
    const key = partitionKey(topic, partition);
    const log = this.logs.get(key);
    if (log === undefined) return false;
    this.logs.delete(key);
    this.cleanerOffsets.delete(key);
    log.deleteAllFiles();
    const dir = `${this.logDir}/${key}`;
    const doomed = `${dir}${DELETE_DIR_SUFFIX}`;
    if (this.disk.exists(doomed)) this.disk.remove(doomed);
    if (this.disk.exists(dir)) this.disk.rename(dir, doomed);
    this.disk.remove(doomed);
    this.checkpoint();
    return true;
  }

  /** Applies a topic's changed configs to its open logs. */
  updateTopicConfig(topic: string): void {
    const config = this.configFor(topic);
    for (const log of this.logs.values()) if (log.topic === topic) log.updateConfig(config);
  }

  // ---- periodic work ----------------------------------------------------------------------------

  /** Writes the recovery-point, log-start-offset, high-watermark and cleaner checkpoints. */
  checkpoint(): void {
    const online = this.allLogs().filter((log) => !log.isOffline);
    const entries = (pick: (log: PartitionLog) => number): TopicPartitionOffset[] => online.map((log) => ({ topic: log.topic, partition: log.partition, offset: pick(log) }));
    writeOffsetCheckpoint(this.disk, `${this.logDir}/${RECOVERY_POINT_CHECKPOINT_FILE}`, entries((log) => log.recoveryPoint));
    writeOffsetCheckpoint(this.disk, `${this.logDir}/${LOG_START_OFFSET_CHECKPOINT_FILE}`, entries((log) => log.logStartOffset));
    writeOffsetCheckpoint(this.disk, `${this.logDir}/${REPLICATION_OFFSET_CHECKPOINT_FILE}`, entries((log) => log.highWatermark));
    const cleaned = online
      .filter((log) => this.cleanerOffsets.has(partitionKey(log.topic, log.partition)))
      .map((log) => ({ topic: log.topic, partition: log.partition, offset: this.cleanerOffsets.get(partitionKey(log.topic, log.partition))! }));
    writeOffsetCheckpoint(this.disk, `${this.logDir}/${CLEANER_OFFSET_CHECKPOINT_FILE}`, cleaned);
  }

  /** Applies flush.ms to every log; returns how many flushed. */
  flushDirtyLogs(nowMs: number): number {
    let flushed = 0;
    for (const log of this.logs.values()) if (log.flushIfDue(nowMs)) flushed++;
    return flushed;
  }

  /** Retention for every log, then compaction for compacted ones (Kafka's log retention and cleaner threads, run inline). */
  cleanupLogs(nowMs: number, options: { forceCompaction?: boolean } = {}): CleanupResult[] {
    const results: CleanupResult[] = [];
    for (const log of this.allLogs()) {
      if (log.isOffline) continue;
      const retention = log.deleteOldSegments(nowMs);
      let compaction: CompactionResult | null = null;
      if (log.logConfig.cleanupCompact) {
        const key = partitionKey(log.topic, log.partition);
        compaction = compactLog(log, { nowMs, firstDirtyOffset: this.cleanerOffsets.get(key) ?? log.logStartOffset, force: options.forceCompaction ?? false });
        this.cleanerOffsets.set(key, compaction.firstDirtyOffset);
      }
      results.push({ topic: log.topic, partition: log.partition, retention, compaction });
    }
    return results;
  }

  /** Logs that went offline after a disk error, with why. */
  offlineLogs(): { topic: string; partition: number; reason: string }[] {
    return this.allLogs()
      .filter((log) => log.isOffline)
      .map((log) => ({ topic: log.topic, partition: log.partition, reason: log.offlineCause ?? '' }));
  }

  /**
   * Clean shutdown: flushes and closes every log, writes the checkpoints, then the marker that lets
   * the next open skip recovery. Not written when a log is offline (its recovery is needed).
   */
  shutdown(nowMs: number): void {
    if (this.isShutDown) return;
    for (const log of this.logs.values()) if (!log.isOffline) log.close(nowMs);
    this.checkpoint();
    if (this.offlineLogs().length === 0) this.disk.writeFileAtomic(`${this.logDir}/${CLEAN_SHUTDOWN_FILE}`, new Uint8Array(0));
    this.isShutDown = true;
  }

  private checkRunning(): void {
    if (this.isShutDown) throw new KafkaError('KAFKA_STORAGE_ERROR', `Log manager of broker ${this.brokerId} is shut down`);
  }
}
