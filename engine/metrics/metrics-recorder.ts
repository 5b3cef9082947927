/**
 * Samples the cluster's, the groups' and the clients' figures on the engine clock into bounded
 * rings, evaluates lag status continuously, and hands out snapshots and bounded deltas for the
 * `metrics` event.
 *
 * Every `sampleIntervalMs` of engine time (an engine timer, so a skip ahead samples as often as
 * real time would) it reads the sources once and appends one point to every series:
 * - per partition: logEndOffset, highWatermark, isrSize, produceRate (log end offset advance per second);
 * - per group and partition: committedOffset, lag (high watermark − committed: what consumers can
 *   read), timeLagMs (now − timestamp of the record at the committed offset; 0 when caught up),
 *   consumeRate (committed offset advance per second), etaMs (lag / (consume − produce rate) while
 *   catching up, else null);
 * - per producer: sendRate, latencyAvgMs; per service replica: processedRate.
 * Rates are measured over `rateWindowMs`. Series get small integer ids on first sight (never
 * reused) and go away when their source does (a deleted topic, a closed producer, a removed group).
 *
 * Invariants:
 * - at most `metricsLimits.seriesMax` series; past it new ones are refused and counted
 *   (`refusedSeries`, per sample); every ring holds at most `metricsLimits.ringCapacity` points;
 * - every live series has exactly one point per sample since it appeared, so the instant of a
 *   point is the instant of that sample (deltas line values up by sample);
 * - a delta carries at most `metricsLimits.samplesPerPushMax` sample instants (the newest, the rest
 *   evenly spaced), so a skip of an hour costs one small push;
 * - lag statuses in deltas stay within a byte budget that refills by `lagStatusBytesPerPush` per
 *   takeDelta call up to `lagStatusBurstBytes`, so a flapping group cannot flood the stream;
 * - the recorder reads time only from its Clock and schedules only on its Timers.
 */
import type { GroupLagStatus, MetricsDelta, MetricsSnapshot, SeriesKey } from '../api/metrics-dto.js';
import { assertFailed } from '../core/assert.js';
import type { Clock } from '../core/clock.js';
import type { TimerHandle, Timers } from '../core/timers.js';
import { tpKey } from '../groups/assignors/assignor-support.js';
import {
  RETENTION_LOST_PREFIX,
  defaultLagRules,
  evaluatePartition,
  notFoundGroup,
  rollUpGroup,
  worstPartition,
  type LagRules,
  type LagSample,
  type PartitionLagResult,
  type RetentionInput,
} from './lag-status.js';
import { metricsDefaults, metricsLimits } from './metrics-limits.js';
import type { GroupPartitionSource, MetricsSources, PartitionSource } from './metrics-sources.js';
import { TimeSeriesRing } from './time-series-ring.js';
import type { TimelineSink } from './timeline-sink.js';

export interface MetricsRecorderOptions {
  readonly sources: MetricsSources;
  readonly clock: Clock;
  readonly timers: Timers;
  /** Engine ms between samples (default 1000). */
  readonly sampleIntervalMs?: number;
  /** Where lag status changes and retention warnings are reported. */
  readonly timeline?: TimelineSink;
  /** Engine ms rates are measured over (default `metricsDefaults.rateWindowMs`). */
  readonly rateWindowMs?: number;
  readonly lagRules?: Partial<LagRules>;
}

/** How much the recorder holds, for the memory test: the same numbers after 10 minutes and after an hour. */
export interface RingSizes {
  readonly series: number;
  /** Points held in all series rings. */
  readonly points: number;
  readonly instants: number;
  /** Points held in the raw counter rings behind the rates. */
  readonly counterPoints: number;
  readonly groups: number;
  /** Lag samples and commit points held for the lag evaluation. */
  readonly lagSamples: number;
}

interface SeriesState {
  readonly id: number;
  readonly key: SeriesKey;
  readonly ring: TimeSeriesRing;
  seenTick: number;
}

