/**
 * The consumer's metrics, named and computed as Kafka's consumer metrics
 * (consumer-fetch-manager-metrics, consumer-coordinator-metrics, consumer-metrics): sampled stats
 * over `metrics.num.samples` windows of `metrics.sample.window.ms`, measured at the Clock's time.
 *
 * - records-consumed-rate / -total   records returned by poll() per second / in all
 * - bytes-consumed-rate              fetched record bytes per second
 * - fetch-rate, fetch-latency-avg/-max   fetch requests per second and their round trip
 * - records-per-request-avg          records per fetch response
 * - records-lag-max                  the largest records-lag (high watermark - position) at the
 *                                    last fetch of each assigned partition
 * - commit-rate, commit-latency-avg  OffsetCommit requests answered
 * - rebalance-total, rebalance-latency-avg, failed-rebalance-total, last-rebalance-seconds-ago
 * - time-between-poll-avg/-max, last-poll-seconds-ago
 *
 * As in Kafka, an average with no samples in the window is NaN, a max with none is NaN, and a rate
 * divides by the elapsed window, which is at least (samples - 1) full windows (Rate.windowSize).
 *
 * Invariants: each stat holds at most metrics.num.samples samples; time never moves backwards
 * between records (asserted).
 */
import { assert, assertFailed } from '../../core/assert.js';

interface Sample {
  startMs: number;
  total: number;
  count: number;
  max: number;
}

/** Kafka's SampledStat, with the Avg, Max and WindowedSum combines over the same samples. */
export class SampledStat {
  private readonly samples: Sample[] = [];
  private current = 0;
  private lastRecordMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly numSamples: number,
    private readonly windowMs: number,
  ) {
    assert(numSamples >= 1 && windowMs >= 1, 'metrics need at least one sample of at least 1 ms');
  }

  record(value: number, nowMs: number): void {
    if (!Number.isFinite(value)) assertFailed(`metric value ${value} must be finite`);
    if (!(nowMs >= this.lastRecordMs)) assertFailed(`metric recorded at ${nowMs} after ${this.lastRecordMs}`);
    this.lastRecordMs = nowMs;
    const sample = this.currentSample(nowMs);
    sample.total += value;
    sample.count += 1;
    sample.max = Math.max(sample.max, value);
  }

  private currentSample(nowMs: number): Sample {
    let sample = this.samples[this.current];
    if (sample !== undefined && nowMs - sample.startMs < this.windowMs) return sample;
    if (sample !== undefined) this.current = (this.current + 1) % this.numSamples;
    sample = this.samples[this.current];
    if (sample === undefined) {
      sample = { startMs: nowMs, total: 0, count: 0, max: Number.NEGATIVE_INFINITY };
      this.samples.push(sample);
    } else {
      reset(sample, nowMs);
    }
    return sample;
  }

  private measure(nowMs: number): { total: number; count: number; max: number; oldestStartMs: number } {
    const expireAgeMs = this.numSamples * this.windowMs;
    let total = 0;
    let count = 0;
    let max = Number.NEGATIVE_INFINITY;
    let oldestStartMs = nowMs;
    for (const sample of this.samples) {
      if (nowMs - sample.startMs >= expireAgeMs) reset(sample, nowMs);
      total += sample.total;
      count += sample.count;
      max = Math.max(max, sample.max);
      oldestStartMs = Math.min(oldestStartMs, sample.startMs);
    }
    return { total, count, max, oldestStartMs };
  }

  average(nowMs: number): number {
    const { total, count } = this.measure(nowMs);
    return count === 0 ? Number.NaN : total / count;
  }

  max(nowMs: number): number {
    const { count, max } = this.measure(nowMs);
    return count === 0 ? Number.NaN : max;
  }

  /** Sum per second (Rate with WindowedSum). */
  ratePerSecond(nowMs: number): number {
    return this.perSecond(this.measure(nowMs).total, nowMs);
  }

  /** Events per second (Rate with WindowedCount). */
  countPerSecond(nowMs: number): number {
    return this.perSecond(this.measure(nowMs).count, nowMs);
  }

  private perSecond(amount: number, nowMs: number): number {
    const { oldestStartMs } = this.measure(nowMs);
    let elapsedMs = nowMs - oldestStartMs;
    const fullWindows = Math.floor(elapsedMs / this.windowMs);
    const minFullWindows = this.numSamples - 1;
    if (fullWindows < minFullWindows) elapsedMs += (minFullWindows - fullWindows) * this.windowMs;
    return elapsedMs <= 0 ? 0 : amount / (elapsedMs / 1000);
  }
}

