/**
 * Seed 000 (Kafka Scaling) through the console only, as its command lines are written in the
 * material: describe labshoppubsub (1 partition, group inventory with two consumers: one owns
 * partition 0, one has none), alter to 2 partitions with the material's one-hyphen `-partitions 2`,
 * describe again (both consumers assigned). The two in-app consumers stand for the seed's two
 * inventory replicas; `./kafka-consumer-groups ... --describe --group inventory` shows them as the
 * seed says: one consumer owns partition 0, the other has none, then each has one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCommandLine } from '../../../engine/console/console-runner.js';
import { CONSOLE_TOOLS } from '../../../engine/console/tools/index.js';
import { consoleLab } from './console-lab.js';

const SEED = 0;
let lab: ReturnType<typeof consoleLab>;
afterEach(() => lab?.close());

/** Types one line into the console, as the learner pastes it from the material. */
const type = (line: string) => lab.run({ name: 'shell', run: (_args, context) => runCommandLine(line, context, CONSOLE_TOOLS) }, []);

/** The describe table's rows as GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CLIENT-ID (the header first checked). */
function rowsOf(out: readonly string[]): string[][] {
  const [blank, header, ...rows] = out;
  expect(blank).toBe('');
  expect(header!.split(/\s+/)).toEqual(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID']);
  return rows.map((row) => {
    const cells = row.trim().split(/\s+/);
    return [...cells.slice(0, 6), cells[8]!];
  });
}

async function assignments(): Promise<string[][]> {
  const group = await lab.engine.query('describeGroup', { groupId: 'inventory' });
  return group.members.map((m) => m.assignment.map((tp) => `${tp.topic}-${tp.partition}`).sort()).sort((a, b) => b.length - a.length || a.join().localeCompare(b.join()));
}

describe(`seed 000: Kafka scaling through the console (seed ${SEED})`, () => {
  it('describe, alter -partitions 2, describe: the consumer without a partition gets partition 1', async () => {
    lab = consoleLab(SEED);
    expect((await type('./kafka-topics --bootstrap-server 127.0.0.1:9092 --create --topic labshoppubsub --partitions 1 --replication-factor 3')).code).toBe(0);
    await lab.engine.command('startConsumer', { groupId: 'inventory', topics: ['labshoppubsub'] });
    await lab.engine.command('startConsumer', { groupId: 'inventory', topics: ['labshoppubsub'] });
    lab.advance(10_000);

    const before = await type('./kafka-topics --bootstrap-server 127.0.0.1:9092 --topic labshoppubsub --describe');
    expect(before.code).toBe(0);
    expect(before.out).toHaveLength(2);
    expect(before.out[0]).toMatch(/^Topic: labshoppubsub\tTopicId: [\w-]{22}\tPartitionCount: 1\tReplicationFactor: 3\tConfigs: $/);
    expect(before.out[1]).toMatch(/^\tTopic: labshoppubsub\tPartition: 0\tLeader: \d+\tReplicas: \d+,\d+,\d+\tIsr: \d+,\d+,\d+$/);
    const groupBefore = await type('./kafka-consumer-groups --bootstrap-server localhost:9092 --describe --group inventory');
    expect(groupBefore.code).toBe(0);
    // Kafka's table lists partitions, so the consumer without one does not appear: one matched consumer, as the seed says.
    expect(rowsOf(groupBefore.out)).toEqual([['inventory', 'labshoppubsub', '0', '-', '0', '-', 'inventory-1']]);
    expect(await assignments()).toEqual([['labshoppubsub-0'], []]);

    expect(await type('./kafka-topics --bootstrap-server 127.0.0.1:9092 --alter --topic labshoppubsub -partitions 2')).toEqual({ code: 0, out: [], err: [] });
    lab.advance(330_000); // the consumers see the new partition on their next metadata refresh (metadata.max.age.ms 300000) and rebalance

    const after = await type('./kafka-topics --bootstrap-server 127.0.0.1:9092 --topic labshoppubsub --describe');
    expect(after.out).toHaveLength(3);
    expect(after.out[0]).toMatch(/\tPartitionCount: 2\tReplicationFactor: 3\t/);
    expect(after.out.slice(1).map((l) => l.split('\t')[2])).toEqual(['Partition: 0', 'Partition: 1']);
    const groupAfter = await type('./kafka-consumer-groups --bootstrap-server localhost:9092 --describe --group inventory');
    expect(rowsOf(groupAfter.out)).toEqual([
      ['inventory', 'labshoppubsub', '0', '0', '0', '0', 'inventory-1'],
      ['inventory', 'labshoppubsub', '1', '0', '0', '0', 'inventory-2'],
    ]);
    expect(await assignments()).toEqual([['labshoppubsub-0'], ['labshoppubsub-1']].sort());
  });

  it("seed 001's Windows lines: --zookeeper with a note; 'localhost:2181, localhost:2182, localhost:2183' split by the shell, the extra words ignored as jopt-simple ignores non-option arguments", async () => {
    lab = consoleLab(SEED);
    const note = "Note: kafka-topics in Kafka 3.x takes --bootstrap-server (--zookeeper was removed in 3.0); running against the workbench's brokers.";
    const create = await type('D:\\kafka\\kafka_2.13-2.6.0\\bin>windows\\kafka-topics.bat --zookeeper localhost:2181, localhost:2182, localhost:2183 --topic kafkaTest --partitions 1 --replication-factor 3 --create');
    expect(create).toEqual({ code: 0, out: ['Created topic kafkaTest.'], err: [note] });
    const described = await type('D:\\kafka\\kafka_2.13-2.6.0\\bin>windows\\kafka-topics.bat --zookeeper localhost:2181, localhost:2182, localhost:2183 --topic kafkaTest --describe');
    expect(described.code).toBe(0);
    expect(described.out[0]).toMatch(/^Topic: kafkaTest\tTopicId: \S+\tPartitionCount: 1\tReplicationFactor: 3\tConfigs: $/);
    expect((await type('D:\\kafka\\kafka_2.13-2.6.0>bin\\windows\\kafka-topics.bat --create --zookeeper localhost:2181 --replication-factor 1 --partitions 1 --topic test')).out).toEqual(['Created topic test.']);
    expect((await type('D:\\kafka\\kafka_2.13-2.6.0>bin\\windows\\kafka-topics.bat --create --zookeeper localhost:2181 --replication-factor 1 --partitions 2 --topic userMessage')).out).toEqual(['Created topic userMessage.']);
    expect((await type('D:\\kafka\\kafka_2.13-2.6.0>bin\\windows\\kafka-topics.bat --list --zookeeper localhost:2181')).out).toEqual(['kafkaTest', 'test', 'userMessage']);
  });
});
