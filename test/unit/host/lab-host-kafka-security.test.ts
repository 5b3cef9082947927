/**
 * The Kafka listeners' security, as the lab host keeps it: PLAINTEXT until the learner (or
 * `kafka-lab serve --kafka-security`) chooses SASL_PLAINTEXT, remembered in the run history across
 * restarts; the SCRAM users of the shown cluster, listed without any secret; every change told to
 * viewers (the kafkaSecurity event) and the protocol's to the listeners (onKafkaSecurityChange).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SCRAM_CONTRACT_BOUNDS, type KafkaListenersDto, type KafkaSecurityProtocol } from '../../../engine/api/kafka-dto.js';
import { SCRAM_ITERATIONS, SCRAM_MECHANISMS, SCRAM_PASSWORD_MAX_BYTES, SCRAM_USER_NAME_MAX_LENGTH } from '../../../engine/cluster/scram-credentials.js';
import { SeededPrng } from '../../../engine/core/prng.js';
import { Scheduler } from '../../../engine/core/scheduler.js';
import { SimulationTime } from '../../../engine/core/simulation-time.js';
import { HistoryStore } from '../../../engine/history/history-store.js';
import { LabHost } from '../../../engine/host/lab-host.js';
import { openSimulatedLabCluster } from '../../../engine/host/lab-simulation.js';
import { Workbench } from '../../../engine/host/workbench.js';
import { MemoryDisk } from '../../../engine/storage/disk/memory-disk.js';
import { parseCli, UsageError } from '../../../cli/args.js';
import { manualTimers } from '../../helpers/manual-timers.js';

const historyDir = mkdtempSync(join(tmpdir(), 'kafka-lab-security-history-'));
let historyFiles = 0;

interface Rig {
  host: LabHost;
  history: HistoryStore;
  personal: Workbench;
  events: [string, unknown][];
  changes: KafkaSecurityProtocol[];
}

async function rig(path: string, kafkaSecurity?: KafkaSecurityProtocol | null): Promise<Rig> {
  const disk = new MemoryDisk();
  disk.mkdirp('/labs');
  const history = await HistoryStore.open(path, { synchronous: 'NORMAL' });
  const scheduler = new Scheduler(1_700_000_000_000);
  const time = new SimulationTime(scheduler);
  const personal = new Workbench({ brokerCount: 3, disk, dataDir: '/data', clock: scheduler, prng: new SeededPrng(5), timers: scheduler, uiTimers: manualTimers(), time });
  const host = await LabHost.open({
    disk,
    history,
    appVersion: '0.1.0-test',
    printPdf: null,
    wallClockMs: () => 1_767_225_600_000,
    dataDir: '/data',
    labsDir: '/labs',
    personal: { workbench: personal, time },
    openLabCluster: (setup, seed, dir) => openSimulatedLabCluster(setup, seed, disk, dir),
    uiTimers: manualTimers(),
    seedFor: (n) => n,
    nowMs: () => scheduler.nowMs(),
    ...(kafkaSecurity === undefined ? {} : { kafkaSecurity }),
  });
  const events: [string, unknown][] = [];
  host.onEvent((event, payload) => void events.push([event, payload]));
  const changes: KafkaSecurityProtocol[] = [];
  host.onKafkaSecurityChange((protocol) => changes.push(protocol));
  const r = { host, history, personal, events, changes };
  opened.push(r);
  return r;
}

const opened: Rig[] = [];
async function shut(r: Rig): Promise<void> {
  opened.splice(opened.indexOf(r), 1);
  r.host.close();
  await r.host.flushed();
  await r.history.close();
}
afterEach(async () => {
  for (const r of [...opened]) await shut(r);
});
afterAll(() => rmSync(historyDir, { recursive: true, force: true }));

const newHistory = (): string => join(historyDir, `history-${++historyFiles}.sqlite`);

async function call<T>(host: LabHost, kind: 'command' | 'query', name: string, payload: unknown = {}): Promise<T> {
  const answer = await host.handle(kind, name, payload);
  if (!answer.ok) throw new Error(`${name}: ${answer.error.name} ${answer.error.message}`);
  return answer.value as T;
}

describe('Kafka listener security in the lab host', () => {
  it('is PLAINTEXT by default: the default listener needs no authentication, no SASL mechanism is offered', async () => {
    const r = await rig(newHistory());
    expect(r.host.kafkaSecurityProtocol()).toBe('PLAINTEXT');
    expect(await call<KafkaListenersDto>(r.host, 'query', 'kafkaListeners')).toEqual({
      enabled: false,
      listeners: [],
      clients: [],
      securityProtocol: 'PLAINTEXT',
      saslMechanisms: [],
      users: [],
    });
  });

  it('setKafkaSecurity switches to SASL_PLAINTEXT: listeners and viewers are told, and a restart keeps it', async () => {
    const path = newHistory();
    const r = await rig(path);
    expect(await call(r.host, 'command', 'setKafkaSecurity', { protocol: 'SASL_PLAINTEXT' })).toEqual({ protocol: 'SASL_PLAINTEXT' });
    expect(r.host.kafkaSecurityProtocol()).toBe('SASL_PLAINTEXT');
    expect(r.changes).toEqual(['SASL_PLAINTEXT']);
    expect(r.events.filter(([e]) => e === 'kafkaSecurity')).toEqual([['kafkaSecurity', { change: 'protocol', protocol: 'SASL_PLAINTEXT' }]]);
    const dto = await call<KafkaListenersDto>(r.host, 'query', 'kafkaListeners');
    expect(dto).toMatchObject({ securityProtocol: 'SASL_PLAINTEXT', saslMechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] });
    // The same protocol again changes nothing and tells nobody.
    await call(r.host, 'command', 'setKafkaSecurity', { protocol: 'SASL_PLAINTEXT' });
    expect(r.changes).toEqual(['SASL_PLAINTEXT']);
    await shut(r);

    const again = await rig(path);
    expect(again.host.kafkaSecurityProtocol()).toBe('SASL_PLAINTEXT');
    await call(again.host, 'command', 'setKafkaSecurity', { protocol: 'PLAINTEXT' });
    expect(again.changes).toEqual(['PLAINTEXT']);
    expect((await call<KafkaListenersDto>(again.host, 'query', 'kafkaListeners')).saslMechanisms).toEqual([]);
  });

  it("the CLI's initial value (the kafkaSecurity option) wins over the stored one and is stored; null keeps the stored one", async () => {
    const path = newHistory();
    await shut(await rig(path, 'SASL_PLAINTEXT'));
    const kept = await rig(path, null);
    expect(kept.host.kafkaSecurityProtocol()).toBe('SASL_PLAINTEXT');
    await shut(kept);
    const plain = await rig(path, 'PLAINTEXT');
    expect(plain.host.kafkaSecurityProtocol()).toBe('PLAINTEXT');
    // Choosing at start is not a change: nobody had listened yet.
    expect(plain.changes).toEqual([]);
    await shut(plain);
    expect((await rig(path)).host.kafkaSecurityProtocol()).toBe('PLAINTEXT');
  });

  it('SCRAM users of the shown cluster: upserted and deleted through the contract, listed without secrets, each change an event', async () => {
    const r = await rig(newHistory());
    await call(r.host, 'command', 'upsertScramUser', { user: 'alice', mechanism: 'SCRAM-SHA-512', password: 'alice-secret' });
    const answer = await call(r.host, 'command', 'upsertScramUser', { user: 'alice', mechanism: 'SCRAM-SHA-256', password: 'alice-secret', iterations: 8192 });
    const expected = [{ user: 'alice', mechanisms: [{ mechanism: 'SCRAM-SHA-256', iterations: 8192 }, { mechanism: 'SCRAM-SHA-512', iterations: 4096 }] }];
    expect(answer).toEqual({ users: expected });
    const dto = await call<KafkaListenersDto>(r.host, 'query', 'kafkaListeners');
    expect(dto.users).toEqual(expected);
    expect(JSON.stringify(dto)).not.toContain('secret');
    expect(r.events.filter(([e]) => e === 'kafkaSecurity')).toEqual([
      ['kafkaSecurity', { change: 'users', protocol: null }],
      ['kafkaSecurity', { change: 'users', protocol: null }],
    ]);
    // The cluster keeps them: the personal workbench's cluster is the one the listeners authenticate against.
    expect(r.personal.cluster.scramCredential('alice', 'SCRAM-SHA-512')).not.toBeNull();

    expect(await call(r.host, 'command', 'deleteScramUser', { user: 'alice', mechanism: 'SCRAM-SHA-512' })).toEqual({ users: [{ user: 'alice', mechanisms: [{ mechanism: 'SCRAM-SHA-256', iterations: 8192 }] }] });
    const missing = await r.host.handle('command', 'deleteScramUser', { user: 'alice', mechanism: 'SCRAM-SHA-512' });
    expect(missing).toMatchObject({ ok: false, error: { name: 'RESOURCE_NOT_FOUND', message: 'Attempt to delete a user credential that does not exist' } });
    expect(await call(r.host, 'query', 'describeScramUsers', { users: ['alice', 'nobody'] })).toEqual({ users: [{ user: 'alice', mechanisms: [{ mechanism: 'SCRAM-SHA-256', iterations: 8192 }] }] });
  });

  it("the contract's SCRAM bounds are the cluster's", () => {
    expect(SCRAM_CONTRACT_BOUNDS).toEqual({
      mechanisms: [...SCRAM_MECHANISMS],
      iterationsMin: SCRAM_ITERATIONS.min,
      iterationsMax: SCRAM_ITERATIONS.max,
      userNameMaxLength: SCRAM_USER_NAME_MAX_LENGTH,
      passwordMaxBytes: SCRAM_PASSWORD_MAX_BYTES,
    });
  });
});

describe('kafka-lab serve --kafka-security', () => {
  it('takes PLAINTEXT or SASL_PLAINTEXT; absent, the data directory keeps its own', () => {
    expect(parseCli(['serve', '--kafka-security', 'SASL_PLAINTEXT'])).toMatchObject({ command: 'serve', kafkaSecurity: 'SASL_PLAINTEXT' });
    expect(parseCli(['serve', '--kafka-security', 'PLAINTEXT'])).toMatchObject({ command: 'serve', kafkaSecurity: 'PLAINTEXT' });
    expect(parseCli(['serve'])).not.toHaveProperty('kafkaSecurity');
  });

  it('refuses anything else with a message naming the option and the value', () => {
    const refusal = (argv: string[]): string => {
      try {
        parseCli(argv);
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refusal(['serve', '--kafka-security', 'SSL'])).toBe("--kafka-security must be PLAINTEXT or SASL_PLAINTEXT, not 'SSL'; the listeners do not offer SSL or SASL_SSL.");
    expect(refusal(['serve', '--kafka-security', 'sasl_plaintext'])).toBe(
      "--kafka-security must be PLAINTEXT or SASL_PLAINTEXT, not 'sasl_plaintext' (did you mean SASL_PLAINTEXT?); the listeners do not offer SSL or SASL_SSL.",
    );
    expect(refusal(['serve', '--kafka-security'])).toContain("Run 'kafka-lab help' for the options.");
  });
});
