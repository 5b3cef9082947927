/**
 * kafka-topics golden output (Kafka 3.7.0's TopicCommand): each command line as a learner types it,
 * the lines the real tool prints, and for bad input the real tool's message with nothing changed.
 * Timestamps are the lab's virtual clock (seeded start 1_700_000_000_000 = 2023-11-14 22:13:20 UTC).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaTopicsTool } from '../../../engine/console/tools/kafka-topics.js';
import { consoleLab } from './console-lab.js';

const SEED = 7;
const B = ['--bootstrap-server', '127.0.0.1:9092'];
let lab: ReturnType<typeof consoleLab>;
afterEach(() => lab?.close());

const topics = (args: string[]) => lab.run(kafkaTopicsTool, [...B, ...args]);
const names = async () => (await lab.engine.query('listTopics', { includeInternal: true })).topics.sort();
/** A partition line with the ids masked: what is golden is the layout, not the placement. */
const PARTITION_LINE = /^\tTopic: (\S+)\tPartition: (\d+)\tLeader: (\d+|none)\tReplicas: ([\d,]+)\tIsr: ([\d,]*)$/;

describe(`kafka-topics (seed ${SEED}; rerun with it to reproduce)`, () => {
  it('--create prints "Created topic x." and --describe prints the summary and one tab-separated line per partition', async () => {
    lab = consoleLab(SEED);
    expect(await topics(['--create', '--topic', 'orders', '--partitions', '2', '--replication-factor', '3'])).toEqual({ code: 0, out: ['Created topic orders.'], err: [] });
    const topic = await lab.engine.query('describeTopic', { name: 'orders' });
    const described = await topics(['--describe', '--topic', 'orders']);
    expect(described.code).toBe(0);
    expect(described.out[0]).toBe(`Topic: orders\tTopicId: ${topic.topicId}\tPartitionCount: 2\tReplicationFactor: 3\tConfigs: `);
    expect(described.out.slice(1)).toEqual(topic.partitions.map((p) => `\tTopic: orders\tPartition: ${p.partition}\tLeader: ${p.leader}\tReplicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}`));
    for (const line of described.out.slice(1)) expect(line).toMatch(PARTITION_LINE);
  });

  it('--config overrides show in Configs; the period/underscore WARNING precedes "Created topic"', async () => {
    lab = consoleLab(SEED);
    const created = await topics(['--create', '--topic', 'lab.orders', '--config', 'retention.ms=60000', '--config', 'cleanup.policy=compact']);
    expect(created.out).toEqual([
      "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.",
      'Created topic lab.orders.',
    ]);
    const described = await topics(['--describe', '--topic', 'lab\\.orders']);
    expect(described.out[0]).toMatch(/\tConfigs: (cleanup\.policy=compact,retention\.ms=60000|retention\.ms=60000,cleanup\.policy=compact)$/);
  });

  it('--replica-assignment places the replicas as written', async () => {
    lab = consoleLab(SEED);
    expect((await topics(['--create', '--topic', 'placed', '--replica-assignment', '1:2,2:3,3:1'])).out).toEqual(['Created topic placed.']);
    const out = (await topics(['--describe', '--topic', 'placed'])).out;
    expect(out[0]).toContain('\tPartitionCount: 3\tReplicationFactor: 2\t');
    expect(out.slice(1).map((l) => PARTITION_LINE.exec(l)![4])).toEqual(['1,2', '2,3', '3,1']);
  });

  it('--list prints one name a line, sorted; --exclude-internal; an empty cluster prints one empty line', async () => {
    lab = consoleLab(SEED);
    expect((await topics(['--list'])).out).toEqual(['']);
    await topics(['--create', '--topic', 'b']);
    await topics(['--create', '--topic', 'a']);
    expect(await topics(['--list'])).toEqual({ code: 0, out: ['a', 'b'], err: [] });
    expect((await topics(['--list', '--exclude-internal'])).out).toEqual(['a', 'b']);
    expect((await topics(['--list', '--topic', 'a|zz'])).out).toEqual(['a']);
  });

  it('--topic is a regular expression for --describe and --delete (whole-name match)', async () => {
    lab = consoleLab(SEED);
    for (const t of ['shop-orders', 'shop-payments', 'shopping']) await topics(['--create', '--topic', t]);
    const described = await topics(['--describe', '--topic', 'shop-.*']);
    expect(described.out.filter((l) => l.startsWith('Topic: ')).map((l) => l.split('\t')[0])).toEqual(['Topic: shop-orders', 'Topic: shop-payments']);
    expect(await topics(['--delete', '--topic', 'shop-.*'])).toEqual({ code: 0, out: [], err: [] });
    expect(await names()).toEqual(['shopping']);
  });

  it('--alter --partitions grows a topic and prints nothing; -partitions with one hyphen as the material writes it', async () => {
    lab = consoleLab(SEED);
    await topics(['--create', '--topic', 'grow', '--partitions', '1']);
    expect(await topics(['--alter', '--topic', 'grow', '-partitions', '2'])).toEqual({ code: 0, out: [], err: [] });
    expect((await lab.engine.query('describeTopic', { name: 'grow' })).partitions).toHaveLength(2);
  });

  it('--alter to fewer partitions: InvalidPartitionsException, nothing changed', async () => {
    lab = consoleLab(SEED);
    await topics(['--create', '--topic', 'grow', '--partitions', '3']);
    const run = await topics(['--alter', '--topic', 'grow', '--partitions', '2']);
    expect(run.code).toBe(1);
    expect(run.out).toEqual(['Error while executing topic command : Topic currently has 3 partitions, which is higher than the requested 2.']);
    expect(run.err).toEqual([expect.stringMatching(/^\[2023-11-14 22:13:2\d,\d{3}\] ERROR org\.apache\.kafka\.common\.errors\.InvalidPartitionsException: Topic currently has 3 partitions, which is higher than the requested 2\. \(org\.apache\.kafka\.tools\.TopicCommand\)$/)]);
    expect((await lab.engine.query('describeTopic', { name: 'grow' })).partitions).toHaveLength(3);
  });

  it('an existing topic: TopicExistsException; --if-not-exists makes it silent', async () => {
    lab = consoleLab(SEED);
    await topics(['--create', '--topic', 'twice']);
    const again = await topics(['--create', '--topic', 'twice']);
    expect(again.code).toBe(1);
    expect(again.out).toEqual(["Error while executing topic command : Topic 'twice' already exists."]);
    expect(again.err).toHaveLength(1);
    expect(again.err[0]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] ERROR org\.apache\.kafka\.common\.errors\.TopicExistsException: Topic 'twice' already exists\. \(org\.apache\.kafka\.tools\.TopicCommand\)$/);
    expect(await topics(['--create', '--topic', 'twice', '--if-not-exists'])).toEqual({ code: 0, out: [], err: [] });
  });

  it('a topic that does not exist: "Topic \'x\' does not exist as expected" for describe, alter, delete; --if-exists makes it silent', async () => {
    lab = consoleLab(SEED);
    for (const action of [['--describe'], ['--delete'], ['--alter', '--partitions', '2']]) {
      const run = await topics([...action, '--topic', 'nope']);
      expect(run.code).toBe(1);
      expect(run.out).toEqual(["Error while executing topic command : Topic 'nope' does not exist as expected"]);
      expect(run.err[0]).toMatch(/ ERROR java\.lang\.IllegalArgumentException: Topic 'nope' does not exist as expected \(org\.apache\.kafka\.tools\.TopicCommand\)$/);
      expect(await topics([...action, '--topic', 'nope', '--if-exists'])).toEqual({ code: 0, out: [], err: [] });
    }
    expect(await names()).toEqual([]);
  });

  it('--under-replicated-partitions and --unavailable-partitions show only such partitions, without the summary', async () => {
    lab = consoleLab(SEED);
    await topics(['--create', '--topic', 'r', '--replica-assignment', '1:2,2:3']);
    expect((await topics(['--describe', '--under-replicated-partitions'])).out).toEqual([]);
    expect((await topics(['--describe', '--unavailable-partitions'])).out).toEqual([]);
    await lab.engine.command('killBroker', { brokerId: 3 });
    lab.advance(30_000);
    const under = (await topics(['--describe', '--under-replicated-partitions'])).out;
    expect(under).toHaveLength(1);
    expect(under[0]).toMatch(/^\tTopic: r\tPartition: 1\tLeader: 2\tReplicas: 2,3\tIsr: 2$/);
    await lab.engine.command('killBroker', { brokerId: 2 });
    lab.advance(30_000);
    const unavailable = (await topics(['--describe', '--unavailable-partitions'])).out;
    // Partition 1's replicas are both down: its leader (none, or a dead one the controller still names) is not live.
    expect(unavailable).toEqual([expect.stringMatching(/^\tTopic: r\tPartition: 1\tLeader: (none|2)\tReplicas: 2,3\tIsr: 2$/)]);
  });

  it('bad --replica-assignment: Java\'s messages, nothing created', async () => {
    lab = consoleLab(SEED);
    const duplicate = await topics(['--create', '--topic', 'x', '--replica-assignment', '1:1,2:3']);
    expect(duplicate.out).toEqual(['Error while executing topic command : Partition replica lists may not contain duplicate entries: 1']);
    const uneven = await topics(['--create', '--topic', 'x', '--replica-assignment', '1:2,3']);
    expect(uneven.out).toEqual(['Error while executing topic command : Partition 1 has different replication factor: [3]']);
    const notNumber = await topics(['--create', '--topic', 'x', '--replica-assignment', '1:a']);
    expect(notNumber.out).toEqual(['Error while executing topic command : For input string: "a"']);
    expect(notNumber.err[0]).toContain('ERROR java.lang.NumberFormatException: For input string: "a"');
    const both = await topics(['--create', '--topic', 'x', '--replica-assignment', '1:2', '--partitions', '1']);
    expect(both.err[0]).toBe('Option "[replica-assignment]" can\'t be used with option "[partitions]"');
    for (const run of [duplicate, uneven, notNumber, both]) expect(run.code).toBe(1);
    expect(await names()).toEqual([]);
  });

  it('bad numbers and configs: the real messages', async () => {
    lab = consoleLab(SEED);
    expect((await topics(['--create', '--topic', 'x', '--partitions', '0'])).out).toEqual(['Error while executing topic command : The partitions must be greater than 0']);
    expect((await topics(['--create', '--topic', 'x', '--replication-factor', '0'])).out).toEqual(['Error while executing topic command : The replication factor must be between 1 and 32767 inclusive']);
    expect((await topics(['--create', '--topic', 'x', '--partitions', 'two'])).out).toEqual(["Error while executing topic command : Cannot parse argument 'two' of option partitions"]);
    expect((await topics(['--create', '--topic', 'x', '--config', 'retention.ms'])).out).toEqual([
      'Error while executing topic command : requirement failed: Invalid topic config: all configs to be added must be in the format "key=val".',
    ]);
    expect(await names()).toEqual([]);
  });

  it('usage errors print the message and the help on stderr, exit 1', async () => {
    lab = consoleLab(SEED);
    const none = await lab.run(kafkaTopicsTool, []);
    expect(none.code).toBe(1);
    expect(none.err[0]).toBe('Create, delete, describe, or change a topic.');
    expect(none.err[1]).toMatch(/^Option\s+Description$/);
    expect(none.err).toContainEqual(expect.stringMatching(/^--bootstrap-server <String: server to/));
    const noAction = await topics(['--topic', 'x']);
    expect(noAction.err[0]).toBe('Command must include exactly one action: --list, --describe, --create, --alter or --delete');
    const noTopic = await topics(['--create', '--partitions', '1']);
    expect(noTopic.err[0]).toBe('Missing required argument "[topic]"');
    const noPartitions = await topics(['--alter', '--topic', 'x']);
    expect(noPartitions.err[0]).toBe('Missing required argument "[partitions]"');
    const alterConfig = await topics(['--alter', '--topic', 'x', '--partitions', '2', '--config', 'a=b']);
    expect(alterConfig.err[0]).toBe('Option combination "[[bootstrap-server], [config]]" can\'t be used with option "[alter]" (the kafka-configs CLI supports altering topic configs with a --bootstrap-server option)');
    const rfOnAlter = await topics(['--alter', '--topic', 'x', '--partitions', '2', '--replication-factor', '2']);
    expect(rfOnAlter.err[0]).toBe('Option "[replication-factor]" can\'t be used with option "[alter]"');
    for (const run of [noAction, noTopic, noPartitions, alterConfig, rfOnAlter]) expect(run.code).toBe(1);
    const help = await lab.run(kafkaTopicsTool, ['--help']);
    expect(help.err[0]).toBe('This tool helps to create, delete, describe, or change a topic.');
    expect(await lab.run(kafkaTopicsTool, ['--version'])).toEqual({ code: 0, out: ['3.7.0'], err: [] });
  });

  it('unknown options and missing arguments: jopt-simple\'s message and exception on stderr (no abbreviations, as Kafka builds its parser)', async () => {
    lab = consoleLab(SEED);
    expect(await topics(['--describe', '--nope'])).toEqual({ code: 1, out: [], err: ['nope is not a recognized option', 'joptsimple.UnrecognizedOptionException: nope is not a recognized option'] });
    expect((await topics(['--create', '--topic', 'x', '--partition', '2'])).err[0]).toBe('partition is not a recognized option');
    expect((await topics(['--create', '--topic', 'x', '-replicas', '2'])).err[0]).toBe('r is not a recognized option');
    expect(await topics(['--describe', '--topic'])).toEqual({ code: 1, out: [], err: ['Option topic requires an argument', 'joptsimple.OptionMissingRequiredArgumentException: Option topic requires an argument'] });
    expect(await names()).toEqual([]);
  });

  it('no --bootstrap-server: the message and its exception on stderr; --zookeeper: a one-line note, then it runs', async () => {
    lab = consoleLab(SEED);
    expect(await lab.run(kafkaTopicsTool, ['--list'])).toEqual({
      code: 1,
      out: [],
      err: ['--bootstrap-server must be specified', 'java.lang.IllegalArgumentException: --bootstrap-server must be specified'],
    });
    const zk = await lab.run(kafkaTopicsTool, ['--create', '--zookeeper', 'localhost:2181', '--replication-factor', '1', '--partitions', '1', '--topic', 'test']);
    expect(zk.code).toBe(0);
    expect(zk.out).toEqual(['Created topic test.']);
    expect(zk.err).toEqual(["Note: kafka-topics in Kafka 3.x takes --bootstrap-server (--zookeeper was removed in 3.0); running against the workbench's brokers."]);
  });
});
