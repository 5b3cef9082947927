/**
 * kafka-leader-election golden output (Kafka 3.7's LeaderElectionCommand): preferred elections after
 * a broker comes back, "Valid replica already elected", unclean elections, the JSON file, and the
 * tool's messages for bad input (nothing elected).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaLeaderElectionTool } from '../../../engine/console/tools/kafka-leader-election.js';
import { kafkaTopicsTool } from '../../../engine/console/tools/kafka-topics.js';
import { consoleLab } from './console-lab.js';

const SEED = 13;
const B = ['--bootstrap-server', '127.0.0.1:9092'];
let lab: ReturnType<typeof consoleLab>;
afterEach(() => lab?.close());

const elect = (args: string[]) => lab.run(kafkaLeaderElectionTool, [...B, ...args]);
const leaders = async (topic: string) => (await lab.engine.query('describeTopic', { name: topic })).partitions.map((p) => p.leader);

/** A topic whose partitions prefer brokers 1, 2, 3; broker 1 restarted so partition 0's leadership moved away. */
async function labWithMovedLeader(): Promise<void> {
  lab = consoleLab(SEED);
  await lab.run(kafkaTopicsTool, [...B, '--create', '--topic', 'orders', '--replica-assignment', '1:2:3,2:3:1,3:1:2']);
  lab.advance(5_000);
  await lab.engine.command('killBroker', { brokerId: 1 });
  lab.advance(30_000);
  await lab.engine.command('startBroker', { brokerId: 1 });
  lab.advance(30_000);
}

