/**
 * The gateway is where untrusted payloads enter. Every command and query must refuse a payload
 * that does not match its schema with INVALID_REQUEST, change nothing, and keep serving.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { commands, queries, type OperationKind } from '../../../engine/api/contract.js';
import { Scheduler, runUntilSettled } from '../../../engine/core/scheduler.js';
import { SimulationTime } from '../../../engine/core/simulation-time.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { Gateway } from '../../../engine/host/gateway.js';
import { InProcessHost } from '../../../engine/host/in-process-host.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';
import { Workbench } from '../../../engine/host/workbench.js';
import { manualTimers } from '../../helpers/manual-timers.js';

/** One valid request per operation; the test below fails when an operation has none. */
const validExamples: Record<string, Record<string, unknown>> = {
  startLab: { labId: 'first-topic', seed: 3 },
  leaveLab: {},
  returnToLab: {},
  resetLab: {},
  endLab: {},
  performLabAction: { stepId: 'create-topic', actionIndex: 0 },
  answerLabQuestion: { stepId: 'consume', questionId: 'why-order', answer: 'one-partition' },
  nextLabStep: { stepId: 'create-topic' },
  rehearseLab: {},
  exportReport: { runId: '20260105-090000-first-topic', format: 'html', locale: 'en' },
  deleteRun: { runId: '20260105-090000-first-topic' },
  setParticipant: { participant: 'Ada' },
  runHistory: { labId: 'first-topic', participant: 'Ada' },
  reportPreview: { runId: '20260105-090000-first-topic', locale: 'ko' },
  participant: {},
  kafkaListeners: {},
  setKafkaSecurity: { protocol: 'SASL_PLAINTEXT' },
  upsertScramUser: { user: 'alice', mechanism: 'SCRAM-SHA-512', password: 'alice-secret', iterations: 8192 },
  deleteScramUser: { user: 'alice', mechanism: 'SCRAM-SHA-512' },
  describeScramUsers: { users: ['alice'] },
  instructorSummary: { files: [{ name: 'ada.json', text: '{}' }], locale: 'en' },
  labs: {},
  labSheet: { labId: 'first-topic' },
  labRun: {},
  workspace: {},
  createTopic: { name: 'orders', partitions: 3, replicationFactor: 3 },
  deleteTopic: { name: 'orders' },
  produceRecord: { topic: 'orders', key: 'k', value: 'v' },
  killBroker: { brokerId: 2 },
  stopBroker: { brokerId: 2 },
  startBroker: { brokerId: 2 },
  createPartitions: { name: 'orders', totalCount: 6 },
  alterTopicConfigs: { name: 'orders', set: { 'retention.ms': '60000' } },
  alterBrokerConfigs: { set: { 'min.insync.replicas': '2' } },
  reassignPartitions: { partitions: [{ topic: 'orders', partition: 0, replicas: [1, 2, 3] }] },
  cancelReassignments: { partitions: [{ topic: 'orders', partition: 0 }] },
  electLeaders: { topic: 'orders', partition: 0, electionType: 'preferred' },
  describeConfigs: { resource: { type: 'broker' } },
  listReassignments: {},
  pauseClock: {},
  resumeClock: {},
  setClockSpeed: { speed: 2.5 },
  stepClock: {},
  skipAhead: { durationMs: 1000 },
  clusterStatus: {},
  listTopics: {},
  describeTopic: { name: 'orders' },
  readRecords: { topic: 'orders', partition: 0, offset: 0 },
  offsetForTimestamp: { topic: 'orders', partition: 0, timestampMs: 1_700_000_000_000 },
  storageRecovery: {},
  startConsumer: { groupId: 'inventory', topics: ['orders'], processingMsPerRecord: 5 },
  stopConsumer: { clientId: 'inventory-1', mode: 'crash' },
  deleteGroup: { groupId: 'inventory' },
  listGroups: {},
  describeGroup: { groupId: 'inventory' },
  listConsumers: {},
  consumerLog: { clientId: 'inventory-1' },
  scaleService: { service: 'inventory', replicas: 2 },
  configureServices: { inventory: { processingMsPerRecord: 50 } },
  replicaAction: { replicaId: 'inventory-1', action: 'pause' },
  setReplicaProcessing: { replicaId: 'inventory-1', processingMsPerRecord: 100 },
  placeOrders: { productId: 1, qty: 1, count: 4 },
  setStock: { replicaId: 'inventory-1', productId: 1, stock: 10 },
  setServicePorts: { enabled: true, orderPort: 18081, inventoryBasePort: 18082 },
  services: {},
  serviceLog: { replicaId: 'inventory-1', afterLine: 0 },
  injectFault: { target: { kind: 'broker-crash', brokerId: 2 }, startInMs: 0, durationMs: 10000 },
  undoFault: { faultId: 1 },
  applyPreset: { presetId: 'acks1-failover-loss', topic: 'orders', partition: 0 },
  stopPreset: { presetRunId: 1 },
  faultCatalogue: {},
  faults: {},
  metricsSnapshot: {},
  timeline: { afterId: 0, limit: 10 },
  consoleRun: { sessionId: 'tab-1', line: 'kafka-topics --bootstrap-server localhost:9092 --list' },
  consoleInput: { sessionId: 'tab-1', line: 'k1:hello' },
  consoleInterrupt: { sessionId: 'tab-1' },
  consoleClose: { sessionId: 'tab-1' },
  consoleOutput: { sessionId: 'tab-1', afterLine: 0 },
  writeConsoleFile: { path: 'reassign.json', text: '{}' },
  deleteConsoleFile: { path: 'reassign.json' },
  consoleFiles: {},
  readConsoleFile: { path: 'reassign.json' },
};

