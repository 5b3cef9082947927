/**
 * The seed's HTTP commands against the workbench, as a learner types them in a terminal: with
 * `kafka-lab serve --service-ports` the order service listens on 127.0.0.1:8081 and the inventory
 * replicas on 8082 and 8083. `POST /inventories` registers stock on each replica, four
 * `POST /orders` place orders, and `GET /inventories/1` shows the stock decreased only on the
 * replica that owns the topic's one partition (seed 000: "재고 감소가 8082 혹은 8083 한 곳에서만"),
 * and the Services view shows the same.
 */
import { expect, test } from '@playwright/test';
import type { ServicesSnapshot } from '../../engine/api/services-dto';
import { contractClient, type ContractClient } from './contract-client';
import { startWorkbench, type WorkbenchServer } from './workbench-server';

let server: WorkbenchServer;
let client: ContractClient;

test.beforeAll(async () => {
  server = await startWorkbench(['--seed', '8081', '--service-ports']);
  client = await contractClient(server.url);
});

test.afterAll(async () => {
  client?.close();
  await server?.stop();
});

/** What `http POST :PORT/PATH key=value ...` sends: a JSON body. */
async function http(method: 'GET' | 'POST', port: number, path: string, body?: Record<string, unknown>): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

function stockOf(json: unknown): number {
  return (json as { stock: number }).stock;
}

test('POST /orders on 127.0.0.1:8081 decreases stock on the inventory replica that owns the partition', async ({ page }) => {
  await client.command('createTopic', { name: 'labshoppubsub', partitions: 1, replicationFactor: 3 });
  await client.command('scaleService', { service: 'order', replicas: 1 });
  const scaled = await client.command<ServicesSnapshot>('scaleService', { service: 'inventory', replicas: 2 });
  expect(scaled.ports.enabled).toBe(true);
  // A new replica's port opens once its listener is bound (a moment after it starts).
  await expect
    .poll(async () => (await client.query<ServicesSnapshot>('services', {})).replicas.map((r) => [r.replicaId, r.port]), { timeout: 10_000 })
    .toEqual([
      ['order-1', 8081],
      ['inventory-1', 8082],
      ['inventory-2', 8083],
    ]);
  // The group settles (group.initial.rebalance.delay.ms, then one member gets the one partition).
  let owner: string | undefined;
  await expect
    .poll(async () => {
      const snapshot = await client.query<ServicesSnapshot>('services', {});
      owner = snapshot.replicas.find((r) => r.service === 'inventory' && r.assignment.length > 0)?.replicaId;
      return owner;
    }, { timeout: 30_000 })
    .toBeTruthy();
  const ownerPort = owner === 'inventory-1' ? 8082 : 8083;
  const idlePort = ownerPort === 8082 ? 8083 : 8082;

  expect((await http('POST', 8082, '/inventories', { id: 1, stock: 10 })).status).toBe(201);
  expect((await http('POST', 8083, '/inventories', { id: 1, stock: 10 })).status).toBe(201);
  for (let i = 0; i < 4; i++) {
    const placed = await http('POST', 8081, '/orders', { productId: 1, qty: 1 });
    expect(placed.status).toBe(201);
  }
  await expect.poll(async () => stockOf((await http('GET', ownerPort, '/inventories/1')).json), { timeout: 20_000 }).toBe(6);
  expect(stockOf((await http('GET', idlePort, '/inventories/1')).json)).toBe(10);
  expect((await http('GET', ownerPort, '/inventories/42')).status).toBe(404);

  // The Services view shows the same stock and the idle replica.
  await page.goto(server.url);
  await page.getByTestId('nav-services').click();
  const card = page.locator(`[data-testid="replica-card"][data-replica="${owner}"]`);
  await expect(card).toContainText('8082' === String(ownerPort) ? '8082' : '8083');
  await expect(card).toContainText('6');
  await expect(page.locator(`[data-testid="replica-card"][data-idle="true"]`)).toHaveCount(1);
});
