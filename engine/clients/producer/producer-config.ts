/**
 * The producer's configuration: Kafka's producer configs (3.x names and defaults), in camelCase
 * with units in the names, validated with a closed zod schema, then resolved the way Java's
 * ProducerConfig and KafkaProducer resolve them:
 *
 * - acks default "all" (-1), enable.idempotence default true, retries default Integer.MAX_VALUE,
 *   max.in.flight.requests.per.connection 5, batch.size 16384, linger.ms 0 (Kafka 3.x; Kafka 4.0
 *   changed the default to 5 ms, KIP-1030 - this producer follows 3.x), buffer.memory 33554432,
 *   max.block.ms 60000, max.request.size 1048576, request.timeout.ms 30000, delivery.timeout.ms
 *   120000, retry.backoff.ms 100, retry.backoff.max.ms 1000 (KIP-580, 3.7+), compression.type none,
 *   metadata.max.age.ms 300000, metrics.sample.window.ms 30000, metrics.num.samples 2;
 * - idempotence (ProducerConfig.postProcessAndValidateIdempotenceConfigs, 3.x): it needs
 *   retries > 0, acks=all and max.in.flight <= 5. When enable.idempotence was set explicitly, a
 *   conflicting value is a ConfigException with Kafka's message; when it was left at its default,
 *   idempotence is silently turned off instead (Kafka 3.x logs at INFO/WARN);
 * - delivery.timeout.ms must be >= linger.ms + request.timeout.ms: a ConfigException when it was
 *   set explicitly, otherwise raised to that sum (KafkaProducer.configureDeliveryTimeout);
 * - batch.size 0 means batching off: Java uses max(1, batch.size) for the accumulator;
 * - retry.backoff.ms above retry.backoff.max.ms gives a static backoff of retry.backoff.ms.
 *
 * Bounds beyond Kafka's own ranges come from producer-limits.ts. Only 'none' and 'gzip' compression
 * exist here (the storage codec's codecs).
 *
 * Invariants: a resolved config satisfies Kafka's cross-checks (idempotence => acks=-1, retries > 0,
 * max.in.flight <= 5; delivery.timeout.ms >= linger.ms + request.timeout.ms); resolution is pure
 * (no process-wide state), so a replay resolves the same values.
 */
import { z } from 'zod';
import { PartitionerConfigSchema, type PartitionerConfig } from '../partitioners/partitioner-config.js';
import { ProducerError } from './producer-errors.js';
import { producerLimits } from './producer-limits.js';
import type { Acks } from './producer-network.js';

const INT_MAX = producerLimits.javaIntMax;
const int = (min: number, max: number) => z.number().int().min(min, `Value must be at least ${min}`).max(max, `Value must be no more than ${max}`);

export const ProducerConfigSchema = z
  .object({
    clientId: z.string().min(1).max(255).optional(),
    acks: z.union([z.literal('all'), z.literal('-1'), z.literal('0'), z.literal('1'), z.literal(-1), z.literal(0), z.literal(1)]).optional(),
    batchSizeBytes: int(0, producerLimits.batchSizeBytesMax).optional(),
    lingerMs: int(0, INT_MAX).optional(),
    bufferMemoryBytes: int(0, producerLimits.bufferMemoryBytesMax).optional(),
    maxBlockMs: int(0, INT_MAX).optional(),
    compressionType: z.enum(['none', 'gzip']).optional(),
    maxRequestSizeBytes: int(0, producerLimits.maxRequestSizeBytesMax).optional(),
    maxInFlightRequestsPerConnection: int(1, producerLimits.maxInFlightRequestsPerConnectionMax).optional(),
    retries: int(0, INT_MAX).optional(),
    retryBackoffMs: int(0, INT_MAX).optional(),
    retryBackoffMaxMs: int(0, INT_MAX).optional(),
    requestTimeoutMs: int(0, INT_MAX).optional(),
    deliveryTimeoutMs: int(0, INT_MAX).optional(),
    enableIdempotence: z.boolean().optional(),
    partitioner: PartitionerConfigSchema.optional(),
    partitionerIgnoreKeys: z.boolean().optional(),
    metadataMaxAgeMs: int(0, INT_MAX).optional(),
    metricsSampleWindowMs: int(1, INT_MAX).optional(),
    metricsNumSamples: int(1, producerLimits.metricsNumSamplesMax).optional(),
  })
  .strict();

