/**
 * The services on real 127.0.0.1 ports, driven like the seed drives them from a terminal: POST
 * /orders to the order port with an HTTP client, GET /inventories/1 on each inventory port — the
 * replica that owns the partition shows the decrement, the other does not. A port already taken
 * gives an error naming it; a crashed replica stops listening and a new one starts to.
 */
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../engine/cluster/cluster.js';
import { SeededPrng } from '../../engine/core/prng.js';
import { Scheduler } from '../../engine/core/scheduler.js';
import { ServicePortBinding } from '../../engine/host/service-ports.js';
import { Services } from '../../engine/services/services.js';
import { MemoryDisk } from '../../engine/storage/disk/memory-disk.js';

const SEED = 41;
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Binds a plain TCP server on 127.0.0.1:port, or says it could not. */
function occupy(port: number): Promise<NetServer | null> {
  return new Promise((resolve) => {
    const server = createNetServer();
    server.once('error', () => resolve(null));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve(server));
  });
}

function release(server: NetServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** `count` consecutive free ports, probing from a seeded point in the dynamic range. */
async function freePorts(prng: SeededPrng, count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 20_000 + prng.nextInt(40_000);
    const held: NetServer[] = [];
    for (let i = 0; i < count; i++) {
      const server = await occupy(first + i);
      if (server === null) break;
      held.push(server);
    }
    for (const server of held) await release(server);
    if (held.length === count) return first;
  }
  throw new Error(`no ${count} consecutive free ports found (seed ${SEED})`);
}

async function bench(inventoryReplicas: number) {
  const scheduler = new Scheduler(1_700_000_000_000);
  const cluster = new Cluster({ brokerCount: 1, clock: scheduler, timers: scheduler, prng: new SeededPrng(SEED), disk: new MemoryDisk(), dataDir: '/data', linkLatencyMs: 1 });
  scheduler.runUntil(scheduler.nowMs() + 100);
  cluster.createTopic({ name: 'labshoppubsub', partitions: 1, replicationFactor: 1, configs: {} });
  const services = new Services({
    cluster,
    clock: scheduler,
    timers: scheduler,
    prng: new SeededPrng(SEED + 1),
    timeline: { add: () => 1, end: () => {} },
    stopTheWorld: { partitionsStopped: () => {}, partitionsResumed: () => {} },
    onChange: () => {},
    replicas: { order: 1, inventory: inventoryReplicas },
  });
  scheduler.runUntil(scheduler.nowMs() + 10_000);
  // As the worker's live driver does after a request: run what the request made due now.
  const binding = new ServicePortBinding({ services, clock: scheduler, afterRequest: () => scheduler.runUntil(scheduler.nowMs()) });
  cleanups.push(async () => {
    await binding.close();
    services.close();
  });
  return { scheduler, services, binding };
}

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('service ports', () => {
  it('http :8081/orders productId=1 qty=1 on the order port decrements stock on the inventory replica that owns the partition, and only there', async () => {
    const prng = new SeededPrng(SEED);
    const orderPort = await freePorts(prng, 1);
    const base = await freePorts(prng, 2);
    const { scheduler, services, binding } = await bench(2);
    const status = await binding.enable({ orderPort, inventoryBasePort: base });
    expect(status).toEqual({ enabled: true, host: '127.0.0.1', orderPort, inventoryBasePort: base, error: null });
    expect(services.snapshot().replicas.map((r) => [r.replicaId, r.port])).toEqual([
      ['order-1', orderPort],
      ['inventory-1', base],
      ['inventory-2', base + 1],
    ]);
    expect(services.log('inventory-2', 0).lines.at(-1)).toMatch(new RegExp(`Tomcat started on port\\(s\\): ${base + 1} \\(http\\)`));

    for (const port of [base, base + 1]) expect((await json(`http://127.0.0.1:${port}/inventories`, post({ id: '1', stock: '10' }))).status).toBe(201);
    const placed = await json(`http://127.0.0.1:${orderPort}/orders`, post({ productId: '1', qty: '1' }));
    expect(placed).toMatchObject({ status: 201, body: { id: 1, productId: 1, qty: 1 } });
    scheduler.runUntil(scheduler.nowMs() + 5000);

    const owner = services.snapshot().replicas.find((r) => r.service === 'inventory' && r.assignment.length > 0)!;
    const ownerPort = owner.port!;
    const idlePort = ownerPort === base ? base + 1 : base;
    expect(await json(`http://127.0.0.1:${ownerPort}/inventories/1`), `seed ${SEED}: ${owner.replicaId} owns labshoppubsub-0`).toMatchObject({ status: 200, body: { id: 1, stock: 9 } });
    expect(await json(`http://localhost:${idlePort}/inventories/1`), `seed ${SEED}`).toMatchObject({ status: 200, body: { id: 1, stock: 10 } });
    expect(services.businessFigures()).toMatchObject({ ordersPlaced: 1, ordersAcknowledged: 1, ordersProcessed: 1, stockStatus: 'consistent' });
  });

  it('a port already in use: enable fails naming the port, listens on nothing, and the status keeps the error', async () => {
    const prng = new SeededPrng(SEED + 2);
    const orderPort = await freePorts(prng, 1);
    const base = await freePorts(prng, 2);
    const squatter = (await occupy(base))!;
    cleanups.push(() => release(squatter));
    const { services, binding } = await bench(2);
    const message = `Port ${base} is already in use: inventory-1 cannot listen on 127.0.0.1:${base}.`;
    await expect(binding.enable({ orderPort, inventoryBasePort: base })).rejects.toThrow(message);
    expect(binding.current()).toMatchObject({ enabled: false, error: message });
    expect(services.snapshot().ports.error).toBe(message);
    expect(services.snapshot().replicas.every((r) => r.port === null)).toBe(true);
    // The order port was released again: nothing answers there.
    await expect(fetch(`http://127.0.0.1:${orderPort}/orders`, post({ productId: 1, qty: 1 }))).rejects.toThrow();
  });

  it('a crashed replica stops listening; scaling up opens the new replica\'s port; requests from a foreign Host or without JSON are refused', async () => {
    const prng = new SeededPrng(SEED + 3);
    const orderPort = await freePorts(prng, 1);
    const base = await freePorts(prng, 3);
    const { services, binding } = await bench(2);
    await binding.enable({ orderPort, inventoryBasePort: base });
    services.replicaAction('inventory-2', 'crash');
    services.scale('inventory', 3);
    await binding.whenSettled();
    await expect(fetch(`http://127.0.0.1:${base + 1}/inventories`)).rejects.toThrow();
    expect((await json(`http://127.0.0.1:${base + 2}/inventories`)).status).toBe(200);
    services.replicaAction('inventory-2', 'restart');
    await binding.whenSettled();
    expect((await json(`http://127.0.0.1:${base + 1}/inventories`)).status).toBe(200);

    const foreign = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: base, path: '/inventories', headers: { Host: 'evil.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(foreign).toBe(403);
    expect((await json(`http://127.0.0.1:${orderPort}/orders`, { method: 'POST', body: 'productId=1&qty=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    expect((await json(`http://127.0.0.1:${orderPort}/orders`, post({ productId: 1, note: 'x'.repeat(20_000) }))).status).toBe(413);
    await binding.disable();
    await expect(fetch(`http://127.0.0.1:${orderPort}/orders`, post({ productId: 1, qty: 1 }))).rejects.toThrow();
    expect(services.snapshot().ports.enabled).toBe(false);
  });
});
