/**
 * The seed's HTTP commands against one replica, without sockets: `http :8081/orders productId=1
 * qty=1` (httpie sends the numbers as strings), `http :8082/inventories id=1 stock=10`,
 * `http :8082/inventories/1`; and the answers a learner gets for a typo, a missing product or a
 * replica that is paused.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../engine/cluster/cluster.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { Scheduler } from '../../../engine/core/scheduler.js';
import { route, type HttpAnswer } from '../../../engine/services/http-endpoints.js';
import { Services } from '../../../engine/services/services.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';

function bench(seed = 31) {
  const scheduler = new Scheduler(1_700_000_000_000);
  const cluster = new Cluster({ brokerCount: 1, clock: scheduler, timers: scheduler, prng: new SeededPrng(seed), disk: new MemoryDisk(), dataDir: '/data', linkLatencyMs: 1 });
  const services = new Services({
    cluster,
    clock: scheduler,
    timers: scheduler,
    prng: new SeededPrng(seed + 1),
    timeline: { add: () => 1, end: () => {} },
    stopTheWorld: { partitionsStopped: () => {}, partitionsResumed: () => {} },
    onChange: () => {},
    replicas: { order: 1, inventory: 2 },
  });
  scheduler.runUntil(scheduler.nowMs() + 10_000);
  const call = (replicaId: string, method: string, path: string, body: unknown = ''): HttpAnswer =>
    route(services, replicaId, { method, path, body: typeof body === 'string' ? body : JSON.stringify(body), nowMs: scheduler.nowMs(), baseUrl: 'http://localhost:8082' });
  return { scheduler, services, call };
}

describe('order replica endpoints', () => {
  it('POST /orders with httpie\'s string numbers answers 201 with the order and its location, before any acknowledgement', () => {
    const { services, call } = bench();
    const answer = call('order-1', 'POST', '/orders', { productId: '1', qty: '2' });
    expect(answer).toEqual({
      status: 201,
      headers: { Location: 'http://localhost:8082/orders/1' },
      body: { id: 1, productId: 1, qty: 2, _links: { self: { href: 'http://localhost:8082/orders/1' }, order: { href: 'http://localhost:8082/orders/1' } } },
    });
    expect(services.businessFigures()).toMatchObject({ ordersPlaced: 1, ordersInFlight: 1, ordersAcknowledged: 0 });
  });

  it.each([
    [{ productId: 1, qty: 0 }, 'Invalid request body: qty must be at least 1 (got 0).'],
    [{ productId: 'one', qty: 1 }, 'Invalid request body: productId must be a whole number (got "one").'],
    [{ productId: 1.5, qty: 1 }, 'Invalid request body: productId must be a whole number (got 1.5).'],
    [{ qty: 1 }, 'Invalid request body: productId is required.'],
    ['', 'Required request body is missing.'],
    ['{"productId":', 'JSON parse error: the request body is not valid JSON.'],
    ['[1]', 'JSON parse error: the request body must be a JSON object.'],
  ])('POST /orders %j is a 400 saying what is wrong', (body, message) => {
    const { services, call } = bench();
    const answer = call('order-1', 'POST', '/orders', body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: 400, error: 'Bad Request', message, path: '/orders' });
    expect(services.businessFigures().ordersPlaced).toBe(0);
  });

  it('other paths are 404 and other methods on /orders 405, in Spring Boot\'s error body', () => {
    const { call } = bench();
    expect(call('order-1', 'GET', '/orders')).toMatchObject({ status: 405, body: { error: 'Method Not Allowed' } });
    expect(call('order-1', 'POST', '/inventories', { id: 1, stock: 1 })).toMatchObject({ status: 404, body: { error: 'Not Found', path: '/inventories' } });
  });
});

describe('inventory replica endpoints', () => {
  it('POST /inventories id=1 stock=10, then GET /inventories/1 and GET /inventories answer from that replica\'s store', () => {
    const { call } = bench();
    expect(call('inventory-1', 'POST', '/inventories', { id: '1', stock: '10' })).toMatchObject({ status: 201, headers: { Location: 'http://localhost:8082/inventories/1' }, body: { id: 1, stock: 10 } });
    expect(call('inventory-1', 'GET', '/inventories/1')).toMatchObject({ status: 200, body: { id: 1, stock: 10, _links: { self: { href: 'http://localhost:8082/inventories/1' } } } });
    expect(call('inventory-1', 'GET', '/inventories/')).toMatchObject({ status: 200, body: { _embedded: { inventories: [{ id: 1, stock: 10 }] } } });
    // The seed's experiment: each replica has its own database, so inventory-2 does not know product 1.
    expect(call('inventory-2', 'GET', '/inventories/1')).toMatchObject({ status: 404, body: { message: 'No inventory with id 1 on inventory-2 (POST /inventories id=1 stock=10 creates it).' } });
    expect(call('inventory-2', 'GET', '/inventories')).toMatchObject({ status: 200, body: { _embedded: { inventories: [] } } });
  });

  it('with the shared store every replica answers from the same rows', () => {
    const { services, call } = bench();
    services.configure({ inventory: { store: 'shared' } });
    call('inventory-1', 'POST', '/inventories', { id: 3, stock: 7 });
    expect(call('inventory-2', 'GET', '/inventories/3')).toMatchObject({ status: 200, body: { id: 3, stock: 7 } });
  });

  it('a malformed id or stock is a 400; other methods are 405', () => {
    const { call } = bench();
    expect(call('inventory-1', 'GET', '/inventories/abc')).toMatchObject({ status: 400, body: { message: "Failed to convert 'abc' to a product id: a whole number." } });
    expect(call('inventory-1', 'POST', '/inventories', { id: 1, stock: 'ten' })).toMatchObject({ status: 400, body: { message: 'Invalid request body: stock must be a whole number (got "ten").' } });
    expect(call('inventory-1', 'DELETE', '/inventories/1')).toMatchObject({ status: 405 });
  });

  it('a paused or crashed replica answers 503; an unknown replica 404', () => {
    const { services, call } = bench();
    services.replicaAction('inventory-2', 'pause');
    expect(call('inventory-2', 'GET', '/inventories')).toMatchObject({ status: 503, body: { error: 'Service Unavailable', message: 'inventory-2 is paused: it answers no requests.' } });
    services.replicaAction('order-1', 'crash');
    expect(call('order-1', 'POST', '/orders', { productId: 1, qty: 1 })).toMatchObject({ status: 503, body: { message: 'order-1 is crashed: it answers no requests.' } });
    expect(call('inventory-9', 'GET', '/inventories')).toMatchObject({ status: 404 });
  });
});
