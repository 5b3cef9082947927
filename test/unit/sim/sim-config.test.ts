/** Simulation options are validated with specific messages; a seed's profile is a pure function of the seed. */
import { describe, expect, it } from 'vitest';
import { defaultSimOptions, drawProfile } from '../../../engine/sim/sim-config.js';

describe('sim options', () => {
  it('defaults to 3 brokers, RF 3, min.insync.replicas 2, 6 partitions over two topics, 10 records/s', () => {
    const options = defaultSimOptions(7);
    expect(options).toMatchObject({ seed: 7, brokerCount: 3, replicationFactor: 3, minInsyncReplicas: 2, recordsPerSecond: 10, faults: true });
    expect(options.topics.reduce((sum, t) => sum + t.partitions, 0)).toBe(6);
  });

  it.each([
    [{ seed: -1 }, 'seed must be a whole number between 0 and 2147483647, got -1'],
    [{ faultPhaseMs: 10 }, 'the fault phase must be between 1000 and 3600000 ms, got 10'],
    [{ minInsyncReplicas: 4 }, 'min.insync.replicas must be between 1 and the replication factor 3, got 4'],
    [{ replicationFactor: 5 }, 'replication factor must be between 1 and the broker count 3, got 5'],
    [{ acksAllShare: 2 }, 'the acks=all share must be between 0 and 1, got 2'],
  ])('refuses %j', (override, message) => {
    const { seed, ...rest } = { seed: 1, ...override };
    expect(() => defaultSimOptions(seed, rest)).toThrow(message);
  });
});

describe('drawProfile', () => {
  it('is the same for the same seed and varies across seeds', () => {
    expect(drawProfile(defaultSimOptions(42))).toEqual(drawProfile(defaultSimOptions(42)));
    const profiles = Array.from({ length: 200 }, (_, seed) => drawProfile(defaultSimOptions(seed)));
    const overlapping = profiles.filter((p) => p.overlappingFaults).length;
    const unclean = profiles.filter((p) => p.uncleanTopic !== null).length;
    // About 30% overlapping and 20% unclean: both kinds of seed are well represented.
    expect(overlapping).toBeGreaterThan(30);
    expect(overlapping).toBeLessThan(100);
    expect(unclean).toBeGreaterThan(20);
    expect(unclean).toBeLessThan(70);
  });

  it('takes a fixed acks=all share when the options give one', () => {
    expect(drawProfile(defaultSimOptions(3, { acksAllShare: 0 })).acksAllShare).toBe(0);
  });
});