interface CounterState {
  readonly ring: TimeSeriesRing;
  seenTick: number;
}

/** One group partition's lag history. */
interface LagTracker {
  /** The last `windowSamples` samples where the committed offset was known. */
  window: LagSample[];
  /** The samples right after the last `commitPointsMax` commits seen. */
  commits: LagSample[];
  lastCommitted: number | null;
  lastCommitMs: number | null;
  /** The retention warning last reported: none, records at risk, or records already lost. */
  retention: 'none' | 'risk' | 'lost';
  seenTick: number;
}

interface GroupState {
  readonly groupId: string;
  readonly partitions: Map<string, LagTracker>;
  status: GroupLagStatus;
  /** The status as JSON, and what a change of status or rule looks like. */
  json: string;
  signature: string;
  /** What the last delta carried of this group, and at which takeDelta call. */
  sent: { readonly json: string; readonly signature: string; readonly call: number } | null;
  /** The open timeline span of a non-OK status, and what it says. */
  spanId: number | null;
  spanSignature: string;
  seenTick: number;
}

interface PartitionReading {
  readonly source: PartitionSource;
  readonly produceRate: number | null;
}

export class MetricsRecorder {
  readonly sampleIntervalMs: number;
  /** Series refused at the latest sample because `seriesMax` were already recorded. */
  refusedSeries = 0;
  private readonly sources: MetricsSources;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly timeline: TimelineSink | null;
  private readonly rateWindowMs: number;
  private readonly rules: LagRules;
  private readonly series = new Map<string, SeriesState>();
  private readonly counters = new Map<string, CounterState>();
  private readonly groups = new Map<string, GroupState>();
  /** Instant of every sample (value: its tick number). */
  private readonly instants = new TimeSeriesRing(metricsLimits.ringCapacity);
  private nextSeriesId = 0;
  private tick = 0;
  private timer: TimerHandle | null = null;
  private closed = false;
  // What the next delta carries.
  private seq = 0;
  private takeCalls = 0;
  /** Bytes of lag status the next pushes may carry (see `metricsLimits.lagStatusBytesPerPush`). */
  private lagBudgetBytes: number = metricsLimits.lagStatusBurstBytes;
  private lastPushedTick = 0;
  private readonly pendingAdded = new Map<number, SeriesKey>();
  private pendingRemoved: number[] = [];
  /** Groups that went away since the last delta, to report as NOTFOUND once. */
  private readonly vanished = new Set<string>();

  constructor(options: MetricsRecorderOptions) {
    this.sources = options.sources;
    this.clock = options.clock;
    this.timers = options.timers;
    this.timeline = options.timeline ?? null;
    this.sampleIntervalMs = options.sampleIntervalMs ?? metricsDefaults.sampleIntervalMs;
    this.rateWindowMs = options.rateWindowMs ?? metricsDefaults.rateWindowMs;
    this.rules = { ...defaultLagRules, ...options.lagRules };
    if (!(Number.isInteger(this.sampleIntervalMs) && this.sampleIntervalMs >= 1)) assertFailed(`sample interval ${this.sampleIntervalMs} ms must be a positive integer`);
    if (!(this.rateWindowMs >= this.sampleIntervalMs)) assertFailed(`rate window ${this.rateWindowMs} ms must cover at least one sample interval`);
    if (!(this.rules.windowSamples >= 2 && this.rules.windowSamples <= metricsLimits.ringCapacity)) assertFailed(`lag window of ${this.rules.windowSamples} samples must be 2..${metricsLimits.ringCapacity}`);
    this.schedule();
  }

  /** Every series with all its points, and the lag status of every group. */
  snapshot(): MetricsSnapshot {
    return {
      seq: this.seq,
      nowMs: this.clock.nowMs(),
      sampleIntervalMs: this.sampleIntervalMs,
      ringCapacity: metricsLimits.ringCapacity,
      series: [...this.series.values()].map((s) => ({ id: s.id, key: s.key, ...s.ring.toColumns() })),
      lagStatus: [...this.groups.values()].map((g) => g.status),
    };
  }

