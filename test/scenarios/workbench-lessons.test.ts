/**
 * Issue #6's lessons end to end, through the contract, on the whole workbench (cluster, services,
 * faults, metrics and timeline wired as the app wires them) on virtual time:
 * - crashing an inventory replica without LeaveGroup stalls its partition for session.timeout.ms,
 *   and the lag status says so (STOP) until the coordinator moves the partition;
 * - a slow replica drives its partition's lag up and the status to WARN, with its reason;
 * - the acks=1 failover preset loses acknowledged orders and the business figures count them;
 *   with acks=all and min.insync.replicas=2 the same preset loses nothing.
 */
import { describe, expect, it } from 'vitest';
import type { FaultsSnapshot, PresetRun } from '../../engine/api/faults-dto.js';
import type { GroupLagStatus, MetricsSnapshot, TimelineEntry } from '../../engine/api/metrics-dto.js';
import type { ServicesSnapshot } from '../../engine/api/services-dto.js';
import { SeededPrng } from '../../engine/core/prng.js';
import { Scheduler, runUntilSettled } from '../../engine/core/scheduler.js';
import { SimulationTime } from '../../engine/core/simulation-time.js';
import { Gateway } from '../../engine/host/gateway.js';
import { InProcessHost } from '../../engine/host/in-process-host.js';
import { Workbench } from '../../engine/host/workbench.js';
import { MemoryDisk } from '../../engine/storage/disk/memory-disk.js';
import { manualTimers } from '../helpers/manual-timers.js';

const TOPIC = 'labshoppubsub';

function workbenchLab(seed: number) {
  const scheduler = new Scheduler(1_700_000_000_000);
  const workbench = new Workbench({ brokerCount: 3, disk: new MemoryDisk(), dataDir: '/data', clock: scheduler, prng: new SeededPrng(seed), timers: scheduler, uiTimers: manualTimers(), time: new SimulationTime(scheduler) });
  const gateway = new Gateway(new InProcessHost(workbench, (work) => runUntilSettled(scheduler, work, 120_000)), { checkResponses: true });
  const call = async <T>(kind: 'command' | 'query', name: string, payload: unknown): Promise<T> => {
    const answer = await gateway.invoke(kind, name, payload);
    if (!answer.ok) throw new Error(`${name}: ${answer.error.name} ${answer.error.message} (seed ${seed})`);
    return answer.value as T;
  };
  const run = (ms: number): void => void scheduler.runUntil(scheduler.nowMs() + ms);
  const services = () => call<ServicesSnapshot>('query', 'services', {});
  const lag = async (): Promise<GroupLagStatus> => {
    const snapshot = await call<MetricsSnapshot>('query', 'metricsSnapshot', {});
    const group = snapshot.lagStatus.find((g) => g.groupId === 'inventory');
    if (group === undefined) throw new Error(`no lag status for group inventory (seed ${seed})`);
    return group;
  };
  const timeline = async (): Promise<TimelineEntry[]> => (await call<{ entries: TimelineEntry[] }>('query', 'timeline', { afterId: 0, limit: 5000 })).entries;
  /** Which inventory replica owns a partition now. */
  const ownerOf = async (partition: number): Promise<string | null> =>
    (await services()).replicas.find((r) => r.service === 'inventory' && r.state === 'running' && r.assignment.some((tp) => tp.partition === partition))?.replicaId ?? null;
  return { scheduler, workbench, call, run, services, lag, timeline, ownerOf, close: () => workbench.close() };
}

/** The seed's setup: the topic, one order replica, inventory replicas with stock to spare. */
async function shop(lab: ReturnType<typeof workbenchLab>, options: { partitions: number; inventories: number; configs?: Record<string, string>; store?: 'shared' | 'per-replica' }) {
  await lab.call('command', 'createTopic', { name: TOPIC, partitions: options.partitions, replicationFactor: 3, configs: options.configs ?? {} });
  await lab.call('command', 'configureServices', { order: { key: 'orderId' }, inventory: { store: options.store ?? 'shared' } });
  await lab.call('command', 'scaleService', { service: 'order', replicas: 1 });
  await lab.call('command', 'scaleService', { service: 'inventory', replicas: options.inventories });
  await lab.call('command', 'setStock', { productId: 1, stock: 100_000 });
  lab.run(15_000);
}

