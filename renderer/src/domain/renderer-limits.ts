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
  /**
   * Lines kept per console tab (its scrollback, also the terminal's): as many as the engine keeps
   * per session (sessionLimits.outputLinesPerSessionMax), so switching views loses nothing the
   * engine still has; older lines drop off the top.
   */
  consoleLinesMax: 5_000,
  /** Command lines kept per tab for Up/Down: a workshop day types a few hundred. */
  consoleHistoryMax: 500,
  /** Console tabs open at once: the engine's sessionsMax is 32; a workshop runs two or three side by side. */
  consoleTabsMax: 12,
  /** Command lines sent and not yet echoed back per tab: one runs at a time, a paste queues a few. */
  consoleAwaitingEchoMax: 32,
  /** Lines waiting to be sent to a tab's session (a pasted file typed into the console producer): the engine queues at most 10 000 itself. */
  consoleQueuedLinesMax: 10_000,
  /**
   * Points drawn per chart series after min/max decimation (300 buckets, each its low and high): a
   * chart is 400 to 700 px wide, so every peak still shows, and 16 series of an hour's 3,600
   * samples redraw within a frame's budget.
   */
  chartPointsPerSeriesMax: 600,
  /** Redraw measures kept for the UI benchmark (User Timing entries): a minute of redraws at 10 a second. */
  chartRedrawMeasuresMax: 600,
  /**
   * Pages of records the message browser keeps (100 offsets each): a screen shows one or two, so
   * 40 pages let a learner scroll back and forth over 4,000 records without a re-read, and a
   * 100,000-record partition scrolled end to end still holds at most 4,000 records.
   */
  messageBrowserPagesMax: 40,
  /**
   * readRecords requests the message browser has on the way at once: a fast scroll wants many
   * pages, but only the ones in view when an answer lands matter, so more would only queue in the
   * engine behind each other.
   */
  messageBrowserRequestsInFlightMax: 4,
  /**
   * Rows of the message browser's virtual table: Chromium lays out an element up to about 33.5
   * million px tall, which at 28 px a row is 1.19 million rows; a larger partition shows a window
   * of this many offsets around where the user jumps.
   */
  messageBrowserRowsMax: 1_000_000,
  /** Headers on one record from the produce dialog: the engine's own bound (headersPerRecordMax). */
  produceHeadersMax: 64,
  /** Rows of the partition grid rendered beyond each edge of the view: a wheel notch (~100 px) scrolls into rows already laid out. */
  partitionGridOverscanRows: 4,
  /**
   * Partitions the offsets chart draws at once: 32 pairs of bars stay readable in the 600-odd px
   * the chart gets; a larger topic's chart follows the rows in view in the grid.
   */
  offsetsChartPartitionsMax: 32,
  /** JSON reports the class summary reads at once: a large class over several sessions (the engine reads up to 2,000). */
  summaryFilesMax: 200,
  /** Bytes of one report file the summary reads: a report with every series is a few MB; 5 MiB leaves room and keeps 200 files in memory. */
  summaryFileBytesMax: 5 * 1024 * 1024,
} as const;
