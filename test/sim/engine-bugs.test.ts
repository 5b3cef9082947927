/**
 * Seeds on which the simulation once found the engine (engine/cluster) breaking Kafka's guarantees,
 * kept as regression tests: each replays its seed (`kafka-lab sim --seed N`) and expects a clean
 * run. Each test's name and diagnosis describe the bug that seed exposed, now fixed.
 */
import { describe, expect, it } from 'vitest';
import { defaultSimOptions } from '../../engine/sim/sim-config.js';
import { formatViolation } from '../../engine/sim/sim-report.js';
import { runSimulation, type SimResult } from '../../engine/sim/simulation.js';

async function replay(seed: number): Promise<SimResult> {
  return runSimulation(defaultSimOptions(seed));
}

function explain(result: SimResult, diagnosis: string): string {
  const found = result.violation === null ? `not converged: ${String(result.notConverged)}` : formatViolation(result.seed, result.violation);
  return `${diagnosis}\n${found}`;
}

describe('engine bugs the simulation found (regressions)', () => {
  it('seed 1: a new leader applies a fetch answer it asked for as a follower, and its high watermark goes back (invariant 3)', async () => {
    const result = await replay(1);
    const diagnosis =
      'BrokerNode.becomeRole (leader) bumps fetchSession but leaves pendingCorrelation set, so onFetchResponse accepts the answer to the ' +
      "long-poll it sent the old leader as a follower: the new leader's high watermark is set to the old leader's (24 -> 9 on orders-0 at 19.9 s), " +
      'and records in that answer would be appended as a follower to a leader. Kafka removes the partition from the fetcher when it becomes leader.';
    expect(result.violation, explain(result, diagnosis)).toBeNull();
  });

  it('seed 81: the same stale fetch answer, with records, makes the new leader append as a follower and throw (engine error)', async () => {
    const result = await replay(81);
    const diagnosis =
      "Broker 1 leads orders-0 (epoch 1) and has written offsets 39-40; the answer to its epoch-0 fetch from broker 3 (delayed by a 315 ms link) arrives, " +
      'is accepted because pendingCorrelation still matches, and appendAsFollower throws "First offset 39 is less than the next offset 41" out of a timer callback.';
    expect(result.violation, explain(result, diagnosis)).toBeNull();
  });

  it('seed 9: a leader that restarts within broker.session.timeout.ms keeps leading the same epoch with a shorter log (invariant 4)', async () => {
    const result = await replay(9);
    const diagnosis =
      'Broker 3 leads orders-1 in epoch 0, loses power (its unsynced log is gone) and restarts 4.3 s later, before the controller fences it: ' +
      'the controller neither fences the old incarnation nor bumps the epoch, so broker 3 leads epoch 0 again from offset 0 and writes other records ' +
      'at offsets its followers hold under the same epoch. Kafka treats a bounced broker as failed then started (KIP-380; KRaft re-registration ' +
      'fences the old incarnation), moving leadership and shrinking ISRs with a new epoch.';
    expect(result.violation, explain(result, diagnosis)).toBeNull();
  });

  it('seed 39: the same bounce loses acks=all records with one failure at a time (invariant 1)', async () => {
    const result = await replay(39);
    const diagnosis =
      "Broker 1 leads payments-0 (epoch 1), loses power at 117.7 s and restarts at 120.2 s, still leader of epoch 1 with its log back at offset 13; " +
      'its followers see a diverging epoch and truncate 139 -> 13 -> 10, losing acks=all records, though only one broker ever failed at once.';
    expect(result.violation, explain(result, diagnosis)).toBeNull();
  });

  it('seed 10: the high watermark passes the log end of a follower the controller is adding to the ISR (invariant 3)', async () => {
    const result = await replay(10);
    const diagnosis =
      'Leader 3 of payments-2 asks to add broker 1 (log end 148 = high watermark) to the ISR; while the AlterPartition is in flight (199 ms link) ' +
      'it advances the high watermark to 149 on the old ISR [3,2]; then [3,2,1] is committed with broker 1 at 148 < 149. Kafka computes the high ' +
      'watermark over the maximal ISR (current plus pending additions, KIP-497) so this cannot happen; here, electing broker 1 next would lose offset 148.';
    expect(result.violation, explain(result, diagnosis)).toBeNull();
  });

  it('seed 4: a follower whose leader-epoch cache ends at its log end offset re-fetches forever and never rejoins the ISR (not converged)', async () => {
    const result = await replay(4);
    const diagnosis =
      'Broker 1 became leader of orders-2 in epoch 1 at offset 29 (epoch cache entry 1@29) and lost it; as a follower it sends lastFetchedEpoch=1, ' +
      'the leader answers diverging epoch 0 ending at 29, and BrokerNode.truncate returns early because 29 >= its log end offset, leaving the epoch ' +
      'cache entry in place: the same fetch repeats every millisecond for the rest of the run. Kafka truncates the epoch cache even then ' +
      '(UnifiedLog.truncateTo: "we may have a conflicting epoch entry at the end of the log").';
    expect(result.violation, explain(result, diagnosis)).toBeNull();
    expect(result.notConverged, explain(result, diagnosis)).toBeNull();
  });
});
