/**
 * Bounds of the in-process consumer, each with why it has its value. Kafka's own configuration
 * ranges are checked in consumer-config.ts; these are the engine's extra bounds, so every queue,
 * buffer and loop in the consumer is finite.
 */
import { limits } from '../../core/limits.js';

export const consumerLimits = {
  /** Kafka's int configs (session.timeout.ms, max.poll.records ...) are Java ints. */
  javaIntMax: 2_147_483_647,
  /**
   * Largest max.poll.records accepted. Kafka allows any int; every record a poll returns is a live
   * object in the worker, and 100,000 is 200x Kafka's default (500).
   */
  maxPollRecordsMax: 100_000,
  /**
   * Topics one consumer subscribes to or matches with a pattern: the cluster's own topic bound,
   * so a pattern like /.* / can match every topic there is and nothing more.
   */
  subscribedTopicsMax: limits.topicsMax,
  /**
   * Partitions assigned to one consumer (by the group or by assign()). Each holds a position and a
   * lag gauge; 100,000 covers a hundred 1,000-partition topics, beyond any lab.
   */
  assignedPartitionsMax: 100_000,
  /**
   * Completed fetches buffered for poll() to drain (Java's Fetcher.completedFetches). A partition is
   * never fetched again while it has buffered data and one fetch is in flight per broker, so the
   * queue holds at most one entry per assigned partition; this bound asserts that invariant.
   */
  completedFetchesMax: 100_000,
  /**
   * Asynchronous commits in flight or completed but whose callback has not run yet (Java invokes
   * them at the next poll/commit). An application that calls commitAsync in a tight loop without
   * polling gets a KafkaException past this many instead of an unbounded queue.
   */
  pendingAsyncCommitsMax: 10_000,
  /**
   * Requests awaiting an answer at once. A consumer has one fetch per broker, one join/sync chain,
   * a heartbeat every heartbeat.interval.ms (at most request.timeout.ms / heartbeat.interval.ms of
   * them while the coordinator is silent), list-offsets per broker, and async commits (bounded
   * below); 10,000 is far beyond all of that, and past it a request fails at once as disconnected.
   */
  inFlightRequestsMax: 10_000,
  /**
   * Blocking calls (poll, commitSync, position, committed, close) waiting at once. Java's calls
   * block their thread, so one thread has one; asynchronous callers could start them in a loop
   * without awaiting, so past this many a new call fails at once with a KafkaException.
   */
  pendingOperationsMax: 1_000,
  /** Lines kept in the consumer's log ring: a few minutes of rebalances at INFO, as a learner reads them. */
  logLinesMax: 2_000,
  /** A log line longer than this is cut (an assignment of thousands of partitions printed in full). */
  logLineCharsMax: 4_000,
  /**
   * Kafka's JoinGroupRequest.maybeTruncateReason: a rebalance reason longer than 255 characters is
   * cut before it is sent to the coordinator.
   */
  reasonCharsMax: 255,
  /**
   * Consecutive MEMBER_ID_REQUIRED / UNKNOWN_MEMBER_ID / REBALANCE_IN_PROGRESS answers handled by
   * an immediate rejoin before the consumer backs off for retry.backoff.ms. Java rejoins at once
   * without a bound; a coordinator that always answers so would spin the worker, so after this many
   * the consumer waits retry.backoff.ms between attempts.
   */
  immediateRejoinsMax: 10,
  /** Members one JoinGroup response may list (the group coordinator's own bound on group size). */
  groupMembersMax: limits.clientsMax,
  /** Member ids, client ids and group ids longer than this are refused where they enter (int16 STRING). */
  idCharsMax: 0x7fff,
  /** metrics.num.samples upper bound: each sample is a ring slot. */
  metricsNumSamplesMax: 100,
} as const;
