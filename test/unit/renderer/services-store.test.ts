/**
 * The services store follows the `services` stream while a view needs it (Services and Faults
 * both do), folds a command's snapshot in at once unless a newer push is already there, and sends
 * the Services view's commands as the contract spells them. The service-log store reads a
 * replica's console after the lines it has, keeps each log and the number of logs bounded, and
 * drops an answer for a log that was forgotten meanwhile.
 */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ServiceLog } from '../../../engine/api/services-dto';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import { rendererLimits } from '../../../renderer/src/domain/renderer-limits';
import { useServiceLogStore } from '../../../renderer/src/stores/service-log-store';
import { useServicesStore } from '../../../renderer/src/stores/services-store';
import { fakeEngine, refusal, type FakeEngine } from './fake-engine-api';
import { replica, servicesSnapshot, T0 } from './services-fixtures';

let engine: FakeEngine;

beforeEach(() => {
  setActivePinia(createPinia());
  engine = fakeEngine();
  provideEngineApi(engine.api);
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('useServicesStore', () => {
  it('follows the services stream while any view needs it, and derives the replicas in order', () => {
    const services = useServicesStore();
    services.start();
    services.start();
    expect(engine.subscriberCount('services')).toBe(1);
    engine.emit('services', servicesSnapshot());
    expect(services.replicas.map((r) => r.replicaId)).toEqual(['order-1', 'inventory-1', 'inventory-2']);
    expect(services.inventoryReplicas.map((r) => r.replicaId)).toEqual(['inventory-1', 'inventory-2']);
    expect(services.idleReplicaIds).toEqual(['inventory-2']);
    expect(services.replicaCount('inventory')).toBe(2);
    expect(services.topic).toBe('labshoppubsub');
    services.stop();
    expect(engine.subscriberCount('services')).toBe(1);
    services.stop();
    expect(engine.subscriberCount('services')).toBe(0);
  });

  it("folds a command's snapshot in at once, but not over a newer push", async () => {
    const services = useServicesStore();
    services.start();
    engine.emit('services', servicesSnapshot());
    const scaled = servicesSnapshot({ nowMs: T0 + 5, replicas: [...servicesSnapshot().replicas, replica('inventory-3')] });
    engine.on('scaleService', () => scaled);
    await services.scale('inventory', 3);
    expect(engine.calls.at(-1)).toMatchObject({ kind: 'command', name: 'scaleService', request: { service: 'inventory', replicas: 3 } });
    expect(services.replicaCount('inventory')).toBe(3);

    // The push for T0 + 20 overtook the answer of a crash taken at T0 + 10: the push stays.
    const answer = deferred<ReturnType<typeof servicesSnapshot>>();
    engine.on('replicaAction', () => answer.promise);
    const crashing = services.replicaAction('inventory-1', 'crash');
    engine.emit('services', servicesSnapshot({ nowMs: T0 + 20, replicas: [replica('inventory-1', { state: 'crashed' })] }));
    answer.resolve(servicesSnapshot({ nowMs: T0 + 10, replicas: [replica('inventory-1', { state: 'running' })] }));
    await crashing;
    expect(services.replica('inventory-1')?.state).toBe('crashed');
  });

  it('sends the commands as the contract spells them and passes refusals on untouched', async () => {
    const services = useServicesStore();
    engine.on('placeOrders', () => ({ orderIds: [1, 2, 3, 4] }));
    engine.on('setStock', () => servicesSnapshot());
    engine.on('setReplicaProcessing', () => servicesSnapshot());
    engine.on('setServicePorts', () => {
      throw refusal('INVALID_REQUEST', 'Port 8082 is already in use: inventory-1 cannot listen on 127.0.0.1:8082.');
    });
    expect(await services.placeOrders({ productId: 1, qty: 1, count: 4, intervalMs: 0 })).toEqual([1, 2, 3, 4]);
    await services.setStock({ replicaId: 'inventory-2', productId: 1, stock: 10 });
    await services.setProcessing('inventory-2', 250);
    await expect(services.setPorts({ enabled: true, host: '127.0.0.1', orderPort: 8081, inventoryBasePort: 8082 })).rejects.toThrow('Port 8082 is already in use');
    expect(engine.calls.map((c) => [c.name, c.request])).toEqual([
      ['placeOrders', { productId: 1, qty: 1, count: 4, intervalMs: 0 }],
      ['setStock', { replicaId: 'inventory-2', productId: 1, stock: 10 }],
      ['setReplicaProcessing', { replicaId: 'inventory-2', processingMsPerRecord: 250 }],
      ['setServicePorts', { enabled: true, host: '127.0.0.1', orderPort: 8081, inventoryBasePort: 8082 }],
    ]);
  });
});

describe('useServiceLogStore', () => {
  /** A replica log of `total` lines, answered from afterLine in pages of `page`. */
  function serveLog(total: () => number, page = 1000): void {
    engine.on('serviceLog', (request) => {
      const { replicaId, afterLine } = request as { replicaId: string; afterLine: number };
      const end = Math.min(total(), afterLine + page);
      const lines = Array.from({ length: Math.max(0, end - afterLine) }, (_, i) => `${replicaId} line ${afterLine + i}`);
      return { replicaId, firstLine: Math.min(afterLine, total()), lines, totalLines: total() } satisfies ServiceLog;
    });
  }

  const afterLines = () => engine.calls.filter((c) => c.name === 'serviceLog').map((c) => (c.request as { afterLine: number }).afterLine);

  it('reads only the lines after the ones it has, and only when the snapshot says there are more', async () => {
    let total = 3;
    serveLog(() => total);
    const logs = useServiceLogStore();
    logs.follow('inventory-2', 3);
    await flush();
    expect(logs.log('inventory-2')?.lines).toEqual(['inventory-2 line 0', 'inventory-2 line 1', 'inventory-2 line 2']);
    logs.follow('inventory-2', 3);
    await flush();
    total = 5;
    logs.follow('inventory-2', 5);
    await flush();
    expect(afterLines()).toEqual([0, 3]);
    expect(logs.log('inventory-2')?.lines.slice(-2)).toEqual(['inventory-2 line 3', 'inventory-2 line 4']);
  });

  it('reads page after page until it has the whole log, and keeps at most the bound', async () => {
    const total = rendererLimits.serviceLogLinesMax + 500;
    serveLog(() => total, 1000);
    const logs = useServiceLogStore();
    await logs.refresh('inventory-1');
    await flush();
    const log = logs.log('inventory-1');
    expect(afterLines()).toEqual([0, 1000, 2000]);
    expect(log?.lines).toHaveLength(rendererLimits.serviceLogLinesMax);
    expect(log?.lines.at(-1)).toBe(`inventory-1 line ${total - 1}`);
    expect(log?.droppedLines).toBe(500);
  });

  it('folds asks while a read travels into one more read', async () => {
    const answers: ReturnType<typeof deferred<ServiceLog>>[] = [];
    engine.on('serviceLog', () => {
      const next = deferred<ServiceLog>();
      answers.push(next);
      return next.promise;
    });
    const logs = useServiceLogStore();
    const first = logs.refresh('inventory-1');
    void logs.refresh('inventory-1');
    void logs.refresh('inventory-1');
    answers[0]!.resolve({ replicaId: 'inventory-1', firstLine: 0, lines: ['a'], totalLines: 1 });
    await flush();
    expect(answers).toHaveLength(2);
    answers[1]!.resolve({ replicaId: 'inventory-1', firstLine: 1, lines: ['b'], totalLines: 2 });
    await first;
    expect(logs.log('inventory-1')?.lines).toEqual(['a', 'b']);
  });

  it('drops the answer for a log forgotten meanwhile, and keeps the logs of at most a few replicas', async () => {
    const late = deferred<ServiceLog>();
    engine.on('serviceLog', () => late.promise);
    const logs = useServiceLogStore();
    const reading = logs.refresh('inventory-1');
    logs.forget('inventory-1');
    late.resolve({ replicaId: 'inventory-1', firstLine: 0, lines: ['stale'], totalLines: 1 });
    await reading;
    expect(logs.log('inventory-1')).toBeNull();

    serveLog(() => 1);
    for (let n = 1; n <= rendererLimits.serviceLogsKeptMax + 2; n++) await logs.refresh(`inventory-${n}`);
    expect(logs.logs.size).toBe(rendererLimits.serviceLogsKeptMax);
    expect(logs.log('inventory-1')).toBeNull();
    expect(logs.log(`inventory-${rendererLimits.serviceLogsKeptMax + 2}`)?.lines).toEqual([`inventory-${rendererLimits.serviceLogsKeptMax + 2} line 0`]);
  });

  it("keeps the engine's refusal per replica until a read succeeds", async () => {
    let refuse = true;
    engine.on('serviceLog', () => {
      if (refuse) throw refusal('INVALID_REQUEST', 'Unknown replica inventory-9.');
      return { replicaId: 'inventory-9', firstLine: 0, lines: [], totalLines: 0 };
    });
    const logs = useServiceLogStore();
    await logs.refresh('inventory-9');
    expect(logs.error('inventory-9')).toEqual({ errorName: 'INVALID_REQUEST', message: 'Unknown replica inventory-9.' });
    refuse = false;
    await logs.refresh('inventory-9');
    expect(logs.error('inventory-9')).toBeNull();
  });
});