export type ProducerConfigInput = z.input<typeof ProducerConfigSchema>;

/** Kafka's name of each setting, for messages and for the UI. */
export const KAFKA_CONFIG_NAMES: Record<keyof ProducerConfigInput, string> = {
  clientId: 'client.id',
  acks: 'acks',
  batchSizeBytes: 'batch.size',
  lingerMs: 'linger.ms',
  bufferMemoryBytes: 'buffer.memory',
  maxBlockMs: 'max.block.ms',
  compressionType: 'compression.type',
  maxRequestSizeBytes: 'max.request.size',
  maxInFlightRequestsPerConnection: 'max.in.flight.requests.per.connection',
  retries: 'retries',
  retryBackoffMs: 'retry.backoff.ms',
  retryBackoffMaxMs: 'retry.backoff.max.ms',
  requestTimeoutMs: 'request.timeout.ms',
  deliveryTimeoutMs: 'delivery.timeout.ms',
  enableIdempotence: 'enable.idempotence',
  partitioner: 'partitioner.class',
  partitionerIgnoreKeys: 'partitioner.ignore.keys',
  metadataMaxAgeMs: 'metadata.max.age.ms',
  metricsSampleWindowMs: 'metrics.sample.window.ms',
  metricsNumSamples: 'metrics.num.samples',
};

export interface ProducerConfig {
  readonly clientId: string;
  readonly acks: Acks;
  /** batch.size as configured (0 allowed: batching off). */
  readonly batchSizeBytes: number;
  /** max(1, batch.size): what the accumulator and the sticky partitioner use. */
  readonly effectiveBatchSizeBytes: number;
  readonly lingerMs: number;
  readonly bufferMemoryBytes: number;
  readonly maxBlockMs: number;
  readonly compressionType: 'none' | 'gzip';
  readonly maxRequestSizeBytes: number;
  readonly maxInFlightRequestsPerConnection: number;
  readonly retries: number;
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
  readonly requestTimeoutMs: number;
  readonly deliveryTimeoutMs: number;
  /** Whether idempotence is on after Kafka's resolution (may be false although the default is true). */
  readonly enableIdempotence: boolean;
  readonly partitioner: PartitionerConfig;
  readonly partitionerIgnoreKeys: boolean;
  readonly metadataMaxAgeMs: number;
  readonly metricsSampleWindowMs: number;
  readonly metricsNumSamples: number;
  /** Why idempotence was turned off silently, when it was (Kafka logs this at INFO/WARN). */
  readonly idempotenceDisabledReason: string | null;
  /** Why delivery.timeout.ms was raised, when it was (Kafka logs this at WARN). */
  readonly deliveryTimeoutAdjustedReason: string | null;
}

/** The most idempotence allows in flight per connection (MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_FOR_IDEMPOTENCE). */
export const MAX_IN_FLIGHT_FOR_IDEMPOTENCE = 5;

/**
 * client.id when none is given. Java numbers producers from a process-wide counter (producer-1,
 * producer-2 ...); a process-wide counter would make a replay depend on what ran before it in the
 * worker, so the host numbers its producers and passes clientId, and the fallback is fixed.
 */
export const DEFAULT_CLIENT_ID = 'producer-1';

