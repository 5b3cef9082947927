/**
 * What one simulation run is made of: the options a caller gives (seed, durations, rate) and the
 * profile the seed draws from them (fault pacing, which topic allows unclean election, the acks
 * mix). Everything a run does follows from these two, so `--seed N` replays it.
 *
 * Invariants: options are validated once, here, with messages that name the option; the profile is
 * drawn from its own seeded stream, first, so adding a fault kind later does not reshuffle profiles.
 */
import { SeededPrng } from '../core/prng.js';
import { simLimits } from './sim-limits.js';

export interface SimTopic {
  readonly name: string;
  readonly partitions: number;
}

export interface SimOptions {
  readonly seed: number;
  /** Virtual ms of workload and faults; healing and convergence come after. */
  readonly faultPhaseMs: number;
  readonly recordsPerSecond: number;
  readonly brokerCount: number;
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  readonly topics: readonly SimTopic[];
  /** Whether faults are injected at all (off for the speed benchmark's baseline). */
  readonly faults: boolean;
  /** Share of acks=all records; null draws it from the seed (0.5 to 0.9). */
  readonly acksAllShare: number | null;
}

export interface SimProfile {
  /**
   * Serial seeds start a broker fault only once the cluster has healed from the last one (every
   * broker back in every ISR): the failure budget RF − min.insync.replicas is never exceeded, so
   * invariant 1 holds with no excuse. Overlapping seeds allow two at once and count the losses.
   */
  readonly overlappingFaults: boolean;
  /** The topic created with unclean.leader.election.enable=true, or null. */
  readonly uncleanTopic: string | null;
  /** Share of records sent with acks=all; the rest use acks=1. */
  readonly acksAllShare: number;
}

export const SIM_START_MS = 1_700_000_000_000;

export function defaultSimOptions(seed: number, overrides: Partial<Omit<SimOptions, 'seed'>> = {}): SimOptions {
  const options: SimOptions = {
    seed,
    faultPhaseMs: simLimits.faultPhaseMsDefault,
    recordsPerSecond: simLimits.recordsPerSecondDefault,
    brokerCount: 3,
    replicationFactor: 3,
    minInsyncReplicas: 2,
    topics: [
      { name: 'orders', partitions: 3 },
      { name: 'payments', partitions: 3 },
    ],
    faults: true,
    acksAllShare: null,
    ...overrides,
  };
  validateSimOptions(options);
  return options;
}

export function validateSimOptions(options: SimOptions): void {
  const { seed, faultPhaseMs, recordsPerSecond, brokerCount, replicationFactor, minInsyncReplicas } = options;
  if (!Number.isInteger(seed) || seed < 0 || seed > simLimits.seedMax) throw new RangeError(`seed must be a whole number between 0 and ${simLimits.seedMax}, got ${seed}`);
  if (!Number.isInteger(faultPhaseMs) || faultPhaseMs < 1000 || faultPhaseMs > simLimits.faultPhaseMsMax) {
    throw new RangeError(`the fault phase must be between 1000 and ${simLimits.faultPhaseMsMax} ms, got ${faultPhaseMs}`);
  }
  if (!(recordsPerSecond > 0 && recordsPerSecond <= simLimits.recordsPerSecondMax)) throw new RangeError(`records per second must be in (0, ${simLimits.recordsPerSecondMax}], got ${recordsPerSecond}`);
  if (!Number.isInteger(brokerCount) || brokerCount < 1) throw new RangeError(`broker count must be a positive whole number, got ${brokerCount}`);
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1 || replicationFactor > brokerCount) {
    throw new RangeError(`replication factor must be between 1 and the broker count ${brokerCount}, got ${replicationFactor}`);
  }
  if (!Number.isInteger(minInsyncReplicas) || minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
    throw new RangeError(`min.insync.replicas must be between 1 and the replication factor ${replicationFactor}, got ${minInsyncReplicas}`);
  }
  if (options.acksAllShare !== null && !(options.acksAllShare >= 0 && options.acksAllShare <= 1)) throw new RangeError(`the acks=all share must be between 0 and 1, got ${options.acksAllShare}`);
  if (options.topics.length === 0 || options.topics.some((t) => !Number.isInteger(t.partitions) || t.partitions < 1)) throw new RangeError('a simulation needs at least one topic with at least one partition');
}

/** The seed's profile, from a stream of its own. */
export function drawProfile(options: SimOptions): SimProfile {
  const prng = new SeededPrng((options.seed ^ 0x2545f491) >>> 0);
  const overlappingFaults = prng.nextFloat() < 0.3;
  const unclean = prng.nextFloat() < 0.2;
  const uncleanTopic = unclean ? options.topics[prng.nextInt(options.topics.length)]!.name : null;
  const drawnShare = 0.5 + prng.nextInt(5) / 10;
  const acksAllShare = options.acksAllShare ?? drawnShare;
  return { overlappingFaults, uncleanTopic, acksAllShare };
}
