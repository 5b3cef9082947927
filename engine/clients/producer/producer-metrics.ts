/**
 * The producer's metrics, named and computed as Kafka's producer metrics (SenderMetricsRegistry,
 * org.apache.kafka.common.metrics.stats): each is a sampled stat over `metrics.num.samples`
 * windows of `metrics.sample.window.ms`, measured at the Clock's time.
 *
 * - record-send-rate        records sent per second (Rate over a WindowedSum of records per request)
 * - records-per-request-avg average records per produce request
 * - batch-size-avg          average bytes per batch sent
 * - request-latency-avg     average ms from sending a produce request to its response (acks != 0)
 * - record-retry-rate       records re-enqueued for retry per second
 * - record-error-rate       records that failed per second
 * - buffer-available-bytes  buffer.memory not held by batches (a gauge)
 *
 * As in Kafka, an average with no samples in the window is NaN, and a rate divides by the elapsed
 * window, which is at least (samples - 1) full windows (Rate.windowSize), so a burst right after
 * start reads as spread over 30 s with the defaults.
 *
 * Invariants: each stat holds exactly metrics.num.samples samples (bounded); time never moves
 * backwards between records (asserted).
 */
import { assert, assertFailed } from '../../core/assert.js';

interface Sample {
  startMs: number;
  total: number;
  eventCount: number;
}

/** Kafka's SampledStat with the Avg / WindowedSum combine. */
class SampledStat {
  private readonly samples: Sample[] = [];
  private current = 0;
  private lastRecordMs = -Infinity;

  constructor(
    private readonly numSamples: number,
    private readonly windowMs: number,
  ) {
    assert(numSamples >= 1 && windowMs >= 1, `metrics need at least one sample of at least 1 ms`);
  }

  record(value: number, nowMs: number): void {
    if (!Number.isFinite(value)) assertFailed(`metric value ${value} must be finite`);
    if (!(nowMs >= this.lastRecordMs)) assertFailed(`metric recorded at ${nowMs} after ${this.lastRecordMs}`);
    this.lastRecordMs = nowMs;
    let sample = this.samples[this.current];
    if (sample === undefined) {
      sample = { startMs: nowMs, total: 0, eventCount: 0 };
      this.samples.push(sample);
    } else if (nowMs - sample.startMs >= this.windowMs) {
      this.current = (this.current + 1) % this.numSamples;
      sample = this.samples[this.current];
      if (sample === undefined) {
        sample = { startMs: nowMs, total: 0, eventCount: 0 };
        this.samples.push(sample);
      } else {
        reset(sample, nowMs);
      }
    }
    sample.total += value;
    sample.eventCount += 1;
    assert(this.samples.length <= this.numSamples, 'more samples than metrics.num.samples');
  }

  /** Sum and count of the samples still inside the window at `nowMs` (SampledStat.purgeObsoleteSamples). */
  measure(nowMs: number): { total: number; count: number; oldestStartMs: number } {
    const expireAgeMs = this.numSamples * this.windowMs;
    let total = 0;
    let count = 0;
    let oldestStartMs = nowMs;
    for (const sample of this.samples) {
      if (nowMs - sample.startMs >= expireAgeMs) reset(sample, nowMs);
      total += sample.total;
      count += sample.eventCount;
      oldestStartMs = Math.min(oldestStartMs, sample.startMs);
    }
    return { total, count, oldestStartMs };
  }

  average(nowMs: number): number {
    const { total, count } = this.measure(nowMs);
    return count === 0 ? Number.NaN : total / count;
  }

  /** Rate per second (Rate with WindowedSum, Rate.windowSize). */
  ratePerSecond(nowMs: number): number {
    const { total, oldestStartMs } = this.measure(nowMs);
    let elapsedMs = nowMs - oldestStartMs;
    const fullWindows = Math.floor(elapsedMs / this.windowMs);
    const minFullWindows = this.numSamples - 1;
    if (fullWindows < minFullWindows) elapsedMs += (minFullWindows - fullWindows) * this.windowMs;
    return elapsedMs <= 0 ? 0 : total / (elapsedMs / 1000);
  }
}

function reset(sample: Sample, nowMs: number): void {
  sample.startMs = nowMs;
  sample.total = 0;
  sample.eventCount = 0;
}

export type ProducerMetricName =
  | 'record-send-rate'
  | 'records-per-request-avg'
  | 'batch-size-avg'
  | 'request-latency-avg'
  | 'record-retry-rate'
  | 'record-error-rate'
  | 'buffer-available-bytes';

export type ProducerMetricsSnapshot = Readonly<Record<ProducerMetricName, number>>;

export class ProducerMetrics {
  private readonly recordsPerRequest: SampledStat;
  private readonly batchSize: SampledStat;
  private readonly requestLatency: SampledStat;
  private readonly retries: SampledStat;
  private readonly errors: SampledStat;

  constructor(numSamples: number, windowMs: number) {
    this.recordsPerRequest = new SampledStat(numSamples, windowMs);
    this.batchSize = new SampledStat(numSamples, windowMs);
    this.requestLatency = new SampledStat(numSamples, windowMs);
    this.retries = new SampledStat(numSamples, windowMs);
    this.errors = new SampledStat(numSamples, windowMs);
  }

  /** A produce request left with these batches (SenderMetrics.updateProduceRequestMetrics). */
  recordRequestSent(batchSizesBytes: readonly number[], recordCount: number, nowMs: number): void {
    for (const size of batchSizesBytes) this.batchSize.record(size, nowMs);
    this.recordsPerRequest.record(recordCount, nowMs);
  }

  recordLatency(latencyMs: number, nowMs: number): void {
    this.requestLatency.record(latencyMs, nowMs);
  }

  recordRetries(recordCount: number, nowMs: number): void {
    this.retries.record(recordCount, nowMs);
  }

  recordErrors(recordCount: number, nowMs: number): void {
    this.errors.record(recordCount, nowMs);
  }

  snapshot(nowMs: number, bufferAvailableBytes: number): ProducerMetricsSnapshot {
    return {
      'record-send-rate': this.recordsPerRequest.ratePerSecond(nowMs),
      'records-per-request-avg': this.recordsPerRequest.average(nowMs),
      'batch-size-avg': this.batchSize.average(nowMs),
      'request-latency-avg': this.requestLatency.average(nowMs),
      'record-retry-rate': this.retries.ratePerSecond(nowMs),
      'record-error-rate': this.errors.ratePerSecond(nowMs),
      'buffer-available-bytes': bufferAvailableBytes,
    };
  }
}