const malformedWholePayloads: unknown[] = [undefined, null, 42, 'orders', [], true, { surprise: 1 }];
/** Values of the wrong type for a field whose valid example is `example`. */
function wrongValuesFor(field: string, example: unknown): unknown[] {
  const common: unknown[] = [{}, [], true];
  // A null key or value is legal in Kafka, a null duration means "until undone"; a null anywhere else is not.
  const nullIfIllegal = field === 'key' || field === 'value' || field === 'durationMs' ? [] : [null];
  if (typeof example === 'boolean') return [{}, [], 'x', 42, ...nullIfIllegal];
  if (typeof example === 'string') return [...common, 42, ...nullIfIllegal];
  // A fractional example (a clock speed) takes fractions: only whole-number fields refuse 1.5.
  const fraction = typeof example === 'number' && Number.isInteger(example) ? [1.5] : [];
  if (typeof example === 'number') return [...common, '3', ...fraction, -1e30, Number.NaN, ...nullIfIllegal];
  // An empty object or list may be a legal value of an object or list field (no configs to set).
  const emptyOfSameKind = Array.isArray(example) ? [] : {};
  return [...common.filter((v) => JSON.stringify(v) !== JSON.stringify(emptyOfSameKind)), 'x', 42, ...nullIfIllegal];
}

function operations(): { kind: OperationKind; name: string }[] {
  return [
    ...Object.keys(commands).map((name) => ({ kind: 'command' as const, name })),
    ...Object.keys(queries).map((name) => ({ kind: 'query' as const, name })),
  ];
}

let gateway: Gateway;
let workbench: Workbench;

beforeEach(() => {
  const scheduler = new Scheduler(1_700_000_000_000);
  workbench = new Workbench({ brokerCount: 3, disk: new MemoryDisk(), dataDir: '/data', clock: scheduler, prng: new SeededPrng(7), timers: scheduler, uiTimers: manualTimers(), time: new SimulationTime(scheduler) });
  gateway = new Gateway(new InProcessHost(workbench, (work) => runUntilSettled(scheduler, work, 60_000)), { checkResponses: true });
});

describe('gateway validation', () => {
  it('has a valid example for every operation of the contract', () => {
    expect(Object.keys(validExamples).sort()).toEqual(operations().map((o) => o.name).sort());
  });

  it.each(operations())('$kind $name refuses malformed payloads with INVALID_REQUEST and changes nothing', async ({ kind, name }) => {
    const before = workbench.status();
    for (const payload of malformedWholePayloads) {
      const answer = await gateway.invoke(kind, name, payload);
      expect(answer, `payload ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { name: 'INVALID_REQUEST', code: 42 } });
    }
    const example = validExamples[name]!;
    for (const [field, good] of Object.entries(example)) {
      for (const value of wrongValuesFor(field, good)) {
        const answer = await gateway.invoke(kind, name, { ...example, [field]: value });
        expect(answer, `${field} = ${JSON.stringify(value)}`).toMatchObject({ ok: false, error: { name: 'INVALID_REQUEST' } });
        if (!answer.ok) expect(answer.error.message).toContain(field);
      }
    }
    expect(workbench.status()).toEqual(before);
    const stillServing = await gateway.invoke('query', 'clusterStatus', {});
    expect(stillServing.ok).toBe(true);
  });

  it('refuses unknown operation kinds and names', async () => {
    expect(await gateway.invoke('mutation', 'createTopic', {})).toMatchObject({ ok: false, error: { name: 'INVALID_REQUEST', message: "Unknown operation kind 'mutation': expected 'command' or 'query'." } });
    expect(await gateway.invoke('command', 'dropEverything', {})).toMatchObject({ ok: false, error: { name: 'INVALID_REQUEST', message: "Unknown command 'dropEverything'." } });
    expect(await gateway.invoke('query', 'createTopic', validExamples.createTopic)).toMatchObject({ ok: false, error: { name: 'INVALID_REQUEST' } });
    expect(await gateway.invoke('command', '__proto__', {})).toMatchObject({ ok: false, error: { name: 'INVALID_REQUEST' } });
    expect(() => gateway.subscribe('everything', () => {})).toThrow(/Unknown event stream 'everything'/);
  });

  it('passes valid requests through and answers inside the contract', async () => {
    expect(await gateway.invoke('command', 'createTopic', validExamples.createTopic)).toMatchObject({ ok: true, value: { name: 'orders', replicationFactor: 3 } });
    const produced = await gateway.invoke('command', 'produceRecord', validExamples.produceRecord);
    expect(produced).toMatchObject({ ok: true, value: { topic: 'orders', offset: 0 } });
    const partition = produced.ok ? (produced.value as { partition: number }).partition : -1;
    const read = await gateway.invoke('query', 'readRecords', { ...validExamples.readRecords, partition });
    expect(read).toMatchObject({ ok: true, value: { records: [{ offset: 0, key: 'k', batchBaseOffset: 0, batchLastOffset: 0 }], batches: [{ baseOffset: 0, recordCount: 1 }] } });
    const found = await gateway.invoke('query', 'offsetForTimestamp', { ...validExamples.offsetForTimestamp, partition });
    expect(found).toMatchObject({ ok: true, value: { offset: 0, highWatermark: 1 } });
  });

  it('answers engine refusals with Kafka error names', async () => {
    await gateway.invoke('command', 'createTopic', validExamples.createTopic);
    expect(await gateway.invoke('command', 'createTopic', validExamples.createTopic)).toEqual({
      ok: false,
      error: { name: 'TOPIC_ALREADY_EXISTS', code: 36, message: "Topic 'orders' already exists." },
    });
    expect(await gateway.invoke('query', 'describeTopic', { name: 'payments' })).toMatchObject({ ok: false, error: { name: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3 } });
  });
});