describe('the workbench shows the workshop lessons', () => {
  it('an inventory replica crashed without LeaveGroup stalls its partition for session.timeout.ms; the lag status says STOP, then OK once it moves (seed 601)', async () => {
    const seed = 601;
    const lab = workbenchLab(seed);
    await shop(lab, { partitions: 2, inventories: 2 });
    const victim = (await lab.ownerOf(0))!;
    expect(victim, `seed ${seed}`).not.toBeNull();
    // Steady load on both partitions, 4 orders a second for two minutes.
    await lab.call('command', 'placeOrders', { productId: 1, qty: 1, count: 480, intervalMs: 250 });
    lab.run(20_000);
    expect((await lab.lag()).status, `seed ${seed}`).toBe('OK');

    await lab.call('command', 'replicaAction', { replicaId: victim, action: 'crash' });
    lab.run(25_000);
    // 25 s after the crash the coordinator still counts the dead member (session.timeout.ms 45 s):
    // partition 0 is nobody's to fetch, its lag grows and the status says why.
    expect(await lab.ownerOf(0), `seed ${seed}`).toBeNull();
    const stalled = await lab.lag();
    const p0 = stalled.partitions.find((p) => p.partition === 0)!;
    expect(stalled.status, `seed ${seed}`).toBe('ERR');
    expect(p0.status, `seed ${seed}: ${p0.reason}`).toBe('STOP');
    expect(p0.reason, `seed ${seed}`).toMatch(/commit/i);
    expect(p0.currentLag, `seed ${seed}`).toBeGreaterThan(20);
    expect(stalled.partitions.find((p) => p.partition === 1)!.status, `seed ${seed}`).toBe('OK');

    lab.run(40_000);
    // The session expired: the survivor owns both partitions and works the backlog off.
    const survivor = (await lab.services()).replicas.find((r) => r.service === 'inventory' && r.replicaId !== victim)!.replicaId;
    expect(await lab.ownerOf(0), `seed ${seed}`).toBe(survivor);
    lab.run(30_000);
    expect((await lab.lag()).partitions.find((p) => p.partition === 0)!.status, `seed ${seed}`).toBe('OK');
    const entries = await lab.timeline();
    expect(entries.some((e) => e.kind === 'rebalance' && /session|timed out|expired/i.test(e.text)), `seed ${seed}`).toBe(true);
    lab.close();
  });

  it('a slow inventory replica drives its lag up and the status to WARN, with the reason (seed 602)', async () => {
    const seed = 602;
    const lab = workbenchLab(seed);
    await shop(lab, { partitions: 2, inventories: 2 });
    const slow = (await lab.ownerOf(0))!;
    // 2 orders a second per partition; the slow replica needs 1 s per order.
    await lab.call('command', 'setReplicaProcessing', { replicaId: slow, processingMsPerRecord: 1000 });
    await lab.call('command', 'configureServices', { inventory: { commitMode: 'sync-after-processing' } });
    await lab.call('command', 'placeOrders', { productId: 1, qty: 1, count: 480, intervalMs: 250 });
    lab.run(60_000);
    const status = await lab.lag();
    const p0 = status.partitions.find((p) => p.partition === 0)!;
    expect(p0.status, `seed ${seed}: ${p0.rule} ${p0.reason}`).toBe('WARN');
    expect(status.status, `seed ${seed}`).toBe('WARN');
    expect(p0.reason, `seed ${seed}`).toMatch(/lag/i);
    expect(p0.currentLag, `seed ${seed}`).toBeGreaterThan(10);
    expect(status.partitions.find((p) => p.partition === 1)!.status, `seed ${seed}`).toBe('OK');
    lab.close();
  });

  it.each([
    { acks: '1' as const, minIsr: '1', loses: true, seed: 603 },
    { acks: 'all' as const, minIsr: '2', loses: false, seed: 604 },
  ])('the acks=1 failover preset with acks=$acks, min.insync.replicas=$minIsr: loses orders = $loses (seed $seed)', async ({ acks, minIsr, loses, seed }) => {
    const lab = workbenchLab(seed);
    await shop(lab, { partitions: 1, inventories: 1, configs: { 'min.insync.replicas': minIsr } });
    await lab.call('command', 'configureServices', { order: { acks } });
    lab.run(2_000);
    const run = await lab.call<PresetRun>('command', 'applyPreset', { presetId: 'acks1-failover-loss' });
    expect(run.target, `seed ${seed}`).toContain(`${TOPIC}-0`);
    lab.run(60_000);
    const faults = await lab.call<FaultsSnapshot>('query', 'faults', {});
    const finished = faults.presetRuns.find((r) => r.presetRunId === run.presetRunId)!;
    expect(finished.steps.every((s) => s.state === 'done'), `seed ${seed}: ${JSON.stringify(finished.steps)}`).toBe(true);
    lab.run(120_000);
    const { figures } = await lab.services();
    const detail = `seed ${seed}: ${JSON.stringify({ ...figures, lostOrders: figures.lostOrders.length })}`;
    expect(figures.ordersAcknowledged, detail).toBeGreaterThan(0);
    if (loses) {
      expect(figures.lost, detail).toBeGreaterThan(0);
      expect(figures.lostOrders.length, detail).toBe(Math.min(figures.lost, figures.lostOrders.length));
      expect(figures.stockStatus, detail).toBe('inconsistent');
      const dataLoss = (await lab.timeline()).filter((e) => e.kind === 'data-loss');
      expect(dataLoss.length, detail).toBeGreaterThan(0);
      expect(dataLoss[0]!.text, detail).toContain(`${TOPIC}-0`);
    } else {
      expect(figures.lost, detail).toBe(0);
      expect(figures.ordersProcessed, detail).toBe(figures.ordersAcknowledged);
      expect(figures.stockStatus, detail).toBe('consistent');
    }
    lab.close();
  });
});
