/**
 * Bounds of the run history (engine/history), each with why. Every input the history takes is
 * checked against them before anything is written, every loop over rows or input is bounded by
 * one of them, and every query that returns rows says LIMIT with one of them, so a history of a
 * whole workshop season keeps the same memory per call as a history of one run.
 */
import { labLimits } from '../labs/lab-limits.js';
import { metricsLimits } from '../metrics/metrics-limits.js';

export const historyLimits = {
  /**
   * Characters of a run id. The lab host names runs `20260105-090000-<lab id>[-n]` (at most about
   * 85 characters with a 64-character lab id); the autopilot `autopilot-<lab id>-<seed>`.
   */
  runIdCharsMax: 128,
  /** Characters of the participant's name: the report's own bound (reportLimits.participantCharsMax). */
  participantCharsMax: 200,
  /** Characters of the app version: the report's own bound (reportLimits.appVersionCharsMax). */
  appVersionCharsMax: 64,
  /** Steps of a run: the lab format's own bound. */
  stepsPerRunMax: labLimits.stepsMax,
  /** Journal entries of a run (actions, checks, answers, steps): the runner's own bound. */
  journalEntriesMax: labLimits.journalEntriesMax,
  /**
   * Bytes of one run's progress as JSON (kept whole for an exact resume). A full journal of 10,000
   * entries with check results is about 4 MB; 16 MiB means the input is not a lab run.
   */
  progressJsonBytesMax: 16 * 1024 * 1024,
  /** Timeline entries one `appendEvents` call takes: the `timeline` query's own page size bound (5,000). */
  eventsPerAppendMax: 5_000,
  /**
   * Timeline entries kept per run. The engine's timeline holds 5,000 at once and drops its oldest;
   * a run of hours may pass more through it, so the history keeps four rings' worth: the first
   * ones (where the run's story starts), and counts the rest in `runs.events_dropped`.
   */
  eventsPerRunMax: 4 * metricsLimits.timelineEntriesMax,
  /** Bytes of one timeline entry as JSON: a few hundred in practice; 16 KiB means it is not one. */
  eventJsonBytesMax: 16 * 1024,
  /** Series one `saveMetricSamples` call takes: the metrics recorder's own bound on live series. */
  seriesPerSaveMax: metricsLimits.seriesMax,
  /** Points one series may bring in: the metrics ring's capacity (an hour of one-second samples). */
  pointsPerSeriesInMax: metricsLimits.ringCapacity,
  /**
   * Points kept per series after downsampling: about one per horizontal pixel of a printed report
   * chart (reportLimits.chartPointsPerLineMax is 600), so the report loses nothing it could draw
   * while an hour-long series costs a sixth of its rows.
   */
  samplesPerSeriesMax: 600,
  /** Series kept per run: a report keeps 400 (reportLimits.seriesMax); room for a run that grew. */
  seriesPerRunMax: metricsLimits.seriesMax,
  /** Export rows per run: a learner exports a report a few times; a thousand means a loop. */
  exportsPerRunMax: 1_000,
  /** Characters of an export's path: Windows' long-path limit is 32,767; real paths are a few hundred. */
  exportPathCharsMax: 4_096,
  /**
   * Bytes of one run snapshot as JSON (sheet, cluster status, configs). A lab sheet is about 60 KB,
   * a cluster of 1,000 partitions about 400 KB, a hundred topics' configs about 400 KB: 16 MiB
   * means the input is not a snapshot.
   */
  snapshotJsonBytesMax: 16 * 1024 * 1024,
  /** Config resources in a snapshot: the report's own bound (reportLimits.configResourcesMax) with room. */
  snapshotConfigResourcesMax: 1_000,
  /** Entries of one config resource: Kafka's topic configs are about 40, a broker's about 200. */
  snapshotConfigEntriesMax: 1_000,
  /** Runs one `listRuns` call returns (newest first): the lab list's own bound (labLimits.runsListedMax). */
  runsListedMax: labLimits.runsListedMax,
  /** Characters of a settings key and value: a participant's name, a locale, a window flag. */
  settingKeyCharsMax: 64,
  settingValueCharsMax: 4_000,
  /**
   * Operations waiting for the database connection at once. The lab host saves after every change
   * and each save waits for the previous one; a few dozen waiting means the caller does not await
   * its saves. Past this an operation is refused with an error that says so.
   */
  pendingOperationsMax: 1_000,
  /**
   * Real ms a statement waits for another connection's lock before SQLITE_BUSY. One app instance
   * holds the data directory (a second one is refused), so the only other connection is a
   * short-lived one like `kafka-lab lab list`; its longest transaction is one save.
   */
  busyTimeoutMs: 5_000,
  /**
   * Rows one multi-row INSERT (or ids one IN list) carries: at most 8 values a row, 1,600
   * parameters, far below SQLite's 32,766; a save of 10,000 journal entries is 50 statements.
   */
  rowsPerStatementMax: 200,
  /** Problems listed in one input error: the first ones say what is wrong; the rest are counted. */
  problemsListedMax: 10,
} as const;
