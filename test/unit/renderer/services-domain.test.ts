/**
 * The Services view's rules, as the seed's experiment reads them: replicas in the order a learner
 * counts them, the idle replica ("partitions assigned: []"), what each state allows, the ports and
 * `http` commands of the seed, the forms' checks (Java's idempotent producer needs acks=all), and a
 * replica's console read in increments that never repeats or loses a line silently.
 */
import { describe, expect, it } from 'vitest';
import type { ServiceLog } from '../../../engine/api/services-dto';
import { EMPTY_LOG, logHasNews, mergeLogChunk, serviceLogLevel } from '../../../renderer/src/domain/service-log';
import {
  assignedPartitionsText,
  isIdle,
  placeOrderCommand,
  readStockCommand,
  replicaActions,
  replicaPort,
  setStockCommand,
  sortReplicas,
  stockOf,
} from '../../../renderer/src/domain/services';
import { settingsForm, validatePlaceOrders, validatePorts, validateSetStock, validateSettings } from '../../../renderer/src/domain/services-validation';
import { replica, seedReplicas, servicesSnapshot, settings, TOPIC } from './services-fixtures';

const PORTS = servicesSnapshot().ports;

describe('service replicas', () => {
  it('are listed order first, then inventory-1, inventory-2, …, inventory-10 (not inventory-10 before inventory-2)', () => {
    const shuffled = [replica('inventory-10'), replica('inventory-2'), replica('order-1'), replica('inventory-1')];
    expect(sortReplicas(shuffled).map((r) => r.replicaId)).toEqual(['order-1', 'inventory-1', 'inventory-2', 'inventory-10']);
  });

  it('call a running inventory replica without partitions idle, and say it as Spring Kafka logs it', () => {
    const [idle, order, owner] = seedReplicas();
    expect(isIdle(idle!)).toBe(true);
    expect(assignedPartitionsText(idle!)).toBe('partitions assigned: []');
    expect(isIdle(owner!)).toBe(false);
    expect(assignedPartitionsText(owner!)).toBe(`partitions assigned: [${TOPIC}-0]`);
    // The order service consumes nothing; a crashed replica is not "idle", it is dead.
    expect(isIdle(order!)).toBe(false);
    expect(isIdle(replica('inventory-3', { state: 'crashed' }))).toBe(false);
  });

  it('offer pause, stop and crash while running, resume while paused, and only restart once dead', () => {
    expect(replicaActions('running')).toEqual(['pause', 'stop', 'crash']);
    expect(replicaActions('paused')).toEqual(['resume', 'stop', 'crash']);
    expect(replicaActions('crashed')).toEqual(['restart']);
    expect(replicaActions('stopped')).toEqual(['restart']);
  });

  it("use the seed's ports: order on 8081, inventory-N on 8082 + N − 1, or the port the engine bound", () => {
    expect(replicaPort(replica('order-1'), PORTS)).toBe(8081);
    expect(replicaPort(replica('inventory-1'), PORTS)).toBe(8082);
    expect(replicaPort(replica('inventory-2'), PORTS)).toBe(8083);
    expect(replicaPort(replica('inventory-2', { port: 9093 }), PORTS)).toBe(9093);
  });

  it("write the seed's http commands", () => {
    expect(placeOrderCommand(8081, 1, 1)).toBe('http :8081/orders productId=1 qty=1');
    expect(setStockCommand(8083, 1, 10)).toBe('http :8083/inventories id=1 stock=10');
    expect(readStockCommand(8082, 1)).toBe('http :8082/inventories/1');
  });

  it('read one product’s stock on a replica, or null where it was never registered', () => {
    const owner = seedReplicas()[2]!;
    expect(stockOf(owner, 1)).toBe(6);
    expect(stockOf(owner, 2)).toBeNull();
  });
});

