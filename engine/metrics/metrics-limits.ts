/**
 * Bounds of the metrics the engine keeps (rings, timelines), each with why. Everything the metrics
 * hold is bounded here, so a run of hours keeps the same memory as a run of minutes.
 */
export const metricsLimits = {
  /** Rebalances remembered per group: a lab's history fits many times over; continuous rebalancing overwrites the oldest. */
  rebalancesPerGroupMax: 50,
  /** Groups the timeline tracks: far beyond any lab (the seeds use one or two). */
  groupsTrackedMax: 1000,

  /**
   * Samples per series: an hour at the default 1 s interval, the length of a workshop lab, so its
   * charts (and its report) can show the whole run. A series costs 17 bytes a sample (time, value,
   * null flag on typed arrays): a minute-old series about 1 KB, an hour-old one 61 KB, whatever
   * the run's length after that.
   */
  ringCapacity: 3600,
  /**
   * Series recorded at once. A lab of 100 partitions, 3 groups and a dozen clients needs about
   * 1,900 (4 per partition, 5 per group and partition); past this new series are refused and
   * counted, so a runaway topic creator costs at most 2,000 × 61 KB = 122 MB after an hour.
   */
  seriesMax: 2000,
  /**
   * Sample instants one metrics push carries at most. At 1× speed a push (10 a second) carries
   * zero or one; a skip of an hour would carry 3,600, so it is decimated to this many, evenly
   * spaced and keeping the newest: the chart stays right in shape and the push stays a few KB.
   */
  samplesPerPushMax: 10,
  /**
   * A group's lag status whose numbers moved but whose statuses did not is pushed again at most
   * every this many pushes (about once a real second at 10 pushes a second): the live numbers are
   * in the series already; the status panel's text may lag a second.
   */
  lagStatusRefreshPushes: 10,
  /**
   * Lag statuses share a byte budget: each push adds this many bytes of JSON to it (5 KB a second
   * at 10 pushes a second) up to `lagStatusBurstBytes`, and a group goes out only when the budget
   * covers it (changed statuses first; a group larger than the burst when the budget is full). A
   * group of 12 partitions, all STOP with their 10-sample windows as evidence, is about 14 KB: lag
   * statuses cost at most 14 + 5 KB in a real second, about 6 KB on average.
   */
  lagStatusBytesPerPush: 500,
  lagStatusBurstBytes: 12_000,
  /** Group partitions whose last commit time is remembered: one per partition of every group, far beyond a lab. */
  commitsTrackedMax: 100_000,

  /**
   * Timeline entries kept: hours of a busy lab (elections, ISR changes, rebalances, faults) at a
   * few hundred bytes each, about 1.5 MB; the oldest are dropped first.
   */
  timelineEntriesMax: 5000,
  /** Timeline entries one push carries at most; past this the newest go and `lastId` tells the UI to query the rest. */
  timelineEntriesPerPushMax: 200,
  /** Spans (rebalances, downed brokers, offline partitions) the cluster timeline keeps open at once: one per group, broker and partition of a lab. */
  openSpansMax: 10_000,
} as const;

/**
 * The sampler's and the lag evaluation's settings, each with why. Not bounds, but thresholds the
 * workshop can reason about; the recorder takes overrides.
 */
export const metricsDefaults = {
  /** One sample a second: smooth charts and a lag status that moves within seconds, at one point per series per second. */
  sampleIntervalMs: 1000,
  /**
   * Rates (produce, consume, send, processed) are measured over this much time: two periods of
   * auto.commit.interval.ms (5 s), so a consume rate does not jump between 0 and twice its value
   * with every commit. Kafka's client metrics use a similar window (metrics.sample.window.ms 30 s × 2 samples).
   */
  rateWindowMs: 10_000,
  /** Samples in the lag evaluation window: Burrow's `intervals` default (10). */
  lagWindowSamples: 10,
  /** Records of lag that still count as caught up: Burrow's `allowed-lag` default (0). */
  allowedLag: 0,
  /**
   * STOP fires only after a silence longer than this many times the longest recent gap between the
   * group's commits (and longer than the window): a consumer that commits once per 25 s batch is not
   * STOP 10 s into a batch, a crashed one that committed every 5 s is STOP after 10 s.
   */
  stopCommitGapFactor: 2,
  /** Commits remembered per partition for the WARN trend (lag at each commit): Burrow's `intervals` (10). */
  commitPointsMax: 10,
  /**
   * Commits WARN needs at least: with fewer, a trend of "never decreasing" is chance (two commits
   * agree half the time). Three commits are 15 s at the default auto-commit interval.
   */
  warnCommitPointsMin: 3,
  /**
   * The retention warning fires when the oldest unconsumed record is within this share of what
   * retention deletes: 0.8 = within the last 20% of retention.ms (or retention.bytes).
   */
  retentionWarningShare: 0.8,
} as const;
