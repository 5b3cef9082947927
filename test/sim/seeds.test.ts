/**
 * Fifty seeds of the default simulation (3 brokers, RF 3, min.insync.replicas 2, 6 partitions,
 * 10 records/s, two minutes of random faults each): no invariant may be violated. A failure lists
 * every failing seed with its invariant and the command that replays it.
 */
import { describe, expect, it } from 'vitest';
import { runSeedBatch } from '../../engine/sim/sim-batch.js';

describe('fifty seeds', () => {
  it('violate no invariant', { timeout: 600_000 }, async () => {
    const tally = await runSeedBatch({ from: 1, count: 50 });
    expect(tally.seeds).toBe(50);
    expect(tally.faults).toBeGreaterThan(200);
    expect(tally.ackedAll).toBeGreaterThan(10_000);
    const failures = tally.failures.map((f) => `seed ${f.seed}: ${f.violation.name}: ${f.violation.detail} (replay: ${f.violation.replay})`);
    expect(failures, failures.join('\n')).toEqual([]);
  });
});