describe('Services forms', () => {
  it('turn "4 orders of product 1, qty 1" into one placeOrders request', () => {
    expect(validatePlaceOrders({ productId: '1', qty: '1', count: '4', intervalMs: '0' })).toEqual({ ok: true, request: { productId: 1, qty: 1, count: 4, intervalMs: 0 } });
    const refused = validatePlaceOrders({ productId: '-1', qty: '0', count: '10001', intervalMs: 'soon' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(Object.keys(refused.problems).sort()).toEqual(['count', 'intervalMs', 'productId', 'qty']);
  });

  it('set stock on one replica with a per-replica store, and on the shared store otherwise', () => {
    expect(validateSetStock({ replicaId: 'inventory-2', productId: '1', stock: '10' }, true, ['inventory-1', 'inventory-2'])).toEqual({
      ok: true,
      request: { replicaId: 'inventory-2', productId: 1, stock: 10 },
    });
    expect(validateSetStock({ replicaId: 'inventory-2', productId: '1', stock: '10' }, false, ['inventory-1'])).toEqual({ ok: true, request: { productId: 1, stock: 10 } });
    const gone = validateSetStock({ replicaId: 'inventory-3', productId: '1', stock: '10' }, true, ['inventory-1']);
    expect(gone.ok ? null : gone.problems.replicaId).toEqual({ key: 'services.errors.replicaGone', params: { replicaId: 'inventory-3' } });
  });

  it('refuse ports below 1024 (the contract’s range) and send the toggle with both ports', () => {
    expect(validatePorts({ orderPort: '8081', inventoryBasePort: '8082' }, true)).toEqual({ ok: true, request: { enabled: true, host: '127.0.0.1', orderPort: 8081, inventoryBasePort: 8082 } });
    expect(validatePorts({ orderPort: '80', inventoryBasePort: '8082' }, true).ok).toBe(false);
  });

  it('send only the settings that changed, to the service they belong to', () => {
    const current = settings();
    const form = settingsForm(current);
    expect(validateSettings(form, current)).toEqual({ ok: true, request: null });
    expect(validateSettings({ ...form, key: 'productId', store: 'shared', maxPollRecords: '10' }, current)).toEqual({
      ok: true,
      request: { order: { key: 'productId' }, inventory: { store: 'shared', maxPollRecords: 10 } },
    });
  });

  it("refuse enable.idempotence without acks=all, as Java's producer does, and a heartbeat not below the session timeout", () => {
    const current = settings();
    const form = settingsForm(current);
    const idempotent = validateSettings({ ...form, acks: '1', enableIdempotence: true }, current);
    expect(idempotent.ok ? null : idempotent.problems.enableIdempotence?.key).toBe('services.errors.idempotenceNeedsAcksAll');
    // acks=1 is allowed once idempotence is off: the acks=1 failover lesson needs it.
    expect(validateSettings({ ...form, acks: '1', enableIdempotence: false }, current)).toEqual({ ok: true, request: { order: { acks: '1', enableIdempotence: false } } });
    const heartbeat = validateSettings({ ...form, heartbeatIntervalMs: '45000' }, current);
    expect(heartbeat.ok ? null : heartbeat.problems.heartbeatIntervalMs).toEqual({ key: 'services.errors.heartbeatTooHigh', params: { heartbeat: 45000, session: 45000 } });
  });
});

describe('a replica’s console read in increments', () => {
  const chunk = (firstLine: number, count: number, totalLines = firstLine + count): ServiceLog => ({
    replicaId: 'inventory-2',
    firstLine,
    lines: Array.from({ length: count }, (_, i) => `line ${firstLine + i}`),
    totalLines,
  });

  it('appends the lines after the ones it has, and adds nothing twice when a chunk overlaps', () => {
    const first = mergeLogChunk(EMPTY_LOG, chunk(0, 3), 100);
    expect(first).toMatchObject({ firstLine: 0, nextLine: 3, droppedLines: 0 });
    const overlapping = mergeLogChunk(first, chunk(1, 4), 100);
    expect(overlapping.lines).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
    expect(overlapping.nextLine).toBe(5);
    // Nothing new: the same buffer, so nothing redraws.
    expect(mergeLogChunk(overlapping, chunk(3, 2), 100)).toBe(overlapping);
  });

  it('counts the lines the engine dropped before they were read, and keeps at most the bound', () => {
    const gap = mergeLogChunk(mergeLogChunk(EMPTY_LOG, chunk(0, 2), 100), chunk(10, 2), 100);
    expect(gap.lines).toEqual(['line 0', 'line 1', 'line 10', 'line 11']);
    expect(gap.droppedLines).toBe(8);
    const bounded = mergeLogChunk(EMPTY_LOG, chunk(0, 250), 100);
    expect(bounded.lines).toHaveLength(100);
    expect(bounded.lines[0]).toBe('line 150');
    expect(bounded).toMatchObject({ firstLine: 150, nextLine: 250, droppedLines: 150 });
  });

  it('starts over when the log is shorter than what was read (the replica was removed and started again)', () => {
    const old = mergeLogChunk(EMPTY_LOG, chunk(0, 40), 100);
    const restarted = mergeLogChunk(old, chunk(0, 3, 3), 100);
    expect(restarted.lines).toEqual(['line 0', 'line 1', 'line 2']);
    expect(restarted.nextLine).toBe(3);
    // A chunk from the middle of the new log: read again from its start.
    expect(mergeLogChunk(old, chunk(5, 0, 7), 100)).toEqual(EMPTY_LOG);
    expect(logHasNews(restarted, 3)).toBe(false);
    expect(logHasNews(restarted, 4)).toBe(true);
    expect(logHasNews(restarted, 1)).toBe(true);
  });

  it('knows the level of Spring Boot and log4j lines', () => {
    expect(serviceLogLevel('2026-11-22 07:49:13.252  INFO 4002 --- [ntainer#0-0-C-1] o.s.k.l.KafkaMessageListenerContainer    : inventory: partitions assigned: []')).toBe('INFO');
    expect(serviceLogLevel('2026-11-22 07:49:13.252  WARN 4002 --- [ntainer#0-0-C-1] o.a.k.c.c.internals.ConsumerCoordinator  : Offset commit failed')).toBe('WARN');
    expect(serviceLogLevel('[2025-05-06 07:08:09,010] WARN [Consumer clientId=inventory-1, groupId=inventory] heartbeat failed')).toBe('WARN');
    expect(serviceLogLevel('  at com.example.Inventory.handle(Inventory.java:42)')).toBeNull();
  });
});