/** Validates and resolves a configuration; throws ProducerError('ConfigException') with Kafka's message. */
export function resolveProducerConfig(input: unknown): ProducerConfig {
  const parsed = ProducerConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? '');
    const kafkaName = KAFKA_CONFIG_NAMES[field as keyof ProducerConfigInput] ?? field;
    const value = field === '' ? input : (input as Record<string, unknown>)[field];
    const message =
      issue.code === 'unrecognized_keys'
        ? `Unknown producer configuration ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
        : `Invalid value ${JSON.stringify(value)} for configuration ${kafkaName}: ${issue.message}`;
    throw ProducerError.client('ConfigException', message);
  }
  const c = parsed.data;
  const acks: Acks = c.acks === undefined || c.acks === 'all' ? -1 : (Number(c.acks) as Acks);
  const retries = c.retries ?? INT_MAX;
  const maxInFlight = c.maxInFlightRequestsPerConnection ?? 5;

  // ProducerConfig.postProcessAndValidateIdempotenceConfigs (Kafka 3.x).
  const userConfiguredIdempotence = c.enableIdempotence !== undefined;
  let enableIdempotence = c.enableIdempotence ?? true;
  let idempotenceDisabledReason: string | null = null;
  if (enableIdempotence) {
    const reasons: string[] = [];
    if (retries === 0) {
      if (userConfiguredIdempotence) throw configError('Must set retries to non-zero when using the idempotent producer.');
      reasons.push('Idempotence will be disabled because retries is set to 0.');
    }
    if (acks !== -1) {
      if (userConfiguredIdempotence) throw configError('Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.');
      reasons.push(`Idempotence will be disabled because acks is set to ${acks}, not set to 'all'.`);
    }
    if (maxInFlight > MAX_IN_FLIGHT_FOR_IDEMPOTENCE) {
      if (userConfiguredIdempotence) throw configError('Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.');
      reasons.push(
        `Idempotence will be disabled because max.in.flight.requests.per.connection is set to ${maxInFlight}, which is greater than 5. Please note that in v4.0.0 and onward, this will become an error.`,
      );
    }
    if (reasons.length > 0) {
      enableIdempotence = false;
      idempotenceDisabledReason = reasons.join(' ');
    }
  }

  // KafkaProducer.configureDeliveryTimeout.
  const lingerMs = c.lingerMs ?? 0;
  const requestTimeoutMs = c.requestTimeoutMs ?? 30_000;
  const lingerAndRequestTimeoutMs = Math.min(lingerMs + requestTimeoutMs, INT_MAX);
  let deliveryTimeoutMs = c.deliveryTimeoutMs ?? 120_000;
  let deliveryTimeoutAdjustedReason: string | null = null;
  if (deliveryTimeoutMs < lingerAndRequestTimeoutMs) {
    if (c.deliveryTimeoutMs !== undefined) throw configError('delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms');
    deliveryTimeoutAdjustedReason = `delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms. Setting it to ${lingerAndRequestTimeoutMs}.`;
    deliveryTimeoutMs = lingerAndRequestTimeoutMs;
  }

  const retryBackoffMs = c.retryBackoffMs ?? 100;
  let retryBackoffMaxMs = c.retryBackoffMaxMs ?? 1000;
  // CommonClientConfigs.warnDisablingExponentialBackoff: a static backoff of retry.backoff.ms.
  if (retryBackoffMs > retryBackoffMaxMs) retryBackoffMaxMs = retryBackoffMs;

  const batchSizeBytes = c.batchSizeBytes ?? 16_384;
  return {
    clientId: c.clientId ?? DEFAULT_CLIENT_ID,
    acks,
    batchSizeBytes,
    effectiveBatchSizeBytes: Math.max(1, batchSizeBytes),
    lingerMs,
    bufferMemoryBytes: c.bufferMemoryBytes ?? 33_554_432,
    maxBlockMs: c.maxBlockMs ?? 60_000,
    compressionType: c.compressionType ?? 'none',
    maxRequestSizeBytes: c.maxRequestSizeBytes ?? 1_048_576,
    maxInFlightRequestsPerConnection: maxInFlight,
    retries,
    retryBackoffMs,
    retryBackoffMaxMs,
    requestTimeoutMs,
    deliveryTimeoutMs,
    enableIdempotence,
    partitioner: c.partitioner ?? { kind: 'default' },
    partitionerIgnoreKeys: c.partitionerIgnoreKeys ?? false,
    metadataMaxAgeMs: c.metadataMaxAgeMs ?? 300_000,
    metricsSampleWindowMs: c.metricsSampleWindowMs ?? 30_000,
    metricsNumSamples: c.metricsNumSamples ?? 2,
    idempotenceDisabledReason,
    deliveryTimeoutAdjustedReason,
  };
}

function configError(message: string): ProducerError {
  return ProducerError.client('ConfigException', message);
}