describe(`kafka-leader-election (seed ${SEED}; rerun with it to reproduce)`, () => {
  it('--election-type preferred --topic --partition moves leadership back: "Successfully completed leader election (PREFERRED) for partitions orders-0"', async () => {
    await labWithMovedLeader();
    const before = await leaders('orders');
    expect(before[0]).not.toBe(1);
    expect(await elect(['--election-type', 'preferred', '--topic', 'orders', '--partition', '0'])).toEqual({
      code: 0,
      out: ['Successfully completed leader election (PREFERRED) for partitions orders-0'],
      err: [],
    });
    expect((await leaders('orders'))[0]).toBe(1);
    // Again: nothing to do.
    expect(await elect(['--election-type', 'PREFERRED', '--topic', 'orders', '--partition', '0'])).toEqual({
      code: 0,
      out: ['Valid replica already elected for partitions orders-0'],
      err: [],
    });
  });

  it('--all-topic-partitions elects where needed and leaves out partitions that need nothing', async () => {
    await labWithMovedLeader();
    const run = await elect(['--election-type', 'Preferred', '--all-topic-partitions']);
    expect(run).toEqual({ code: 0, out: ['Successfully completed leader election (PREFERRED) for partitions orders-0'], err: [] });
    expect(await leaders('orders')).toEqual([1, 2, 3]);
    expect(await elect(['--election-type', 'preferred', '--all-topic-partitions'])).toEqual({ code: 0, out: [], err: [] });
  });

  it('--path-to-json-file: succeeded and no-op partitions on their own lines, sorted', async () => {
    await labWithMovedLeader();
    lab.files.set('election.json', JSON.stringify({ partitions: [{ topic: 'orders', partition: 2 }, { topic: 'orders', partition: 0 }, { topic: 'orders', partition: 1 }] }));
    expect(await elect(['--election-type', 'preferred', '--path-to-json-file', 'election.json'])).toEqual({
      code: 0,
      out: ['Successfully completed leader election (PREFERRED) for partitions orders-0', 'Valid replica already elected for partitions orders-1, orders-2'],
      err: [],
    });
  });

  it('failures per partition: "Error completing leader election ..." on stdout, then "N replica(s) could not be elected" on stderr, exit 1', async () => {
    lab = consoleLab(SEED);
    await lab.run(kafkaTopicsTool, [...B, '--create', '--topic', 'orders', '--replica-assignment', '1:2:3']);
    lab.advance(5_000);
    lab.files.set('election.json', JSON.stringify({ partitions: [{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 7 }, { topic: 'nope', partition: 0 }] }));
    const run = await elect(['--election-type', 'preferred', '--path-to-json-file', 'election.json']);
    expect(run).toEqual({
      code: 1,
      out: [
        'Valid replica already elected for partitions orders-0',
        'Error completing leader election (PREFERRED) for partition: nope-0: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: No such topic as nope',
        'Error completing leader election (PREFERRED) for partition: orders-7: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: No such partition as orders-7',
      ],
      err: ['2 replica(s) could not be elected', 'org.apache.kafka.server.common.AdminCommandFailedException: 2 replica(s) could not be elected'],
    });
  });

  it('preferred replica down: PreferredLeaderNotAvailableException; unclean with a live leader: not needed', async () => {
    await labWithMovedLeader();
    await lab.engine.command('killBroker', { brokerId: 1 });
    lab.advance(30_000);
    const run = await elect(['--election-type', 'preferred', '--topic', 'orders', '--partition', '0']);
    expect(run.code).toBe(1);
    expect(run.out).toEqual(['Error completing leader election (PREFERRED) for partition: orders-0: org.apache.kafka.common.errors.PreferredLeaderNotAvailableException: The preferred leader was not available.']);
    expect(await elect(['--election-type', 'unclean', '--topic', 'orders', '--partition', '0'])).toEqual({
      code: 0,
      out: ['Valid replica already elected for partitions orders-0'],
      err: [],
    });
  });

  it('unclean election of a leaderless partition picks a live replica: "(UNCLEAN)"', async () => {
    lab = consoleLab(SEED);
    await lab.run(kafkaTopicsTool, [...B, '--create', '--topic', 'solo', '--replica-assignment', '1:2']);
    lab.advance(5_000);
    // Broker 2 falls out of the ISR, then broker 1 (the leader) dies: no in-sync replica is left.
    await lab.engine.command('killBroker', { brokerId: 2 });
    lab.advance(40_000);
    await lab.engine.command('killBroker', { brokerId: 1 });
    lab.advance(40_000);
    await lab.engine.command('startBroker', { brokerId: 2 });
    lab.advance(40_000);
    const before = (await lab.engine.query('describeTopic', { name: 'solo' })).partitions[0]!;
    expect(before.leader).toBeNull();
    expect(await elect(['--election-type', 'unclean', '--topic', 'solo', '--partition', '0'])).toEqual({
      code: 0,
      out: ['Successfully completed leader election (UNCLEAN) for partitions solo-0'],
      err: [],
    });
    expect(await leaders('solo')).toEqual([2]);
  });

  it('bad input: the tool\'s message and its exception on stderr, exit 1, nothing elected', async () => {
    await labWithMovedLeader();
    const before = await leaders('orders');
    const cases: [string[], string, string][] = [
      [['--topic', 'orders', '--partition', '0'], 'Missing required option(s): election-type', 'org.apache.kafka.server.common.AdminCommandFailedException'],
      [['--election-type', 'preferred'], 'One and only one of the following options is required: topic, all-topic-partitions, path-to-json-file', 'org.apache.kafka.server.common.AdminCommandFailedException'],
      [['--election-type', 'preferred', '--topic', 'orders', '--all-topic-partitions'], 'One and only one of the following options is required: topic, all-topic-partitions, path-to-json-file', 'org.apache.kafka.server.common.AdminCommandFailedException'],
      [['--election-type', 'preferred', '--topic', 'orders'], 'Missing required option(s): partition', 'org.apache.kafka.server.common.AdminCommandFailedException'],
      [['--election-type', 'preferred', '--all-topic-partitions', '--partition', '0'], 'Option partition is only allowed if topic is used', 'org.apache.kafka.server.common.AdminCommandFailedException'],
      [['--election-type', 'leader', '--all-topic-partitions'], "Cannot parse argument 'leader' of option election-type", 'joptsimple.OptionArgumentConversionException'],
      [['--election-type', 'preferred', '--topic', 'orders', '--partition', 'zero'], "Cannot parse argument 'zero' of option partition", 'joptsimple.OptionArgumentConversionException'],
      [['--election-type', 'preferred', '--all-topic-partitions', '--nope'], 'nope is not a recognized option', 'joptsimple.UnrecognizedOptionException'],
    ];
    for (const [args, message, exceptionClass] of cases) {
      expect(await elect(args), args.join(' ')).toEqual({ code: 1, out: [], err: [message, `${exceptionClass}: ${message}`] });
    }
    expect(await lab.run(kafkaLeaderElectionTool, ['--election-type', 'preferred', '--all-topic-partitions'])).toEqual({
      code: 1,
      out: [],
      err: ['Missing required option(s): bootstrap-server', 'org.apache.kafka.server.common.AdminCommandFailedException: Missing required option(s): bootstrap-server'],
    });
    expect(await leaders('orders')).toEqual(before);
  });

  it('bad JSON files: Kafka\'s messages, nothing elected', async () => {
    await labWithMovedLeader();
    const before = await leaders('orders');
    lab.files.set('bad.json', '{"partitions": [');
    lab.files.set('none.json', '{"version": 1}');
    lab.files.set('dup.json', '{"partitions": [{"topic": "orders", "partition": 0}, {"topic": "orders", "partition": 0}]}');
    lab.files.set('field.json', '{"partitions": [{"partition": 0}]}');
    const run = (file: string) => elect(['--election-type', 'preferred', '--path-to-json-file', file]);
    expect((await run('bad.json')).err).toEqual(['Replica election data is empty', 'org.apache.kafka.server.common.AdminOperationException: Replica election data is empty']);
    expect((await run('none.json')).err[0]).toBe('Replica election data is missing "partitions" field');
    expect((await run('dup.json')).err[0]).toBe('Replica election data contains duplicate partitions: [orders-0]');
    expect((await run('field.json')).err[0]).toBe('com.fasterxml.jackson.databind.JsonMappingException: No such field exists: `topic`');
    const missing = await run('missing.json');
    expect(missing.code).toBe(1);
    expect(missing.err[0]).toContain('missing.json');
    expect(await leaders('orders')).toEqual(before);
  });

  it('--help prints the description and the options on stderr; --version prints 3.7.0', async () => {
    lab = consoleLab(SEED);
    const help = await lab.run(kafkaLeaderElectionTool, ['--help']);
    expect(help.code).toBe(1);
    expect(help.err[0]).toBe('This tool attempts to elect a new leader for a set of topic partitions. The type of elections supported are preferred replicas and unclean replicas.');
    expect(help.err).toContainEqual(expect.stringMatching(/^--election-type <\[PREFERRED, UNCLEAN\]:/));
    expect(await lab.run(kafkaLeaderElectionTool, ['--version'])).toEqual({ code: 0, out: ['3.7.0'], err: [] });
  });
});
