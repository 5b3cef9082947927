/**
 * Many seeds in a row, in this thread: what a CLI worker and the multi-seed test run. Each seed is
 * a fresh, independent run; a violation is recorded with its seed and the batch goes on, so one
 * run reports every failing seed instead of stopping at the first.
 *
 * Invariant: seeds from, from+1, …, from+count−1 run in order, each exactly once.
 */
import { defaultSimOptions, type SimOptions } from './sim-config.js';
import { addToTally, emptyTally, type SimTally } from './sim-report.js';
import { simLimits } from './sim-limits.js';
import { runSimulation, type SimResult } from './simulation.js';

export interface SeedBatch {
  readonly from: number;
  readonly count: number;
  /** Overrides of every run's options (durations, rate), the seed aside. */
  readonly options?: Partial<Omit<SimOptions, 'seed'>>;
}

export async function runSeedBatch(batch: SeedBatch, onResult: (result: SimResult) => void = () => undefined): Promise<SimTally> {
  if (!Number.isInteger(batch.count) || batch.count < 0 || batch.count > simLimits.seedsPerRunMax) throw new RangeError(`a batch holds 0 to ${simLimits.seedsPerRunMax} seeds, got ${batch.count}`);
  if (batch.from + batch.count - 1 > simLimits.seedMax) throw new RangeError(`seeds ${batch.from}..${batch.from + batch.count - 1} go past ${simLimits.seedMax}`);
  const tally = emptyTally();
  for (let seed = batch.from; seed < batch.from + batch.count; seed++) {
    const result = await runSimulation(defaultSimOptions(seed, batch.options));
    addToTally(tally, result);
    onResult(result);
  }
  return tally;
}
