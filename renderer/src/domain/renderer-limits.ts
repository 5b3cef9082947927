/**
 * Bounds of what the renderer keeps from the engine's streams, each with why. The engine bounds
 * what it sends; these bound what a long-open window accumulates from it, so an afternoon's
 * workshop uses the memory of its first minute.
 */
export const rendererLimits = {
  /**
   * Log lines kept per service replica: a Spring Boot console scrolled back this far covers a
   * lab's whole story (startup, assignment, every rebalance); older lines drop off the top.
   */
  serviceLogLinesMax: 2_000,
  /** Replica logs kept at once: the panel shows one; a few more make switching back instant. */
  serviceLogsKeptMax: 8,
  /**
   * Metric series kept: 12 partitions × 4 metrics, 2 groups × 12 partitions × 5 metrics, producers
   * and 6 replicas are about 200; this is 10 times a large lab. Series past it are not kept.
   */
  metricsSeriesMax: 2_000,
  /** Points per series: the engine's ring capacity is the real bound; this guards a misreported one. */
  metricsPointsPerSeriesMax: 3_600,
  /** Deltas held while a snapshot is on its way: 5 s of pushes at 10 a second; more means the snapshot is lost. */
  metricsPendingDeltasMax: 50,
  /** Real ms between two snapshot requests after a failure, so a broken stream does not turn into a request storm. */
  metricsRefetchMinIntervalMs: 1_000,
  /** Ended faults listed: the engine sends its own few; a fault undone here joins them until its push. */
  recentFaultsMax: 100,
  /** Timeline entries kept, newest: far more than a view lists; a chart of an hour of faults and rebalances fits. */
  timelineEntriesMax: 1_000,
  /** Pages of the timeline query read at start (each up to timelineEntriesMax entries). */
  timelinePagesMax: 10,
} as const;
