/**
 * The workbench's metrics keep the same memory however long a run lasts: an hour of engine time
 * (fast-forwarded, when every ring has filled) with the services under load ends with the same ring
 * sizes fifteen minutes later,
 * and the timeline, the replicas' logs and the business figures' order tracking stay within their
 * bounds.
 */
import { describe, expect, it } from 'vitest';
import type { ServicesSnapshot } from '../../engine/api/services-dto.js';
import { SeededPrng } from '../../engine/core/prng.js';
import { Scheduler, runUntilSettled } from '../../engine/core/scheduler.js';
import { SimulationTime } from '../../engine/core/simulation-time.js';
import { Gateway } from '../../engine/host/gateway.js';
import { InProcessHost } from '../../engine/host/in-process-host.js';
import { Workbench } from '../../engine/host/workbench.js';
import { metricsLimits } from '../../engine/metrics/metrics-limits.js';
import { MemoryDisk } from '../../engine/storage/disk/memory-disk.js';
import { manualTimers } from '../helpers/manual-timers.js';

describe('metrics memory over a long run', () => {
  it('after an hour every ring is full, and fifteen minutes later none is larger (seed 660)', async () => {
    const seed = 660;
    const scheduler = new Scheduler(1_700_000_000_000);
    const uiTimers = manualTimers();
    const workbench = new Workbench({ brokerCount: 3, disk: new MemoryDisk(), dataDir: '/data', clock: scheduler, prng: new SeededPrng(seed), timers: scheduler, uiTimers, time: new SimulationTime(scheduler) });
    const gateway = new Gateway(new InProcessHost(workbench, (work) => runUntilSettled(scheduler, work, 60_000)), { checkResponses: true });
    const call = async <T>(kind: 'command' | 'query', name: string, payload: unknown): Promise<T> => {
      const answer = await gateway.invoke(kind, name, payload);
      if (!answer.ok) throw new Error(`${name}: ${answer.error.name} ${answer.error.message} (seed ${seed})`);
      return answer.value as T;
    };
    await call('command', 'createTopic', { name: 'labshoppubsub', partitions: 12, replicationFactor: 3 });
    await call('command', 'configureServices', { order: { key: 'orderId' }, inventory: { store: 'shared' } });
    await call('command', 'scaleService', { service: 'order', replicas: 2 });
    await call('command', 'scaleService', { service: 'inventory', replicas: 4 });
    await call('command', 'startConsumer', { groupId: 'audit', topics: ['labshoppubsub'] });
    await call('command', 'setStock', { productId: 1, stock: 1_000_000_000 });
    /** Runs `minutes` of engine time with 2 orders a second, draining the push streams as the UI timer would. */
    const runMinutes = async (minutes: number): Promise<void> => {
      for (let m = 0; m < minutes; m++) {
        await call('command', 'placeOrders', { productId: 1, qty: 1, count: 120, intervalMs: 500 });
        for (let s = 0; s < 60; s++) {
          scheduler.runUntil(scheduler.nowMs() + 1000);
          uiTimers.fireAll();
        }
      }
    };
    await runMinutes(61);
    const atHour = workbench.metrics.ringSizes();
    const timelineAtHour = workbench.eventTimeline.size();
    await runMinutes(15);
    const later = workbench.metrics.ringSizes();
    const detail = `seed ${seed}: after 61 min ${JSON.stringify(atHour)}, after 76 min ${JSON.stringify(later)}`;
    // Every series' ring holds its 3,600 samples (an hour at 1 s) and no more.
    expect(atHour.instants, detail).toBe(metricsLimits.ringCapacity);
    expect(atHour.points, detail).toBe(atHour.series * metricsLimits.ringCapacity);
    expect(later, detail).toEqual(atHour);
    expect(workbench.eventTimeline.size(), `seed ${seed}`).toBeLessThanOrEqual(metricsLimits.timelineEntriesMax);
    expect(workbench.eventTimeline.size(), `seed ${seed}`).toBeGreaterThanOrEqual(timelineAtHour);
    const services = await call<ServicesSnapshot>('query', 'services', {});
    // The load really ran for the hour, and every replica's console stays bounded.
    expect(services.figures.ordersAcknowledged, `seed ${seed}`).toBe(76 * 120);
    expect(services.figures.ordersProcessed, `seed ${seed}`).toBeGreaterThan(76 * 120 - 200);
    for (const replica of services.replicas) {
      const log = await call<{ lines: string[]; totalLines: number }>('query', 'serviceLog', { replicaId: replica.replicaId, afterLine: 0 });
      expect(log.lines.length, `seed ${seed}: ${replica.replicaId}`).toBeLessThanOrEqual(2000);
    }
    workbench.close();
    // 76 minutes of engine time with seven clients takes about a minute of CPU on a 2-core machine;
    // the bound is there to catch a hang, not to measure speed (that is the benchmarks' job).
  }, 240_000);
});
