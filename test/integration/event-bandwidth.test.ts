/**
 * The contract's streams stay within their bandwidth bound: with 3 brokers, a 12-partition topic,
 * 2 consumer groups and 6 service replicas under a steady order load, everything the UI subscribes
 * to (cluster status, groups, services, faults, metrics, timeline) costs at most 50 KB per second of
 * real time, at 1x and at 10x clock speed, and no stream pushes more than 10 times a second.
 *
 * Real time is modelled: each push tick is 100 ms of real time, during which engine time moves
 * 100 ms x speed; frames are encoded per subscriber exactly as the WebSocket and IPC transports do.
 */
import { describe, expect, it } from 'vitest';
import { eventNames, type EventName } from '../../engine/api/contract.js';
import { SeededPrng } from '../../engine/core/prng.js';
import { Scheduler, runUntilSettled } from '../../engine/core/scheduler.js';
import { SimulationTime } from '../../engine/core/simulation-time.js';
import { EventEncoder } from '../../engine/host/event-encoder.js';
import { Gateway } from '../../engine/host/gateway.js';
import { InProcessHost } from '../../engine/host/in-process-host.js';
import { Workbench } from '../../engine/host/workbench.js';
import { MemoryDisk } from '../../engine/storage/disk/memory-disk.js';
import { steppedTimers } from '../helpers/stepped-timers.js';

const BOUND_BYTES_PER_SEC = 50 * 1024;
const TICK_REAL_MS = 100;

async function measure(seed: number, speed: number, realSeconds: number) {
  const scheduler = new Scheduler(1_700_000_000_000);
  const uiTimers = steppedTimers();
  const workbench = new Workbench({ brokerCount: 3, disk: new MemoryDisk(), dataDir: '/data', clock: scheduler, prng: new SeededPrng(seed), timers: scheduler, uiTimers, time: new SimulationTime(scheduler) });
  const gateway = new Gateway(new InProcessHost(workbench, (work) => runUntilSettled(scheduler, work, 60_000)), { checkResponses: true });
  const call = async (kind: 'command' | 'query', name: string, payload: unknown): Promise<unknown> => {
    const answer = await gateway.invoke(kind, name, payload);
    if (!answer.ok) throw new Error(`${name}: ${answer.error.name} ${answer.error.message} (seed ${seed})`);
    return answer.value;
  };
  await call('command', 'createTopic', { name: 'labshoppubsub', partitions: 12, replicationFactor: 3 });
  await call('command', 'configureServices', { order: { key: 'orderId' } });
  await call('command', 'scaleService', { service: 'order', replicas: 2 });
  await call('command', 'scaleService', { service: 'inventory', replicas: 4 });
  await call('command', 'startConsumer', { groupId: 'audit', topics: ['labshoppubsub'], autoOffsetReset: 'earliest' });
  await call('command', 'setStock', { productId: 1, stock: 1_000_000 });
  scheduler.runUntil(scheduler.nowMs() + 15_000);
  uiTimers.advance(1000);

  // The UI's subscriptions, each with its own encoder as a transport keeps per subscriber.
  const encoder = new EventEncoder();
  const pushes = new Map<EventName, number>();
  const bytes = new Map<EventName, number>();
  const bytesBefore = { value: 0 };
  for (const event of eventNames) {
    gateway.subscribe(event, (payload) => {
      const before = encoder.bytesEncoded;
      encoder.encode(event, payload);
      bytes.set(event, (bytes.get(event) ?? 0) + encoder.bytesEncoded - before);
      pushes.set(event, (pushes.get(event) ?? 0) + 1);
    });
  }
  bytesBefore.value = encoder.bytesEncoded;
  pushes.clear();
  bytes.clear();

  // 20 orders per engine second, as a steady load.
  const ticks = (realSeconds * 1000) / TICK_REAL_MS;
  const engineMsPerTick = TICK_REAL_MS * speed;
  let ordersDue = 0;
  for (let tick = 0; tick < ticks; tick++) {
    ordersDue += (engineMsPerTick / 1000) * 20;
    const count = Math.floor(ordersDue);
    ordersDue -= count;
    if (count > 0) await call('command', 'placeOrders', { productId: 1 + (tick % 5), qty: 1, count, intervalMs: Math.floor(engineMsPerTick / count) });
    scheduler.runUntil(scheduler.nowMs() + engineMsPerTick);
    uiTimers.advance(TICK_REAL_MS);
  }
  const bytesPerSec = (encoder.bytesEncoded - bytesBefore.value) / realSeconds;
  const maxPushesPerSec = Math.max(...[...pushes.values()].map((n) => n / realSeconds));
  const figures = (await call('query', 'services', {})) as { figures: { ordersProcessed: number; ordersAcknowledged: number } };
  workbench.close();
  const perStream = Object.fromEntries([...bytes].map(([event, n]) => [event, Math.round(n / realSeconds)]));
  return { bytesPerSec, maxPushesPerSec, pushes, perStream, figures: figures.figures };
}

describe('the streams stay within their bandwidth bound', () => {
  it.each([1, 10])('at %sx clock speed: at most 50 KB/s for 3 brokers, 12 partitions, 2 groups, 6 service replicas (seed 6110)', async (speed) => {
    const seed = 6110;
    const { bytesPerSec, maxPushesPerSec, pushes, perStream, figures } = await measure(seed, speed, 30);
    const detail = `seed ${seed}, speed ${speed}x: ${Math.round(bytesPerSec)} B/s (per stream ${JSON.stringify(perStream)}), pushes ${JSON.stringify(Object.fromEntries(pushes))}`;
    console.log(detail);
    // The load really ran: orders were acknowledged and processed while we measured.
    expect(figures.ordersAcknowledged, detail).toBeGreaterThan(100);
    expect(figures.ordersProcessed, detail).toBeGreaterThan(100);
    expect(bytesPerSec, detail).toBeLessThanOrEqual(BOUND_BYTES_PER_SEC);
    expect(maxPushesPerSec, detail).toBeLessThanOrEqual(10);
  });
});