  /**
   * What happened since the previous call: new and removed series, the samples taken (at most
   * `samplesPerPushMax` instants), and the lag statuses that changed; null when nothing did.
   * The host calls it on its push cadence (every 100 ms): lag statuses go out within a byte budget
   * per call, changed statuses first, moved numbers at most every `lagStatusRefreshPushes` calls.
   */
  takeDelta(): MetricsDelta | null {
    this.takeCalls += 1;
    const instants = this.pendingInstants();
    const lagStatus = this.pendingLagStatuses();
    if (instants.length === 0 && this.pendingAdded.size === 0 && this.pendingRemoved.length === 0 && lagStatus.length === 0) return null;
    const live = [...this.series.values()];
    const columns = instants.length === 0 ? [] : live.map((s) => s.id);
    const samples = instants.map((i) => {
      const sampleTick = this.instants.valueAt(i)!;
      return { tMs: this.instants.timeAt(i), values: live.map((s) => valueAtTick(s.ring, this.tick, sampleTick)) };
    });
    this.seq += 1;
    const delta: MetricsDelta = {
      seq: this.seq,
      nowMs: this.clock.nowMs(),
      added: [...this.pendingAdded].map(([id, key]) => ({ id, key })),
      removed: this.pendingRemoved,
      columns,
      samples,
      lagStatus,
    };
    this.pendingAdded.clear();
    this.pendingRemoved = [];
    this.lastPushedTick = this.tick;
    return delta;
  }

  /** The lag status of every group, or of one (NOTFOUND when the group is unknown). */
  lagStatus(): GroupLagStatus[];
  lagStatus(groupId: string): GroupLagStatus;
  lagStatus(groupId?: string): GroupLagStatus | GroupLagStatus[] {
    if (groupId === undefined) return [...this.groups.values()].map((g) => g.status);
    return this.groups.get(groupId)?.status ?? notFoundGroup(groupId);
  }

  ringSizes(): RingSizes {
    let points = 0;
    for (const s of this.series.values()) points += s.ring.size;
    let counterPoints = 0;
    for (const c of this.counters.values()) counterPoints += c.ring.size;
    let lagSamples = 0;
    for (const g of this.groups.values()) for (const t of g.partitions.values()) lagSamples += t.window.length + t.commits.length;
    return { series: this.series.size, points, instants: this.instants.size, counterPoints, groups: this.groups.size, lagSamples };
  }

