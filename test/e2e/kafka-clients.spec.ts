/**
 * Real Kafka clients in the Cluster view, in Chromium against `kafka-lab serve` with its Kafka
 * listeners on (127.0.0.1:9092, 9093, 9094): a client connected over the wire shows with its client
 * id, address and the APIs it used, under the bootstrap servers to give it; killing its broker
 * closes the connection and takes the broker's listener out of the list.
 */
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { WireWriter } from '../../engine/protocol/wire';
import { contractClient, type ContractClient } from './contract-client';
import { screenshotTo, setLook } from './ui-helpers';
import { REPO_ROOT, startWorkbench, type WorkbenchServer } from './workbench-server';

const SHOTS = join(REPO_ROOT, 'test-results', 'screenshots', 'kafka-clients');

let server: WorkbenchServer;
let api: ContractClient;

test.beforeAll(async () => {
  server = await startWorkbench(['--seed', '9', '--kafka-host', '127.0.0.1']);
  api = await contractClient(server.url);
});

test.afterAll(async () => {
  api?.close();
  await server?.stop();
});

/** An ApiVersions v0 request from client id `clientId`, framed. */
function apiVersions(clientId: string): Uint8Array {
  const body = new WireWriter().int16(18).int16(0).int32(1).nullableString(clientId).finish();
  return new WireWriter().int32(body.length).bytes(body).finish();
}

test('a client connected over the Kafka protocol shows in the Cluster view; killing its broker drops it', async ({ page }) => {
  const socket: Socket = connect(9092, '127.0.0.1');
  await new Promise((done) => socket.once('connect', done));
  socket.write(apiVersions('e2e-probe'));
  await new Promise((done) => socket.once('data', done));
  const closed = new Promise((done) => socket.once('close', done));

  await page.goto(server.url);
  await page.getByTestId('nav-cluster').click();
  const panel = page.getByTestId('kafka-clients');
  await expect(panel.getByTestId('kafka-bootstrap')).toHaveText('127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094');
  const row = panel.locator('[data-testid="kafka-client"][data-client-id="e2e-probe"]');
  await expect(row).toContainText('Broker 1');
  await expect(row).toContainText('ApiVersions');
  await expect(row).toContainText(/127\.0\.0\.1:\d+/);
  await screenshotTo(SHOTS, page, 'kafka-clients-en-light.png');
  await setLook(page, 'ko-dark');
  await expect(panel).toContainText('실제 Kafka 클라이언트');
  await screenshotTo(SHOTS, page, 'kafka-clients-ko-dark.png');
  await setLook(page, 'en-light');

  await api.command('killBroker', { brokerId: 1 });
  await closed;
  await expect(panel.getByTestId('kafka-bootstrap')).toHaveText('127.0.0.1:9093,127.0.0.1:9094');
  await expect(row).toHaveCount(0);
  await expect(panel.getByTestId('kafka-no-clients')).toContainText('kcat -L -b 127.0.0.1:9093');
});
