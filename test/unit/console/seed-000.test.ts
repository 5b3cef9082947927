/**
 * Seed 000 (Kafka Scaling) through the console only, as its command lines are written in the
 * material: describe labshoppubsub (1 partition, group inventory with two consumers: one owns
 * partition 0, one has none), alter to 2 partitions with the material's one-hyphen `-partitions 2`,
 * describe again (both consumers assigned). The two in-app consumers stand for the seed's two
 * inventory replicas. The `./kafka-consumer-groups ... --describe --group inventory` lines run
 * through the same registry once that tool is registered in REGISTRY (the lead adds it with its
 * golden lines at the two marked places); meanwhile the group's assignment is checked by query.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCommandLine, toolRegistry } from '../../../engine/console/console-runner.js';
import { kafkaTopicsTool } from '../../../engine/console/tools/kafka-topics.js';
import { consoleLab } from './console-lab.js';

const SEED = 0;
const REGISTRY = toolRegistry([kafkaTopicsTool]);
let lab: ReturnType<typeof consoleLab>;
afterEach(() => lab?.close());

/** Types one line into the console, as the learner pastes it from the material. */
const type = (line: string) => lab.run({ name: 'shell', run: (_args, context) => runCommandLine(line, context, REGISTRY) }, []);

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
    // (lead) `./kafka-consumer-groups --bootstrap-server localhost:9092 --describe --group inventory` here: one row for partition 0.
    expect(await assignments()).toEqual([['labshoppubsub-0'], []]);

    expect(await type('./kafka-topics --bootstrap-server 127.0.0.1:9092 --alter --topic labshoppubsub -partitions 2')).toEqual({ code: 0, out: [], err: [] });
    lab.advance(330_000); // the consumers see the new partition on their next metadata refresh (metadata.max.age.ms 300000) and rebalance

    const after = await type('./kafka-topics --bootstrap-server 127.0.0.1:9092 --topic labshoppubsub --describe');
    expect(after.out).toHaveLength(3);
    expect(after.out[0]).toMatch(/\tPartitionCount: 2\tReplicationFactor: 3\t/);
    expect(after.out.slice(1).map((l) => l.split('\t')[2])).toEqual(['Partition: 0', 'Partition: 1']);
    // (lead) `./kafka-consumer-groups ... --describe --group inventory` here: partitions 0 and 1, each with a consumer.
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
