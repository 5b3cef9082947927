/** Same seed, same run (DESIGN.md principle 6): the trace hash repeats; another seed gives another trace. */
import { describe, expect, it } from 'vitest';
import { defaultSimOptions } from '../../engine/sim/sim-config.js';
import { runSimulation } from '../../engine/sim/simulation.js';

describe('determinism', () => {
  it('the same seed gives the same trace hash and the same counts, run after run', async () => {
    const first = await runSimulation(defaultSimOptions(5));
    const second = await runSimulation(defaultSimOptions(5));
    expect(second.traceHash).toBe(first.traceHash);
    expect(second.traceLines).toBe(first.traceLines);
    expect({ ...second, traceHash: '' }).toEqual({ ...first, traceHash: '' });
    expect(first.traceLines).toBeGreaterThan(100);
  });

  it('different seeds give different traces', async () => {
    const hashes = new Set<string>();
    for (let seed = 20; seed < 24; seed++) hashes.add((await runSimulation(defaultSimOptions(seed, { faultPhaseMs: 30_000 }))).traceHash);
    expect(hashes.size).toBe(4);
  });
});
