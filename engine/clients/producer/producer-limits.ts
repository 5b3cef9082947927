/**
 * Bounds of the in-process producer, each with why it has its value. Kafka's own configuration
 * ranges are checked in producer-config.ts; these are the engine's extra bounds, so every queue
 * and loop in the producer is finite.
 */
import { limits } from '../../core/limits.js';
import { storageLimits } from '../../storage/storage-limits.js';

export const producerLimits = {
  /**
   * Sends waiting at once for metadata or buffer memory (Java: application threads blocked inside
   * send()). Java bounds these by the number of application threads; here callers are
   * asynchronous, so a lab that floods a blocked producer gets BufferExhaustedException-style
   * failures past this many instead of an unbounded queue. 10,000 covers any lab's burst.
   */
  blockedSendsMax: 10_000,
  /**
   * Largest batch.size accepted. Kafka allows up to 2^31-1, but a batch is held in the engine
   * worker and must fit the storage codec's batch bound (64 MiB).
   */
  batchSizeBytesMax: storageLimits.batchBytesMax,
  /**
   * Largest buffer.memory accepted: the accumulator's total, i.e. the most record bytes one producer
   * may hold in the worker. 512 MiB is 16x Kafka's default (32 MiB) and still fits a worker heap.
   */
  bufferMemoryBytesMax: 512 * 1024 * 1024,
  /** Largest max.request.size accepted: the storage codec refuses batches above this anyway. */
  maxRequestSizeBytesMax: storageLimits.batchBytesMax,
  /**
   * Largest max.in.flight.requests.per.connection accepted. Kafka has no upper bound; the in-flight
   * list per broker is a queue, and 1,000 is far above any setting that changes behaviour.
   */
  maxInFlightRequestsPerConnectionMax: 1000,
  /** Kafka's int configs (retries, delivery.timeout.ms, request.timeout.ms ...) are Java ints. */
  javaIntMax: 2_147_483_647,
  /** Topics one producer keeps metadata and sticky state for: the cluster's own topic bound. */
  topicsMax: limits.topicsMax,
  /** Kafka's producer metrics: metrics.num.samples upper bound kept small, since each sample is a ring slot. */
  metricsNumSamplesMax: 100,
  /**
   * Passes of the append loop for one record. Java loops until the partition it locked is still the
   * sticky one; single-threaded, a pass either appends, or switches the sticky partition once
   * (the next pass then appends), so 3 passes is a hard ceiling.
   */
  appendPassesMax: 3,
  /** Broker ids accepted from metadata (the cluster's bound on brokers, with room for ids > count). */
  brokerIdMax: 1_000_000,
} as const;
