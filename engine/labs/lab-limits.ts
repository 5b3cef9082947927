/**
 * Bounds of the lab format, runner and autopilot, each with why. A lab file beyond them does not
 * load (the loader names the bound); the runner's own queues never grow past them.
 */
export const labLimits = {
  /** Lab files read from a directory: the workshop has fourteen; room for an instructor's own. */
  labFilesMax: 200,
  /** A lab file's size: a long lab is about 40 kB of YAML; more is a mistake (or not a lab). */
  labFileBytesMax: 512 * 1024,
  stepsMax: 40,
  actionsPerStepMax: 30,
  checksPerStepMax: 20,
  questionsPerStepMax: 10,
  hintsPerStepMax: 10,
  setupTopicsMax: 20,
  /** One console command line: the console's own bound on a typed line. */
  commandLineCharsMax: 4_000,
  inputLineCharsMax: 10_000,
  /** Lines typed into a console producer by one action. */
  inputLinesMax: 1_000,
  answerCharsMax: 4_000,
  /** Engine ms one action may wait (a wait action, a console consumer's run): an hour. */
  actionWaitMaxMs: 3_600_000,
  /** Engine ms a step's checks may take to pass under the autopilot: two hours (retention lessons). */
  stepTimeoutMaxMs: 7_200_000,
  /**
   * Engine ms between two evaluations of a step's checks under the autopilot: a metrics sample is
   * taken every second, so checking more often finds nothing new.
   */
  autopilotCheckIntervalMs: 1_000,
  /** Engine ms the autopilot lets a console command run before it calls it hung. */
  consoleCommandTimeoutMs: 600_000,
  /** Records read per partition by a check that looks at keys (key-partitions). */
  checkRecordsPerPartitionMax: 20_000,
  /** Saved runs read for the lab list's "last run" (the newest ones): a workshop day has a few dozen. */
  runsListedMax: 500,
  /** Entries a run keeps in its journal (actions, check results, answers): a long lab has a few hundred. */
  journalEntriesMax: 10_000,
} as const;
