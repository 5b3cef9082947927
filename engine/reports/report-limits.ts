/**
 * Bounds of the report model, its renderings and the instructor summary, each with why. A report
 * built from a source beyond them keeps the first (or the newest, where said) items and counts the
 * rest in `truncated`, so a report never grows without bound and always says what it left out.
 * Every loop over report input is bounded by one of these.
 */
export const reportLimits = {
  /** Steps of a lab: the lab format's own bound (labLimits.stepsMax). */
  stepsMax: 40,
  /** Actions listed per step: a step has at most 30 buttons; a learner may press them again. */
  actionsPerStepMax: 100,
  /** Characters kept of an action's text or detail (a perf test's summary line fits easily). */
  actionTextCharsMax: 600,
  /** Checks per step: the lab format allows 20. */
  checksPerStepMax: 20,
  /** Characters kept of a check's observed or expected words. */
  checkTextCharsMax: 600,
  /** Questions per step: the lab format allows 10. */
  questionsPerStepMax: 10,
  /** Characters kept of an answer (the runner accepts 4,000). */
  answerCharsMax: 4_000,
  /** Characters of a step's short instruction: its first paragraph, about three printed lines. */
  instructionCharsMax: 400,
  /** Timeline entries kept: the first ones (the run's story starts there); the rest are counted as left out. */
  timelineEntriesMax: 2_000,
  /** Characters kept of a timeline entry's text. */
  timelineTextCharsMax: 400,
  /** Metric series kept: a three-partition lab has about 35; a 12-partition lab with two groups about 150. */
  seriesMax: 400,
  /** Points kept per series: the metrics ring holds an hour of one-second samples. */
  pointsPerSeriesMax: 3_600,
  /** Topics whose configs a run snapshot reads: configResourcesMax less the brokers' one. */
  configTopicsMax: 99,
  /** Configs listed per resource, and resources listed. */
  configEntriesMax: 500,
  configResourcesMax: 100,
  /** Topics and partitions listed in the final cluster state. */
  topicsMax: 200,
  partitionsPerTopicMax: 1_000,
  brokersMax: 9,
  /** Characters of the participant's name and the app version. */
  participantCharsMax: 200,
  appVersionCharsMax: 64,
  /** Action errors kept in the summary. */
  actionErrorsMax: 100,

  /** Lines drawn per chart: beyond it a chart draws the first ones and says how many it left out. */
  chartLinesMax: 24,
  /** Points drawn per line: about one per horizontal pixel of a printed chart (min/max per bucket keeps spikes). */
  chartPointsPerLineMax: 600,
  /** Markers (faults, elections, data loss) labelled per chart; more are listed but not drawn. */
  chartMarkersMax: 40,
  /** Shaded windows (rebalances) per chart. */
  chartWindowsMax: 200,
  /** Timeline rows in the HTML; the JSON keeps up to timelineEntriesMax. */
  htmlTimelineRowsMax: 1_000,

  /** Reports an instructor summary reads at once: a large class, several sessions. */
  summaryReportsMax: 2_000,
  /** Bytes of one report file read by the summary: a report with every series is a few MB. */
  summaryReportBytesMax: 32 * 1024 * 1024,
  /** Characters of a file name shown in the summary's list of skipped files. */
  fileNameCharsMax: 255,

  /**
   * Wall-clock ms a PDF print may take (Chromium takes 2-5 s for a report): under the 30 s a host
   * waits for an export command (limits.requestTimeoutMs), so a stuck print fails with its reason.
   */
  pdfTimeoutMs: 25_000,
  /** PDF prints the engine worker waits for at once: one per export button press. */
  pdfPrintsPendingMax: 8,
  /** Bytes of Chromium's stderr kept for an error message. */
  pdfStderrBytesMax: 4_000,
} as const;
