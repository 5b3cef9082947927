/**
 * Bounds of the fault injector, each with why. The injector's maps and lists are bounded here, so a
 * workshop that injects faults all day keeps the same memory as one that injects a few.
 */
export const faultLimits = {
  /**
   * Scheduled and active faults at once. A lab breaks a handful of things at a time (a preset at
   * most six); 64 is far beyond what a learner can follow, and keeps the Faults view one screen.
   */
  activeFaultsMax: 64,
  /** Ended (undone or failed) faults kept for the Faults view, newest first: a session's worth of history. */
  recentFaultsMax: 50,
  /** Preset runs kept (running and ended), oldest ended dropped first: the view lists a session's runs. */
  presetRunsMax: 20,
  /**
   * Preset runs at once: one. Two presets cutting and healing the same links and brokers would undo
   * each other's steps, and the lesson of neither would show.
   */
  runningPresetsMax: 1,
  /** Client ids a refusal lists before "…": enough to spot a typo, short enough to read. */
  clientsListedMax: 12,
} as const;
