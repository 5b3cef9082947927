/**
 * Losses the configuration permits are counted with their reason, not flagged: acks=1 records on a
 * leader that is cut off and then fails over are lost when it rejoins and truncates, exactly as in
 * Kafka, and the run still passes every invariant.
 */
import { describe, expect, it } from 'vitest';
import { defaultSimOptions } from '../../engine/sim/sim-config.js';
import { formatRunSummary } from '../../engine/sim/sim-report.js';
import { runSimulation } from '../../engine/sim/simulation.js';

const SEED = 77;
const ACKS1_FAILOVER = 'acks=1: leader failover (acknowledged by the leader alone)';

describe('permitted losses', () => {
  it('acks=1 records lost on leader failover are reported as permitted, and the run passes', async () => {
    const result = await runSimulation(defaultSimOptions(SEED, { faults: false, faultPhaseMs: 60_000, acksAllShare: 0 }), {
      onClusterReady: ({ cluster, scheduler }) => {
        let leader = -1;
        // The leader of orders-0 is cut off from the other brokers (it keeps taking acks=1 writes
        // alone), then dies; a follower takes over; the old leader returns and truncates.
        scheduler.after(20_000, () => {
          leader = cluster.partition('orders', 0).leader;
          for (const other of cluster.brokers) if (other.id !== leader) cluster.network.setLink(leader, other.id, { up: false });
        });
        scheduler.after(25_000, () => cluster.killBroker(leader));
        scheduler.after(45_000, () => {
          for (const other of cluster.brokers) if (other.id !== leader) cluster.network.setLink(leader, other.id, { up: true });
          cluster.restartBroker(leader);
        });
      },
    });
    expect(result.violation).toBeNull();
    expect(result.notConverged).toBeNull();
    expect(result.reportedLosses[ACKS1_FAILOVER]).toBeGreaterThan(0);
    expect(result.verifiedLosses[ACKS1_FAILOVER]).toBeGreaterThan(0);
    expect(Object.keys(result.verifiedLosses)).toEqual([ACKS1_FAILOVER]);
    expect(formatRunSummary(result, 1)).toContain(`losses found at the end: ${ACKS1_FAILOVER} ×${result.verifiedLosses[ACKS1_FAILOVER]}`);
  });
});
