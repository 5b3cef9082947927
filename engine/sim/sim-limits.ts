/**
 * Every bound of the deterministic simulation, each with why it has its value. A loop or a queue
 * in engine/sim that is not bounded by something here (or by the scheduler's own limits) is a bug.
 */
export const simLimits = {
  /** Seeds are 31-bit so they print, parse and replay the same everywhere (`--seed N`). */
  seedMax: 0x7fff_ffff,
  /** Seeds one `--seeds` run may ask for: 1000 is the suite's run; 100,000 is a long soak, not a typo. */
  seedsPerRunMax: 100_000,
  /**
   * Virtual time of the fault-and-workload phase, per seed. Two minutes let a seed hold several
   * faults of up to 40 s each, every broker timeout (9 s session, 30 s replica lag) fire more than
   * once, and keep 1000 seeds inside the suite's three-minute budget.
   */
  faultPhaseMsDefault: 120_000,
  /** The longest phase `--duration` accepts: an hour of virtual time per seed is a soak run. */
  faultPhaseMsMax: 3_600_000,
  /**
   * After healing: how long the cluster may take to converge (every partition led, every replica in
   * its ISR, high watermark at the log end) before the run says it did not. A follower whose fetch
   * went to a dead leader re-sends after replica.socket.timeout.ms (30 s), then needs an ISR change
   * through the controller; 60 s covers that twice.
   */
  convergeMsMax: 60_000,
  /**
   * How often the invariant checkers run, in virtual ms. Checking after every fired timer costs
   * ~10x more for little gain: a violation persists until a fetch or a restart repairs it, which
   * takes at least a fetch round trip (hundreds of ms). 250 ms sees every such window while keeping
   * 1000 seeds under three minutes on two cores.
   */
  checkIntervalMs: 250,
  /**
   * Every this many virtual ms the replica-log comparison re-reads every log from its start instead
   * of only what was appended since the last check, so a record rewritten in place (same length,
   * no truncation event) is still seen.
   */
  fullScanIntervalMs: 10_000,
  /** Records produced per virtual second by the whole workload: the benchmark figure. */
  recordsPerSecondDefault: 10,
  /** The workload's highest rate: 1000 records/s keeps a two-minute seed under a few seconds of CPU. */
  recordsPerSecondMax: 1_000,
  /** Distinct keys: enough to reach every partition several times, few enough that keys repeat. */
  keysPerProducer: 64,
  /** Faults one seed may inject: the fault phase allows at most one start per second anyway. */
  faultsPerRunMax: 200,
  /** A broker stays down between 1 s and 40 s: both sides of broker.session.timeout.ms (9 s). */
  downtimeMsMin: 1_000,
  downtimeMsMax: 40_000,
  /** Link cuts and isolations last 2 s to 40 s: both sides of replica.lag.time.max.ms (30 s). */
  partitionMsMin: 2_000,
  partitionMsMax: 40_000,
  /** Added link latency: up to 400 ms, below every timeout, so latency alone never fails a request. */
  latencyFaultMsMax: 400,
  /** Gap between fault starts: 3 s to 20 s, so a two-minute phase sees roughly ten faults. */
  faultGapMsMin: 3_000,
  faultGapMsMax: 20_000,
  /** When a fault cannot start yet (serial seeds wait for the cluster to heal), it is tried again this much later. */
  faultRetryMs: 1_000,
  /** Consumers in the simulated group: 1 to 3, so a 3-partition topic sees idle, shared and one-to-one assignments. */
  consumersMax: 3,
  /**
   * Share of seeds that run a consumer group (see GroupWorkload). A seed with consumers costs about
   * 2.5x one without; a third of the seeds keeps a thousand inside the three-minute budget with margin.
   */
  seedsWithConsumersShare: 0.35,
  /** Lines of the event trace kept for a violation report: enough to see the faults that led to it. */
  traceTailLines: 40,
  /** Acknowledged records one seed may track: 1000 records/s for an hour, with room. */
  ackedRecordsMax: 4_000_000,
} as const;
