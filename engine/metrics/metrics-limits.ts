/**
 * Bounds of the metrics the engine keeps (rings, timelines), each with why. Everything the metrics
 * hold is bounded here, so a run of hours keeps the same memory as a run of minutes.
 */
export const metricsLimits = {
  /** Rebalances remembered per group: a lab's history fits many times over; continuous rebalancing overwrites the oldest. */
  rebalancesPerGroupMax: 50,
  /** Groups the timeline tracks: far beyond any lab (the seeds use one or two). */
  groupsTrackedMax: 1000,
} as const;
