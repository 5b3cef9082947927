/**
 * Issue 11, must-hold 1: each real Kafka client a workshop uses — kafkajs (npm), kafka-python
 * 2.0.2 and confluent-kafka on librdkafka (Debian), and kcat — lives a participant's whole session
 * against the workbench's listeners: it lists the metadata, creates a topic, produces keyed and
 * keyless records, reads them from the beginning, consumes in a group with commits, and a restarted
 * consumer resumes from the committed offsets (it gets only what was produced after).
 *
 * Checked from both sides: what the client saw, and what the workbench holds (the topic's
 * partitions and replicas, the group's committed offsets at the log end, keyed records in the
 * partitions the in-app producer uses for the same keys). Python and kcat cases are skipped with a
 * message where the packages are missing (CI installs them).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TopicStatus } from '../../engine/api/dto.js';
import type { GroupDetail } from '../../engine/api/groups-dto.js';
import { partitionForKey } from '../../engine/clients/murmur2.js';
import { startLiveWire, type LiveWire } from '../helpers/live-wire.js';
import { hasKcat, hasPythonClients, PYTHON } from '../helpers/real-clients.js';

const run = promisify(execFile);
const LIFECYCLE = join(import.meta.dirname, 'clients', 'python_lifecycle.py');

const hasPython = hasPythonClients('real-clients');
const kcatPresent = hasKcat('real-clients');

interface SeenRecord {
  key: string | null;
  value: string;
  partition: number;
  offset: number;
}

interface Lifecycle {
  brokers: number[];
  topics: string[];
  produced: SeenRecord[];
  later: SeenRecord[];
  fromBeginning: SeenRecord[];
  inGroup: SeenRecord[];
  resumed: SeenRecord[];
}

let rig: LiveWire;

beforeEach(async () => {
  rig = await startLiveWire({ brokerCount: 3, seed: 23, topics: [] });
});

afterEach(() => rig.close());

async function query<T>(name: string, payload: unknown = {}): Promise<T> {
  const answer = await rig.gateway.invoke('query', name, payload);
  if (!answer.ok) throw new Error(`${name}: ${answer.error.message}`);
  return answer.value as T;
}

const byPlace = (a: SeenRecord, b: SeenRecord): number => a.partition - b.partition || a.offset - b.offset;
const sorted = (records: readonly SeenRecord[]): SeenRecord[] => [...records].sort(byPlace);

/** Everything a lifecycle must show, whichever client lived it. */
async function expectLifecycle(outcome: Lifecycle, topic: string, group: string, partitions: number): Promise<void> {
  const status = await query<{ brokers: { id: number; state: string }[] }>('clusterStatus');
  expect(outcome.brokers).toEqual(status.brokers.map((b) => b.id).sort((a, b) => a - b));
  expect(outcome.topics).toContain(topic);
  const described = await query<TopicStatus>('describeTopic', { name: topic });
  expect(described.partitions).toHaveLength(partitions);
  expect(described.partitions.every((p) => p.replicas.length === 3)).toBe(true);

  expect(outcome.produced).toHaveLength(10);
  for (const record of outcome.produced.filter((r) => r.key !== null)) {
    expect(record.partition, `key ${record.key}`).toBe(partitionForKey(new TextEncoder().encode(record.key!), partitions));
  }
  // From the beginning: every record, each at the partition and offset its producer was told.
  expect(sorted(outcome.fromBeginning)).toEqual(sorted(outcome.produced));
  expect(sorted(outcome.inGroup)).toEqual(sorted(outcome.produced));
  // The restarted consumer resumed at the committed offsets: only what came after, nothing twice.
  expect(sorted(outcome.resumed)).toEqual(sorted(outcome.later));

  const detail = await query<GroupDetail>('describeGroup', { groupId: group });
  for (const row of detail.partitions.filter((p) => p.topic === topic)) {
    expect(row.currentOffset, `${topic}-${row.partition} committed`).toBe(row.logEndOffset);
  }
  const ends = detail.partitions.filter((p) => p.topic === topic).reduce((sum, p) => sum + p.logEndOffset, 0);
  expect(ends).toBe(15);
}

