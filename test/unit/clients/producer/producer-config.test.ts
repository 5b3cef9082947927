/** Kafka 3.x's configuration rules: defaults, idempotence resolution, delivery.timeout.ms, ranges. */
import { describe, expect, it } from 'vitest';
import { resolveProducerConfig } from '../../../../engine/clients/producer/producer-config.js';

const configError = (message: string) => expect.objectContaining({ exceptionName: 'ConfigException', message });

describe('producer configuration', () => {
  it('has Kafka 3.x defaults (linger.ms 0, not 4.0s 5 ms)', () => {
    expect(resolveProducerConfig({})).toMatchObject({
      acks: -1,
      batchSizeBytes: 16_384,
      lingerMs: 0,
      bufferMemoryBytes: 33_554_432,
      maxBlockMs: 60_000,
      maxRequestSizeBytes: 1_048_576,
      maxInFlightRequestsPerConnection: 5,
      retries: 2_147_483_647,
      retryBackoffMs: 100,
      requestTimeoutMs: 30_000,
      deliveryTimeoutMs: 120_000,
      enableIdempotence: true,
      compressionType: 'none',
      partitioner: { kind: 'default' },
    });
  });

  it('refuses conflicting settings when enable.idempotence was set explicitly', () => {
    expect(() => resolveProducerConfig({ enableIdempotence: true, acks: 1 })).toThrow(
      configError('Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.'),
    );
    expect(() => resolveProducerConfig({ enableIdempotence: true, retries: 0 })).toThrow(configError('Must set retries to non-zero when using the idempotent producer.'));
    expect(() => resolveProducerConfig({ enableIdempotence: true, maxInFlightRequestsPerConnection: 6 })).toThrow(
      configError('Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.'),
    );
  });

  it('turns idempotence off silently when it was left at its default', () => {
    expect(resolveProducerConfig({ acks: '1' })).toMatchObject({ enableIdempotence: false, idempotenceDisabledReason: expect.stringContaining("acks is set to 1, not set to 'all'") });
    expect(resolveProducerConfig({ retries: 0 }).enableIdempotence).toBe(false);
    expect(resolveProducerConfig({ maxInFlightRequestsPerConnection: 6 }).enableIdempotence).toBe(false);
    expect(resolveProducerConfig({ acks: 'all', enableIdempotence: false }).enableIdempotence).toBe(false);
  });

  it('checks delivery.timeout.ms >= linger.ms + request.timeout.ms', () => {
    expect(() => resolveProducerConfig({ deliveryTimeoutMs: 20_000 })).toThrow(configError('delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms'));
    expect(resolveProducerConfig({ lingerMs: 100_000 })).toMatchObject({ deliveryTimeoutMs: 130_000, deliveryTimeoutAdjustedReason: expect.any(String) });
  });

  it('names the Kafka setting in range errors and refuses unknown settings', () => {
    expect(() => resolveProducerConfig({ batchSizeBytes: -1 })).toThrow(configError('Invalid value -1 for configuration batch.size: Value must be at least 0'));
    expect(() => resolveProducerConfig({ acks: 2 })).toThrow(expect.objectContaining({ exceptionName: 'ConfigException', message: expect.stringContaining('configuration acks') }));
    expect(() => resolveProducerConfig({ compressionType: 'snappy' })).toThrow(expect.objectContaining({ message: expect.stringContaining('compression.type') }));
    expect(() => resolveProducerConfig({ lingerms: 5 })).toThrow(configError('Unknown producer configuration "lingerms"'));
  });

  it('uses max(1, batch.size) and a static backoff when retry.backoff.ms exceeds retry.backoff.max.ms', () => {
    expect(resolveProducerConfig({ batchSizeBytes: 0 }).effectiveBatchSizeBytes).toBe(1);
    expect(resolveProducerConfig({ retryBackoffMs: 5000 })).toMatchObject({ retryBackoffMs: 5000, retryBackoffMaxMs: 5000 });
  });
});