  /** Stops sampling; the rings stay readable. */
  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.timer = null;
  }

  // ---------------------------------------------------------------------------------------------
  // Sampling
  // ---------------------------------------------------------------------------------------------

  private schedule(): void {
    if (this.closed) return;
    this.timer = this.timers.after(this.sampleIntervalMs, () => {
      this.timer = null;
      this.sample();
      this.schedule();
    });
  }

  private sample(): void {
    const nowMs = this.clock.nowMs();
    this.tick += 1;
    this.refusedSeries = 0;
    this.instants.append(nowMs, this.tick);
    const partitions = this.samplePartitions(nowMs);
    this.sampleGroups(nowMs, partitions);
    this.sampleProducers(nowMs);
    this.sampleServices(nowMs);
    this.sweep(nowMs);
  }

  private samplePartitions(nowMs: number): Map<string, PartitionReading> {
    const readings = new Map<string, PartitionReading>();
    for (const p of this.sources.partitions()) {
      const key = tpKey(p);
      if (readings.has(key)) continue;
      const base = { scope: 'partition', topic: p.topic, partition: p.partition } as const;
      const leo = this.record({ ...base, metric: 'logEndOffset' }, nowMs, p.logEndOffset);
      this.record({ ...base, metric: 'highWatermark' }, nowMs, p.highWatermark);
      this.record({ ...base, metric: 'isrSize' }, nowMs, p.isrSize);
      const produceRate = leo === null ? null : offsetRate(leo, this.rateWindowMs);
      this.record({ ...base, metric: 'produceRate' }, nowMs, roundRate(produceRate));
      readings.set(key, { source: p, produceRate });
    }
    return readings;
  }

  private sampleGroups(nowMs: number, partitions: ReadonlyMap<string, PartitionReading>): void {
    for (const g of this.sources.groups()) {
      const state = this.groupState(g.groupId);
      if (state === null || state.seenTick === this.tick) continue;
      state.seenTick = this.tick;
      const results: PartitionLagResult[] = [];
      for (const gp of g.partitions) {
        // A partition of a deleted topic: Kafka removes the group's offsets for it as well.
        const reading = partitions.get(tpKey(gp));
        const tracker = reading === undefined ? null : this.tracker(state, gp);
        if (reading !== undefined && tracker !== null) results.push(this.sampleGroupPartition(state.groupId, gp, reading, tracker, nowMs));
      }
      this.updateGroupStatus(state, rollUpGroup(state.groupId, results), nowMs);
    }
  }

  private sampleGroupPartition(groupId: string, gp: GroupPartitionSource, reading: PartitionReading, tracker: LagTracker, nowMs: number): PartitionLagResult {
    const p = reading.source;
    const committed = gp.committedOffset;
    observeCommit(tracker, gp, p, nowMs, this.rules);
    const lag = committed === null || p.highWatermark === null ? null : Math.max(0, p.highWatermark - committed);
    const oldestMs = this.oldestUnconsumedMs(p, committed);
    // The series draws 0 when caught up; the status says null (nothing is unconsumed).
    const timeLagMs = lag === 0 ? 0 : oldestMs === null ? null : Math.max(0, nowMs - oldestMs);
    const base = { scope: 'group', groupId, topic: gp.topic, partition: gp.partition } as const;
    const committedRing = this.record({ ...base, metric: 'committedOffset' }, nowMs, committed);
    this.record({ ...base, metric: 'lag' }, nowMs, lag);
    this.record({ ...base, metric: 'timeLagMs' }, nowMs, timeLagMs);
    const consumeRate = commitRate(tracker, committed, nowMs) ?? (committedRing === null ? null : offsetRate(committedRing, this.rateWindowMs));
    const etaMs = etaMsOf(lag, consumeRate, reading.produceRate);
    this.record({ ...base, metric: 'consumeRate' }, nowMs, roundRate(consumeRate));
    this.record({ ...base, metric: 'etaMs' }, nowMs, etaMs);
    const result = evaluatePartition(
      {
        topic: gp.topic,
        partition: gp.partition,
        nowMs,
        window: tracker.window,
        commits: tracker.commits,
        timeLagMs: lag === 0 ? null : timeLagMs,
        consumeRatePerSec: roundRate(consumeRate),
        produceRatePerSec: roundRate(reading.produceRate),
        etaMs,
        retention: committed === null ? null : this.retentionInput(p, committed, oldestMs, nowMs),
      },
      this.rules,
    );
    this.reportRetention(groupId, tracker, result, nowMs);
    return result;
  }

  /** Timestamp of the oldest unconsumed record still in the log (at the committed offset, or the log start if later); null when nothing is unconsumed or unknown. */
  private oldestUnconsumedMs(p: PartitionSource, committed: number | null): number | null {
    if (committed === null || p.highWatermark === null) return null;
    const offset = Math.max(committed, p.logStartOffset ?? committed);
    return offset >= p.highWatermark ? null : this.sources.recordTimestampMs(p.topic, p.partition, offset);
  }

  private retentionInput(p: PartitionSource, committed: number, oldestUnconsumedMs: number | null, nowMs: number): RetentionInput {
    return {
      nowMs,
      committedOffset: committed,
      logStartOffset: p.logStartOffset,
      logEndOffset: p.logEndOffset,
      highWatermark: p.highWatermark,
      retentionMs: p.retentionMs,
      retentionBytes: p.retentionBytes,
      sizeBytes: p.sizeBytes,
      oldestUnconsumedTimestampMs: oldestUnconsumedMs,
    };
  }

  private sampleProducers(nowMs: number): void {
    for (const p of this.sources.producers()) {
      const base = { scope: 'producer', clientId: p.clientId } as const;
      const total = this.counter(`producer\0${p.clientId}`, nowMs, p.sendTotal);
      this.record({ ...base, metric: 'sendRate' }, nowMs, roundRate(total === null ? null : counterRate(total, this.rateWindowMs)));
      this.record({ ...base, metric: 'latencyAvgMs' }, nowMs, p.latencyAvgMs === null ? null : Math.round(p.latencyAvgMs * 10) / 10);
    }
  }

  private sampleServices(nowMs: number): void {
    for (const s of this.sources.services()) {
      const total = this.counter(`service\0${s.replicaId}`, nowMs, s.processedTotal);
      this.record({ scope: 'service', replicaId: s.replicaId, metric: 'processedRate' }, nowMs, roundRate(total === null ? null : counterRate(total, this.rateWindowMs)));
    }
  }

  /** Appends this sample's value to a series (created on first sight); null when refused or already sampled this tick. */
  private record(key: SeriesKey, nowMs: number, value: number | null): TimeSeriesRing | null {
    const name = seriesName(key);
    let state = this.series.get(name);
    if (state === undefined) {
      if (this.series.size >= metricsLimits.seriesMax) {
        this.refusedSeries += 1;
        return null;
      }
      state = { id: this.nextSeriesId++, key, ring: new TimeSeriesRing(metricsLimits.ringCapacity), seenTick: 0 };
      this.series.set(name, state);
      this.pendingAdded.set(state.id, key);
    }
    // A source listed twice in one sample keeps its first value: one point per sample.
    if (state.seenTick === this.tick) return null;
    state.seenTick = this.tick;
    state.ring.append(nowMs, value === null || Number.isFinite(value) ? value : null);
    return state.ring;
  }

  /** Appends a raw counter (records sent, processed) to the short ring its rate is measured on. */
  private counter(name: string, nowMs: number, total: number): TimeSeriesRing | null {
    let state = this.counters.get(name);
    if (state === undefined) {
      if (this.counters.size >= metricsLimits.seriesMax) return null;
      state = { ring: new TimeSeriesRing(Math.ceil(this.rateWindowMs / this.sampleIntervalMs) + 1), seenTick: 0 };
      this.counters.set(name, state);
    }
    if (state.seenTick === this.tick) return null;
    state.seenTick = this.tick;
    state.ring.append(nowMs, Number.isFinite(total) ? total : null);
    return state.ring;
  }

  private groupState(groupId: string): GroupState | null {
    let state = this.groups.get(groupId);
    if (state === undefined) {
      if (this.groups.size >= metricsLimits.groupsTrackedMax) return null;
      const status = notFoundGroup(groupId);
      state = { groupId, partitions: new Map(), status, json: '', signature: '', sent: null, spanId: null, spanSignature: 'OK', seenTick: 0 };
      this.groups.set(groupId, state);
      this.vanished.delete(groupId);
    }
    return state;
  }

  private tracker(state: GroupState, gp: GroupPartitionSource): LagTracker | null {
    const key = tpKey(gp);
    let tracker = state.partitions.get(key);
    if (tracker === undefined) {
      tracker = { window: [], commits: [], lastCommitted: null, lastCommitMs: null, retention: 'none', seenTick: 0 };
      state.partitions.set(key, tracker);
    }
    if (tracker.seenTick === this.tick) return null;
    tracker.seenTick = this.tick;
    return tracker;
  }

  // ---------------------------------------------------------------------------------------------
  // Lag status
  // ---------------------------------------------------------------------------------------------

  private updateGroupStatus(state: GroupState, status: GroupLagStatus, nowMs: number): void {
    state.status = status;
    state.json = JSON.stringify(status);
    state.signature = statusSignature(status);
    const worst = worstPartition(status);
    const spanSignature = worst === null ? 'OK' : `${status.status}:${worst.topic}:${worst.partition}:${worst.status}:${worst.rule}`;
    if (spanSignature === state.spanSignature) return;
    state.spanSignature = spanSignature;
    this.endSpan(state, nowMs);
    if (worst !== null && this.timeline !== null) {
      state.spanId = this.timeline.add({
        atMs: nowMs,
        kind: 'lag-status',
        severity: status.status === 'ERR' ? 'error' : 'warn',
        code: `lag-status.${status.status.toLowerCase()}`,
        params: { groupId: status.groupId, status: status.status, topic: worst.topic, partition: worst.partition, partitionStatus: worst.status, rule: worst.rule },
        text: `Consumer group ${status.groupId} is ${status.status}: ${worst.topic}-${worst.partition} is ${worst.status} (${worst.rule}). ${worst.reason}`,
      });
    }
  }

  private endSpan(state: GroupState, nowMs: number): void {
    if (state.spanId !== null) this.timeline?.end(state.spanId, nowMs);
    state.spanId = null;
  }

  /** A retention warning goes on the timeline when it appears, and again when records at risk are lost. */
  private reportRetention(groupId: string, tracker: LagTracker, result: PartitionLagResult, nowMs: number): void {
    const warning = result.status.retentionWarning;
    const kind = warning === null ? 'none' : warning.startsWith(RETENTION_LOST_PREFIX) ? 'lost' : 'risk';
    const changed = kind !== tracker.retention;
    tracker.retention = kind;
    if (!changed || warning === null || this.timeline === null) return;
    const lost = kind === 'lost';
    this.timeline.add({
      atMs: nowMs,
      kind: lost ? 'data-loss' : 'lag-status',
      severity: lost ? 'error' : 'warn',
      code: lost ? 'lag-status.retention-lost' : 'lag-status.retention-risk',
      params: { groupId, topic: result.status.topic, partition: result.status.partition },
      text: `Consumer group ${groupId}, ${result.status.topic}-${result.status.partition}: ${warning}`,
    });
  }

  /**
   * Groups to push, within the byte budget: those whose statuses changed first, then those whose
   * numbers moved and were last pushed `lagStatusRefreshPushes` calls ago or more; the longest
   * waiting first. A group larger than the whole budget goes when the budget is full.
   */
  private pendingLagStatuses(): GroupLagStatus[] {
    const out: GroupLagStatus[] = [];
    for (const groupId of this.vanished) out.push(notFoundGroup(groupId));
    this.vanished.clear();
    this.lagBudgetBytes = Math.min(metricsLimits.lagStatusBurstBytes, this.lagBudgetBytes + metricsLimits.lagStatusBytesPerPush);
    const waiting: { state: GroupState; urgent: boolean; since: number }[] = [];
    for (const state of this.groups.values()) {
      const sent = state.sent;
      if (state.seenTick === 0 || sent?.json === state.json) continue;
      const urgent = sent === null || sent.signature !== state.signature;
      if (urgent || this.takeCalls - sent.call >= metricsLimits.lagStatusRefreshPushes) waiting.push({ state, urgent, since: sent?.call ?? -1 });
    }
    waiting.sort((a, b) => Number(b.urgent) - Number(a.urgent) || a.since - b.since);
    for (const { state } of waiting) {
      const bytes = state.json.length;
      if (this.lagBudgetBytes < Math.min(bytes, metricsLimits.lagStatusBurstBytes)) break;
      this.lagBudgetBytes -= bytes;
      state.sent = { json: state.json, signature: state.signature, call: this.takeCalls };
      out.push(state.status);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Deltas and removal
  // ---------------------------------------------------------------------------------------------

  /** Ring indexes of the instants to push: every new one, or `samplesPerPushMax` evenly spaced ending at the newest. */
  private pendingInstants(): number[] {
    const fresh = Math.min(this.tick - this.lastPushedTick, this.instants.size);
    if (fresh <= 0) return [];
    return decimate(this.instants.size, fresh, metricsLimits.samplesPerPushMax);
  }

  /** Drops every series, counter, group and partition whose source was not seen in this sample. */
  private sweep(nowMs: number): void {
    for (const [name, state] of this.series) {
      if (state.seenTick === this.tick) continue;
      this.series.delete(name);
      if (this.pendingAdded.has(state.id)) this.pendingAdded.delete(state.id);
      else this.pendingRemoved.push(state.id);
    }
    for (const [name, state] of this.counters) if (state.seenTick !== this.tick) this.counters.delete(name);
    for (const [groupId, state] of this.groups) {
      if (state.seenTick !== this.tick) {
        this.endSpan(state, nowMs);
        this.groups.delete(groupId);
        // Also when no delta carried it yet: a snapshot may have.
        this.vanished.add(groupId);
        continue;
      }
      for (const [key, tracker] of state.partitions) if (tracker.seenTick !== this.tick) state.partitions.delete(key);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Pure helpers
// ---------------------------------------------------------------------------------------------

/** Updates a partition's lag window and commit points with this sample. */
function observeCommit(tracker: LagTracker, gp: GroupPartitionSource, p: PartitionSource, nowMs: number, rules: LagRules): void {
  const committed = gp.committedOffset;
  if (committed === null) {
    // No committed offset (expired, deleted): the history no longer describes this partition.
    tracker.window = [];
    tracker.commits = [];
    tracker.lastCommitted = null;
    tracker.lastCommitMs = null;
    return;
  }
  const reported = gp.lastCommitMs ?? null;
  const moved = tracker.lastCommitted !== null && committed !== tracker.lastCommitted;
  const recommitted = reported !== null && tracker.lastCommitMs !== null && reported > tracker.lastCommitMs;
  // Without the coordinator's time, the sample where the offset moved stands for the commit.
  const lastCommitMs = reported ?? (moved || tracker.lastCommitMs === null ? nowMs : tracker.lastCommitMs);
  const sample: LagSample = { tMs: nowMs, committedOffset: committed, logEndOffset: p.logEndOffset, highWatermark: p.highWatermark, lastCommitMs };
  tracker.window = [...tracker.window.slice(-(rules.windowSamples - 1)), sample];
  if (tracker.lastCommitted !== null && (moved || recommitted)) tracker.commits = [...tracker.commits.slice(-(metricsDefaults.commitPointsMax - 1)), sample];
  tracker.lastCommitted = committed;
  tracker.lastCommitMs = lastCommitMs;
}

/**
 * Offsets per second between the oldest and the newest remembered commit: a consumer that commits
 * once per batch moves its committed offset in jumps, and a short window would see one jump (far too
 * fast) or none (zero). When no commit came for longer than that span, the rate runs until now, so a
 * consumer that stopped slows down to zero. Null with fewer than two commits remembered.
 */
function commitRate(tracker: LagTracker, committed: number | null, nowMs: number): number | null {
  const first = tracker.commits[0];
  const last = tracker.commits.at(-1);
  if (committed === null || first === undefined || last === undefined || tracker.commits.length < 2 || last.tMs <= first.tMs) return null;
  const spanMs = last.tMs - first.tMs;
  const endMs = nowMs - last.tMs > spanMs ? nowMs : last.tMs;
  return Math.max(0, committed - first.committedOffset) / ((endMs - first.tMs) / 1000);
}

/** Offsets per second over the window ending at the newest point (floored at 0: a truncation is no negative rate). */
export function offsetRate(ring: TimeSeriesRing, windowMs: number): number | null {
  const from = oldestInWindow(ring, windowMs);
  if (from === null) return null;
  const newest = ring.size - 1;
  return Math.max(0, ((ring.valueAt(newest)! - ring.valueAt(from)!) * 1000) / (ring.timeAt(newest) - ring.timeAt(from)));
}

/** A counter's increase per second over the window; a counter that went down restarted from 0 (a restarted client). */
export function counterRate(ring: TimeSeriesRing, windowMs: number): number | null {
  const from = oldestInWindow(ring, windowMs);
  if (from === null) return null;
  let increase = 0;
  let previous: number | null = null;
  for (let i = from; i < ring.size; i++) {
    const value = ring.valueAt(i);
    if (value === null) continue;
    if (previous !== null) increase += value >= previous ? value - previous : value;
    previous = value;
  }
  return (increase * 1000) / (ring.timeAt(ring.size - 1) - ring.timeAt(from));
}

/** Index of the oldest point with a value within `windowMs` of the newest (which must have one); null if none or no time between them. */
function oldestInWindow(ring: TimeSeriesRing, windowMs: number): number | null {
  const newest = ring.size - 1;
  if (newest < 1 || ring.valueAt(newest) === null) return null;
  const newestMs = ring.timeAt(newest);
  let from: number | null = null;
  for (let i = newest - 1; i >= 0 && newestMs - ring.timeAt(i) <= windowMs; i--) if (ring.valueAt(i) !== null) from = i;
  return from === null || ring.timeAt(from) === newestMs ? null : from;
}

/** When the group catches up at the current rates: 0 when caught up, null when not catching up. */
export function etaMsOf(lag: number | null, consumeRate: number | null, produceRate: number | null): number | null {
  if (lag === null) return null;
  if (lag === 0) return 0;
  if (consumeRate === null || produceRate === null || consumeRate <= produceRate) return null;
  return Math.round((lag / (consumeRate - produceRate)) * 1000);
}

/**
 * `count` indexes among the newest `fresh` of a ring of `size`, evenly spaced, the newest always
 * included, ascending; all of them when `fresh` <= `count`.
 */
export function decimate(size: number, fresh: number, count: number): number[] {
  const m = Math.min(fresh, count);
  const out: number[] = [];
  for (let k = 0; k < m; k++) {
    const fromNewest = m === 1 ? 0 : Math.round(((m - 1 - k) * (fresh - 1)) / (m - 1));
    out.push(size - 1 - fromNewest);
  }
  return out;
}

/** The value a series had at sample `sampleTick`, given that it has one point per sample up to `currentTick`. */
function valueAtTick(ring: TimeSeriesRing, currentTick: number, sampleTick: number): number | null {
  const index = ring.size - 1 - (currentTick - sampleTick);
  return index < 0 ? null : ring.valueAt(index);
}

/** Rates to a tenth of a record per second: what a chart shows, and a few bytes less per value in every push. */
function roundRate(rate: number | null): number | null {
  return rate === null ? null : Math.round(rate * 10) / 10;
}

function seriesName(key: SeriesKey): string {
  switch (key.scope) {
    case 'partition':
      return `p\0${key.topic}\0${key.partition}\0${key.metric}`;
    case 'group':
      return `g\0${key.groupId}\0${key.topic}\0${key.partition}\0${key.metric}`;
    case 'producer':
      return `c\0${key.clientId}\0${key.metric}`;
    case 'service':
      return `s\0${key.replicaId}\0${key.metric}`;
  }
}

/**
 * What an urgent change of lag status looks like: the group's and each partition's status, the rule
 * of a status that is not OK, the retention flag; not the moving numbers, nor which OK rule applies
 * (a busy partition flips between them with every record).
 */
function statusSignature(status: GroupLagStatus): string {
  const parts = status.partitions.map((p) => `${p.topic}:${p.partition}:${p.status === 'OK' ? 'OK' : `${p.status}:${p.rule}`}:${p.retentionWarning === null ? '' : 'R'}`);
  return `${status.status}|${parts.join(',')}`;
}