describe('real Kafka clients: metadata, create, produce, consume, group commits, resume', () => {
  it('kafkajs 2.2.4', async () => {
    const topic = 'kafkajs-orders';
    const group = 'kafkajs-group';
    const kafka = new Kafka({ clientId: 'kafkajs-lifecycle', brokers: rig.bootstrap().split(','), logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 100 } });
    const admin = kafka.admin();
    await admin.connect();
    const brokers = (await admin.describeCluster()).brokers.map((b) => b.nodeId).sort((a, b) => a - b);
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
    const topics = await admin.listTopics();
    await admin.disconnect();

    // kafkajs's DefaultPartitioner is Java's murmur2; keyless records go round-robin.
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const produceAll = async (messages: { key: string | null; value: string }[]): Promise<void> => {
      for (const message of messages) await producer.send({ topic, acks: -1, messages: [message] });
    };
    const produced = [...Array.from({ length: 6 }, (_, i) => ({ key: `order-${i}`, value: `value of order-${i}` })), ...Array.from({ length: 4 }, (_, i) => ({ key: null, value: `keyless ${i}` }))];
    await produceAll(produced);

    const consume = async (groupId: string, expected: number): Promise<SeenRecord[]> => {
      const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const seen: SeenRecord[] = [];
      let settle: () => void = () => undefined;
      const enough = new Promise<void>((resolve) => (settle = resolve));
      await consumer.run({
        // autoCommit (the default) commits each batch's offsets once eachMessage resolved.
        eachMessage: async ({ partition, message }) => {
          seen.push({ key: message.key === null ? null : message.key.toString(), value: message.value!.toString(), partition, offset: Number(message.offset) });
          if (seen.length >= expected) settle();
        },
      });
      await Promise.race([enough, new Promise((resolve) => setTimeout(resolve, 60_000))]);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await consumer.disconnect();
      return seen;
    };
    // "From the beginning" in kafkajs is a fresh group reading from the earliest offsets.
    const fromBeginning = await consume('kafkajs-reader', produced.length);
    const inGroup = await consume(group, produced.length);
    const later = Array.from({ length: 5 }, (_, i) => ({ key: `later-${i}`, value: `later value ${i}` }));
    await produceAll(later);
    const resumed = await consume(group, later.length);
    await producer.disconnect();

    const placed = async (records: { key: string | null; value: string }[]): Promise<SeenRecord[]> => {
      // Where each produced record is, read back from the workbench by value.
      const all: SeenRecord[] = [];
      for (let partition = 0; partition < 3; partition++) {
        const read = await query<{ records: { key: string | null; value: string | null; offset: number }[] }>('readRecords', { topic, partition, offset: 0, maxRecords: 100 });
        for (const r of read.records) all.push({ key: r.key, value: r.value ?? '', partition, offset: r.offset });
      }
      return records.map((m) => all.find((r) => r.value === m.value)!);
    };
    await expectLifecycle({ brokers, topics, produced: await placed(produced), later: await placed(later), fromBeginning, inGroup, resumed }, topic, group, 3);
  }, 180_000);

  for (const client of ['kafka-python', 'confluent'] as const) {
    it.skipIf(!hasPython)(client, async () => {
      const topic = `${client}-orders`;
      const group = `${client}-group`;
      const { stdout } = await run(PYTHON, [LIFECYCLE, client, rig.bootstrap(), topic, group], { timeout: 170_000, maxBuffer: 4 << 20 });
      await expectLifecycle(JSON.parse(stdout.trim().split('\n').at(-1)!) as Lifecycle, topic, group, 3);
    }, 180_000);
  }

  it.skipIf(!kcatPresent)('kcat 1.7 (librdkafka)', async () => {
    const topic = 'kcat-orders';
    const group = 'kcat-group';
    const bootstrap = rig.bootstrap();
    const metadata = JSON.parse((await run('kcat', ['-L', '-J', '-b', bootstrap])).stdout) as { brokers: { id: number }[]; topics: { topic: string }[] };
    // kcat has no admin API: its topic is created on first produce (auto.create.topics.enable), with
    // the cluster's num.partitions and default.replication.factor, set here as a workshop would.
    const configured = await rig.gateway.invoke('command', 'alterBrokerConfigs', { set: { 'num.partitions': '3', 'default.replication.factor': '3' }, remove: [] });
    expect(configured.ok).toBe(true);
    const format = ['-f', '%k\t%s\t%p\t%o\n'];
    const produce = async (lines: string[], keyed: boolean): Promise<void> => {
      const args = ['-P', '-b', bootstrap, '-t', topic, '-X', 'topic.partitioner=murmur2_random', '-X', 'acks=all', ...(keyed ? ['-K', ':'] : [])];
      await runWithInput('kcat', args, lines.join('\n') + '\n');
    };
    await produce(Array.from({ length: 6 }, (_, i) => `order-${i}:value of order-${i}`), true);
    await produce(Array.from({ length: 4 }, (_, i) => `keyless ${i}`), false);
    const topics = JSON.parse((await run('kcat', ['-L', '-J', '-b', bootstrap])).stdout) as { topics: { topic: string }[] };
    const parse = (stdout: string): SeenRecord[] =>
      stdout
        .split('\n')
        .filter((line) => line.includes('\t'))
        .map((line) => {
          const [key, value, partition, offset] = line.split('\t');
          return { key: key === '' ? null : key!, value: value!, partition: Number(partition), offset: Number(offset) };
        });
    const fromBeginning = parse((await run('kcat', ['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', ...format], { timeout: 30_000 })).stdout);
    const inGroupRun = async (): Promise<SeenRecord[]> =>
      parse((await run('kcat', ['-b', bootstrap, '-G', group, '-X', 'auto.offset.reset=earliest', '-X', 'client.id=kcat-lifecycle', '-e', ...format, topic], { timeout: 60_000 })).stdout);
    const inGroup = await inGroupRun();
    await produce(Array.from({ length: 5 }, (_, i) => `later-${i}:later value ${i}`), true);
    const resumed = await inGroupRun();
    const all = parse((await run('kcat', ['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', ...format], { timeout: 30_000 })).stdout);
    const produced = all.filter((r) => !r.value.startsWith('later'));
    const later = all.filter((r) => r.value.startsWith('later'));
    await expectLifecycle(
      { brokers: metadata.brokers.map((b) => b.id).sort((a, b) => a - b), topics: topics.topics.map((t) => t.topic), produced, later, fromBeginning, inGroup, resumed },
      topic,
      group,
      3,
    );
  }, 180_000);
});

function runWithInput(command: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout: 30_000 }, (error, _stdout, stderr) => (error ? reject(new Error(`${command} ${args.join(' ')}: ${error.message}\n${stderr}`)) : resolve()));
    child.stdin!.end(input);
  });
}
