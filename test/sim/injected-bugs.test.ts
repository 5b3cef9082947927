/**
 * The checkers catch an engine that misbehaves: a committed record that changed on one replica
 * (invariant 2), a replica that stored a record its epoch's leader never sent (invariant 4), and an
 * acknowledgement no broker backed (invariant 1). Each report names the
 * invariant and the seed, and gives the command that replays the run. Without the wrapper the same
 * run is clean, so it is the injected bug that is caught.
 */
import { describe, expect, it } from 'vitest';
import { defaultSimOptions } from '../../engine/sim/sim-config.js';
import { formatViolation } from '../../engine/sim/sim-report.js';
import { runSimulation } from '../../engine/sim/simulation.js';
import { corruptOneFetch, corruptRecordInPlace, fakeOneAck } from './sim-test-helpers.js';

const SEED = 1234;
// Faults off: the run is clean but for the injected bug, whatever the engine's own fault handling does.
const OPTIONS = defaultSimOptions(SEED, { faults: false, faultPhaseMs: 30_000 });

describe('injected engine bugs', () => {
  it('the same run without a wrapper violates nothing', async () => {
    const result = await runSimulation(OPTIONS);
    expect(result.violation).toBeNull();
    expect(result.acked.all).toBeGreaterThan(100);
  });

  it('a committed record rewritten in place on one replica is reported as invariant 2, with the seed and the replay command', async () => {
    let corrupted = '';
    const result = await runSimulation(OPTIONS, {
      onClusterReady: ({ cluster, scheduler, disks }) => {
        scheduler.after(15_000, () => {
          const follower = cluster.partition('orders', 0).replicas[1]!;
          corrupted = corruptRecordInPlace(disks[follower - 1]!, '/sim', follower, 'orders', 0, 2);
        });
      },
    });
    expect(corrupted).toMatch(/^p\d-\d+ -> X\d-\d+$/);
    expect(result.violation).toMatchObject({ invariant: 2, replay: `kafka-lab sim --seed ${SEED}` });
    expect(result.violation!.detail).toContain('orders-0 offset 2:');
    expect(result.violation!.detail).toContain(corrupted.split(' -> ')[1]);
    const report = formatViolation(SEED, result.violation!);
    expect(report).toContain('VIOLATION of invariant 2 (replicas agree below the high watermark)');
    expect(report).toContain(`seed ${SEED}, at `);
    expect(report).toContain('trace tail:');
    expect(report).toContain(`replay: kafka-lab sim --seed ${SEED}`);
  });

  it('a follower that stores a record its leader never sent is reported as invariant 4 (two writers in one epoch)', async () => {
    let corrupted: () => string | null = () => null;
    const result = await runSimulation(OPTIONS, {
      onClusterReady: ({ cluster, scheduler }) => {
        scheduler.after(10_000, () => {
          const follower = cluster.partition('orders', 0).replicas[1]!;
          corrupted = corruptOneFetch(cluster, scheduler, { topic: 'orders', partition: 0, brokerId: follower, afterMs: 10_000 }).corrupted;
        });
      },
    });
    expect(corrupted()).not.toBeNull();
    expect(result.violation).toMatchObject({ invariant: 4, replay: `kafka-lab sim --seed ${SEED}` });
    expect(result.violation!.detail).toContain('forged');
    expect(result.violation!.detail).toContain('two different records under leader epoch 0');
  });

  it('a fake acks=all acknowledgement is reported as invariant 1 at the end, naming the record', async () => {
    let faked: () => string | null = () => null;
    const result = await runSimulation(OPTIONS, {
      onClusterReady: ({ cluster, scheduler }) => {
        faked = fakeOneAck(cluster, scheduler, 10_000).faked;
      },
    });
    expect(faked()).not.toBeNull();
    expect(result.violation).toMatchObject({ invariant: 1, replay: `kafka-lab sim --seed ${SEED}` });
    expect(result.violation!.detail).toMatch(/was acknowledged with acks=all at .* offset \d+, but after healing/);
    expect(result.violation!.detail).toContain(faked()!.split(' offset ')[0]);
  });
});
