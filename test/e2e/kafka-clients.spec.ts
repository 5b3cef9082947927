/**
 * Real Kafka clients in the Cluster view, in Chromium against `kafka-lab serve` with its Kafka
 * listeners on (127.0.0.1:9092, 9093, 9094): a client connected over the wire shows with its client
 * id, address and the APIs it used, under the bootstrap servers to give it; killing its broker
 * closes the connection and takes the broker's listener out of the list. The listeners' security:
 * switched to SASL_PLAINTEXT in the panel (mechanisms and client settings shown), a SCRAM user added
 * there and one in the console's kafka-configs, both listed without any password; no serious
 * accessibility violation in the panel.
 */
import { mkdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
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

test('the listener security: SASL_PLAINTEXT with its client settings, SCRAM users added in the panel and in the console', async ({ page }) => {
  await page.goto(server.url);
  await page.getByTestId('nav-cluster').click();
  const security = page.getByTestId('kafka-security');
  await expect(security).toHaveAttribute('data-protocol', 'PLAINTEXT');
  await expect(security.getByTestId('kafka-security-hint')).toHaveText('The default listener needs no authentication: any client on this machine can connect.');

  await security.getByText('SASL_PLAINTEXT', { exact: true }).click();
  await expect(security).toHaveAttribute('data-protocol', 'SASL_PLAINTEXT');
  await expect(security.getByTestId('kafka-sasl-mechanism')).toHaveText(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']);
  expect((await api.query<{ securityProtocol: string }>('kafkaListeners', {})).securityProtocol).toBe('SASL_PLAINTEXT');

  await security.getByLabel('User', { exact: true }).fill('alice');
  await security.getByLabel('Password', { exact: true }).fill('alice-secret');
  await security.getByTestId('kafka-add-user-submit').click();
  await expect(security.getByTestId('kafka-user-added')).toHaveText('Added the credential of alice.');
  const alice = security.locator('[data-testid="kafka-user"][data-user="alice"]');
  await expect(alice).toContainText('SCRAM-SHA-512');
  await expect(alice).toContainText('4096 iterations');
  await expect(security.getByTestId('kafka-settings-python')).toContainText('sasl_plain_username="alice"');
  await security.getByText('kcat', { exact: true }).click();
  await expect(security.getByTestId('kafka-settings-kcat')).toContainText('-X security.protocol=SASL_PLAINTEXT');
  await security.getByText('kafka-python', { exact: true }).click();

  // A user the console's kafka-configs adds shows at once (the kafkaSecurity event).
  await api.command('consoleRun', {
    sessionId: 'e2e-scram',
    line: "kafka-configs --bootstrap-server localhost:9092 --alter --add-config 'SCRAM-SHA-256=[iterations=8192,password=bob-secret]' --entity-type users --entity-name bob",
  });
  await expect(security.locator('[data-testid="kafka-user"][data-user="bob"]')).toContainText('8192 iterations');
  await expect(page.getByTestId('kafka-clients')).not.toContainText('secret');

  // The engine's refusal shows where the learner acted.
  await security.locator('[data-testid="kafka-user"][data-user="alice"] [data-testid="kafka-user-delete"]').click();
  await expect(alice).toHaveCount(0);

  await security.getByLabel('User', { exact: true }).fill('alice');
  await security.getByLabel('Password', { exact: true }).fill('alice-secret');
  await security.getByTestId('kafka-add-user-submit').click();
  await expect(alice).toBeVisible();
  // The panel itself, whole: a window tall enough for it.
  mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 2200 });
  await page.waitForTimeout(400);
  await page.getByTestId('kafka-clients').screenshot({ path: join(SHOTS, 'kafka-security-sasl-en-light.png') });
  const axe = await new AxeBuilder({ page }).include('[data-testid="kafka-clients"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
  await setLook(page, 'ko-dark');
  await expect(security).toContainText('리스너 보안');
  await page.waitForTimeout(400);
  await page.getByTestId('kafka-clients').screenshot({ path: join(SHOTS, 'kafka-security-sasl-ko-dark.png') });
  await setLook(page, 'en-light');
  await page.setViewportSize({ width: 1280, height: 860 });

  await security.getByText('PLAINTEXT', { exact: true }).click();
  await expect(security).toHaveAttribute('data-protocol', 'PLAINTEXT');
  await expect(security.getByTestId('kafka-client-settings')).toHaveCount(0);
});