function reset(sample: Sample, nowMs: number): void {
  sample.startMs = nowMs;
  sample.total = 0;
  sample.count = 0;
  sample.max = Number.NEGATIVE_INFINITY;
}

export type ConsumerMetricName =
  | 'records-consumed-rate'
  | 'records-consumed-total'
  | 'bytes-consumed-rate'
  | 'fetch-rate'
  | 'fetch-latency-avg'
  | 'fetch-latency-max'
  | 'records-per-request-avg'
  | 'records-lag-max'
  | 'commit-rate'
  | 'commit-latency-avg'
  | 'rebalance-total'
  | 'rebalance-latency-avg'
  | 'failed-rebalance-total'
  | 'last-rebalance-seconds-ago'
  | 'time-between-poll-avg'
  | 'time-between-poll-max'
  | 'last-poll-seconds-ago';

export class ConsumerMetrics {
  private readonly consumed: SampledStat;
  private readonly bytes: SampledStat;
  private readonly fetchLatency: SampledStat;
  private readonly recordsPerFetch: SampledStat;
  private readonly commitLatency: SampledStat;
  private readonly rebalanceLatency: SampledStat;
  private readonly timeBetweenPolls: SampledStat;
  private recordsConsumedTotal = 0;
  private rebalanceTotal = 0;
  private failedRebalanceTotal = 0;
  private lastRebalanceEndMs: number | null = null;
  /** When poll() was last called, null before the first call. */
  lastPollMs: number | null = null;

  constructor(numSamples: number, windowMs: number) {
    this.consumed = new SampledStat(numSamples, windowMs);
    this.bytes = new SampledStat(numSamples, windowMs);
    this.fetchLatency = new SampledStat(numSamples, windowMs);
    this.recordsPerFetch = new SampledStat(numSamples, windowMs);
    this.commitLatency = new SampledStat(numSamples, windowMs);
    this.rebalanceLatency = new SampledStat(numSamples, windowMs);
    this.timeBetweenPolls = new SampledStat(numSamples, windowMs);
  }

  recordPollStart(nowMs: number): void {
    if (this.lastPollMs !== null) this.timeBetweenPolls.record(nowMs - this.lastPollMs, nowMs);
    this.lastPollMs = nowMs;
  }

  recordConsumed(records: number, nowMs: number): void {
    this.consumed.record(records, nowMs);
    this.recordsConsumedTotal += records;
  }

  recordFetch(latencyMs: number, bytes: number, records: number, nowMs: number): void {
    this.fetchLatency.record(latencyMs, nowMs);
    this.bytes.record(bytes, nowMs);
    this.recordsPerFetch.record(records, nowMs);
  }

  recordCommit(latencyMs: number, nowMs: number): void {
    this.commitLatency.record(latencyMs, nowMs);
  }

  recordRebalance(latencyMs: number, nowMs: number): void {
    this.rebalanceLatency.record(latencyMs, nowMs);
    this.rebalanceTotal += 1;
    this.lastRebalanceEndMs = nowMs;
  }

  recordFailedRebalance(): void {
    this.failedRebalanceTotal += 1;
  }

  snapshot(nowMs: number, recordsLagMax: number): Readonly<Record<ConsumerMetricName, number>> {
    return {
      'records-consumed-rate': this.consumed.ratePerSecond(nowMs),
      'records-consumed-total': this.recordsConsumedTotal,
      'bytes-consumed-rate': this.bytes.ratePerSecond(nowMs),
      'fetch-rate': this.fetchLatency.countPerSecond(nowMs),
      'fetch-latency-avg': this.fetchLatency.average(nowMs),
      'fetch-latency-max': this.fetchLatency.max(nowMs),
      'records-per-request-avg': this.recordsPerFetch.average(nowMs),
      'records-lag-max': recordsLagMax,
      'commit-rate': this.commitLatency.countPerSecond(nowMs),
      'commit-latency-avg': this.commitLatency.average(nowMs),
      'rebalance-total': this.rebalanceTotal,
      'rebalance-latency-avg': this.rebalanceLatency.average(nowMs),
      'failed-rebalance-total': this.failedRebalanceTotal,
      'last-rebalance-seconds-ago': this.lastRebalanceEndMs === null ? -1 : Math.floor((nowMs - this.lastRebalanceEndMs) / 1000),
      'time-between-poll-avg': this.timeBetweenPolls.average(nowMs),
      'time-between-poll-max': this.timeBetweenPolls.max(nowMs),
      'last-poll-seconds-ago': this.lastPollMs === null ? -1 : Math.floor((nowMs - this.lastPollMs) / 1000),
    };
  }
}
