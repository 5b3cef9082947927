/**
 * kafka-configs golden output (Kafka 3.7.0's ConfigCommand): each command line as a learner types it
 * (min.insync.replicas and retention, as the workshop changes them), the lines the real tool
 * prints, and for bad input the real tool's message with nothing changed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaConfigsTool } from '../../../engine/console/tools/kafka-configs.js';
import { kafkaTopicsTool } from '../../../engine/console/tools/kafka-topics.js';
import { consoleLab } from './console-lab.js';

const SEED = 11;
const B = ['--bootstrap-server', '127.0.0.1:9092'];
let lab: ReturnType<typeof consoleLab>;
afterEach(() => lab?.close());

const configs = (args: string[]) => lab.run(kafkaConfigsTool, [...B, ...args]);
const topicOverrides = async (name: string) => (await lab.engine.query('describeTopic', { name })).configs;
const brokerDefaults = async () => (await lab.engine.query('describeConfigs', { resource: { type: 'broker' } })).entries.filter((e) => e.source === 'DYNAMIC_DEFAULT_BROKER_CONFIG');

async function withTopic(name = 'orders'): Promise<void> {
  lab = consoleLab(SEED);
  await lab.run(kafkaTopicsTool, [...B, '--create', '--topic', name, '--partitions', '1', '--replication-factor', '3']);
}

describe(`kafka-configs (seed ${SEED}; rerun with it to reproduce)`, () => {
  it('--alter --add-config on a topic prints "Completed updating config for topic x."; --describe lists the overrides sorted, with synonyms', async () => {
    await withTopic();
    expect(await configs(['--entity-type', 'topics', '--entity-name', 'orders', '--alter', '--add-config', 'min.insync.replicas=2,retention.ms=60000'])).toEqual({
      code: 0,
      out: ['Completed updating config for topic orders.'],
      err: [],
    });
    expect(await topicOverrides('orders')).toEqual({ 'min.insync.replicas': '2', 'retention.ms': '60000' });
    expect(await configs(['--entity-type', 'topics', '--entity-name', 'orders', '--describe'])).toEqual({
      code: 0,
      out: [
        'Dynamic configs for topic orders are:',
        '  min.insync.replicas=2 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:min.insync.replicas=2, DEFAULT_CONFIG:min.insync.replicas=1}',
        // Kafka's default of retention sits on log.retention.hours, which ConfigHelper's dropWhile leaves out.
        '  retention.ms=60000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=60000}',
      ],
      err: [],
    });
  });

  it('--topic is the shortcut for --entity-type topics --entity-name; --delete-config removes an override', async () => {
    await withTopic();
    await configs(['--topic', 'orders', '--alter', '--add-config', 'cleanup.policy=compact']);
    expect((await configs(['--topic', 'orders', '--describe'])).out).toEqual([
      'Dynamic configs for topic orders are:',
      '  cleanup.policy=compact sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact, DEFAULT_CONFIG:log.cleanup.policy=delete}',
    ]);
    expect(await configs(['--topic', 'orders', '--alter', '--delete-config', 'cleanup.policy'])).toEqual({ code: 0, out: ['Completed updating config for topic orders.'], err: [] });
    expect(await topicOverrides('orders')).toEqual({});
    expect((await configs(['--topic', 'orders', '--describe'])).out).toEqual(['Dynamic configs for topic orders are:']);
  });

  it('square brackets group a value with commas; spaces around "=" are allowed', async () => {
    await withTopic();
    expect((await configs(['--topic', 'orders', '--alter', '--add-config', 'cleanup.policy=[compact,delete], min.insync.replicas = 2'])).out).toEqual([
      'Completed updating config for topic orders.',
    ]);
    expect(await topicOverrides('orders')).toEqual({ 'cleanup.policy': 'compact,delete', 'min.insync.replicas': '2' });
  });

  it('--describe --all lists every topic config with its source\'s synonyms', async () => {
    await withTopic();
    await configs(['--topic', 'orders', '--alter', '--add-config', 'min.insync.replicas=2']);
    const all = await configs(['--topic', 'orders', '--describe', '--all']);
    expect(all.code).toBe(0);
    expect(all.out[0]).toBe('All configs for topic orders are:');
    expect(all.out).toContain('  min.insync.replicas=2 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:min.insync.replicas=2, DEFAULT_CONFIG:min.insync.replicas=1}');
    expect(all.out).toContain('  cleanup.policy=delete sensitive=false synonyms={DEFAULT_CONFIG:log.cleanup.policy=delete}');
    expect(all.out).toContain('  retention.ms=604800000 sensitive=false synonyms={}');
    const names = all.out.slice(1).map((l) => /^ {2}([^=]+)=/.exec(l)![1]!);
    expect(names).toEqual([...names].sort());
  });

  it('broker defaults: --entity-type brokers --entity-default (and --broker-defaults) alter and describe the cluster-wide defaults', async () => {
    lab = consoleLab(SEED);
    expect(await configs(['--entity-type', 'brokers', '--entity-default', '--alter', '--add-config', 'min.insync.replicas=2,log.retention.ms=3600000'])).toEqual({
      code: 0,
      out: ['Completed updating default config for brokers in the cluster.'],
      err: [],
    });
    expect(await brokerDefaults()).toEqual([
      { name: 'log.retention.ms', value: '3600000', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' },
      { name: 'min.insync.replicas', value: '2', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' },
    ]);
    const expected = [
      'Default configs for brokers in the cluster are:',
      '  log.retention.ms=3600000 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=3600000}',
      '  min.insync.replicas=2 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:min.insync.replicas=2}',
    ];
    expect(await configs(['--entity-type', 'brokers', '--entity-default', '--describe'])).toEqual({ code: 0, out: expected, err: [] });
    expect((await configs(['--broker-defaults', '--describe'])).out).toEqual(expected);
    // A topic without overrides now inherits them: the broker synonym shows, then Kafka's static default.
    await lab.run(kafkaTopicsTool, [...B, '--create', '--topic', 'orders']);
    const all = (await configs(['--topic', 'orders', '--describe', '--all'])).out;
    expect(all).toContain('  min.insync.replicas=2 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:min.insync.replicas=2, DEFAULT_CONFIG:min.insync.replicas=1}');
    expect(all).toContain('  retention.ms=3600000 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=3600000, DEFAULT_CONFIG:log.retention.hours=168}');
    expect(await configs(['--broker-defaults', '--alter', '--delete-config', 'min.insync.replicas,log.retention.ms'])).toEqual({
      code: 0,
      out: ['Completed updating default config for brokers in the cluster.'],
      err: [],
    });
    expect(await brokerDefaults()).toEqual([]);
  });

  it('--describe of brokers without a name: each live broker (no per-broker overrides here), then the cluster default', async () => {
    lab = consoleLab(SEED);
    await configs(['--broker-defaults', '--alter', '--add-config', 'min.insync.replicas=2']);
    expect(await configs(['--entity-type', 'brokers', '--describe'])).toEqual({
      code: 0,
      out: [
        'Dynamic configs for broker 1 are:',
        'Dynamic configs for broker 2 are:',
        'Dynamic configs for broker 3 are:',
        'Default configs for brokers in the cluster are:',
        '  min.insync.replicas=2 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:min.insync.replicas=2}',
      ],
      err: [],
    });
    const one = await configs(['--broker', '1', '--describe', '--all']);
    expect(one.out[0]).toBe('All configs for broker 1 are:');
    expect(one.out).toContain('  min.insync.replicas=2 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:min.insync.replicas=2, DEFAULT_CONFIG:min.insync.replicas=1}');
    expect(one.out).toContain('  num.partitions=1 sensitive=false synonyms={DEFAULT_CONFIG:num.partitions=1}');
  });

  it('--describe of topics without a name: every topic, sorted', async () => {
    await withTopic('b-topic');
    await lab.run(kafkaTopicsTool, [...B, '--create', '--topic', 'a-topic']);
    await configs(['--topic', 'b-topic', '--alter', '--add-config', 'retention.ms=1000']);
    expect((await configs(['--entity-type', 'topics', '--describe'])).out).toEqual([
      'Dynamic configs for topic a-topic are:',
      'Dynamic configs for topic b-topic are:',
      '  retention.ms=1000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=1000}',
    ]);
  });

  it('deleting a config that is not set: "Invalid config(s): k" on stderr, exit 1, nothing changed', async () => {
    await withTopic();
    await configs(['--topic', 'orders', '--alter', '--add-config', 'retention.ms=1000']);
    expect(await configs(['--topic', 'orders', '--alter', '--add-config', 'min.insync.replicas=2', '--delete-config', 'segment.ms,flush.ms'])).toEqual({
      code: 1,
      out: [],
      err: ['Invalid config(s): segment.ms,flush.ms'],
    });
    expect(await topicOverrides('orders')).toEqual({ 'retention.ms': '1000' });
    expect(await configs(['--broker-defaults', '--alter', '--delete-config', 'min.insync.replicas'])).toEqual({ code: 1, out: [], err: ['Invalid config(s): min.insync.replicas'] });
  });

  it('a bad value or an unknown config: the admin call fails, printed as ConfigCommand prints a Throwable; nothing changed', async () => {
    await withTopic();
    const bad = await configs(['--topic', 'orders', '--alter', '--add-config', 'min.insync.replicas=0']);
    expect(bad.code).toBe(1);
    expect(bad.out).toEqual([]);
    expect(bad.err[0]).toBe(`Error while executing config command with args '${[...B, '--topic', 'orders', '--alter', '--add-config', 'min.insync.replicas=0'].join(' ')}'`);
    expect(bad.err[1]).toMatch(/^java\.util\.concurrent\.ExecutionException: org\.apache\.kafka\.common\.errors\.InvalidConfigurationException: .*min\.insync\.replicas/);
    const unknown = await configs(['--topic', 'orders', '--alter', '--add-config', 'retention.hours=1']);
    expect(unknown.err[1]).toBe('java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.InvalidConfigurationException: Unknown topic config name: retention.hours');
    expect(await topicOverrides('orders')).toEqual({});
  });

  it('a topic that does not exist: the header, then UnknownTopicOrPartitionException; --alter changes nothing', async () => {
    lab = consoleLab(SEED);
    const described = await configs(['--topic', 'nope', '--describe']);
    expect(described).toEqual({
      code: 1,
      out: ['Dynamic configs for topic nope are:'],
      err: [
        `Error while executing config command with args '${[...B, '--topic', 'nope', '--describe'].join(' ')}'`,
        'java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.',
      ],
    });
    const altered = await configs(['--topic', 'nope', '--alter', '--add-config', 'retention.ms=1']);
    expect(altered.code).toBe(1);
    expect(altered.out).toEqual([]);
    expect(altered.err[1]).toContain('UnknownTopicOrPartitionException');
    expect((await lab.engine.query('listTopics', { includeInternal: true })).topics).toEqual([]);
  });

  it('argument errors: the bare message on stderr, exit 1 (ConfigCommand catches IllegalArgumentException)', async () => {
    await withTopic();
    const cases: [string[], string][] = [
      [['--entity-type', 'topic', '--entity-name', 'orders', '--describe'], 'Invalid entity type topic, the entity type must be one of topics, clients, users, brokers, ips, broker-loggers, client-metrics with a --bootstrap-server or --bootstrap-controller argument'],
      [['--describe'], 'At least one entity type must be specified'],
      [['--entity-type', 'topics', '--alter', '--add-config', 'retention.ms=1'], 'an entity name must be specified with --alter of topics'],
      [['--entity-type', 'brokers', '--alter', '--add-config', 'min.insync.replicas=2'], 'an entity-name or default entity must be specified with --alter of users, clients, brokers or ips'],
      [['--topic', 'orders', '--alter'], 'At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter'],
      [['--topic', 'orders', '--alter', '--add-config', 'retention.ms'], 'requirement failed: Invalid entity config: all configs to be added must be in the format "key=val".'],
      [['--topic', 'orders', '--alter', '--add-config', 'retention ms=1'], 'Invalid character found for config key: retention ms'],
      [['--entity-type', 'brokers', '--entity-name', 'one', '--describe'], 'The entity name for brokers must be a valid integer broker id, but it is: one'],
      [['--entity-name', 'orders', '--topic', 'orders', '--describe'], '--entity-{type,name,default} should not be used in conjunction with specific entity flags'],
      [['--entity-type', 'topics', '--entity-type', 'topics', '--describe'], 'Duplicate entity type(s) specified: topics'],
    ];
    for (const [args, message] of cases) expect(await configs(args), args.join(' ')).toEqual({ code: 1, out: [], err: [message] });
    expect(await lab.run(kafkaConfigsTool, ['--topic', 'orders', '--describe'])).toEqual({
      code: 1,
      out: [],
      err: ['One of the required --bootstrap-server, --boostrap-controller, or --zookeeper arguments must be specified'],
    });
    expect(await topicOverrides('orders')).toEqual({});
  });

  it('what the workbench does not model is refused in one line: per-broker configs, quotas', async () => {
    lab = consoleLab(SEED);
    const perBroker = await configs(['--broker', '1', '--alter', '--add-config', 'min.insync.replicas=2']);
    expect(perBroker).toEqual({
      code: 1,
      out: [],
      err: ["The workbench's brokers share one configuration: per-broker configs are not supported here; use --entity-default (or --broker-defaults) to change the cluster-wide defaults."],
    });
    expect((await configs(['--entity-type', 'clients', '--entity-default', '--describe'])).err).toEqual(["The workbench models topic and broker configs and users' SCRAM credentials only: --entity-type clients is not supported here."]);
    expect(await brokerDefaults()).toEqual([]);
  });

  it('usage errors print the message and the help on stderr; parse errors print jopt-simple\'s message only', async () => {
    lab = consoleLab(SEED);
    const none = await lab.run(kafkaConfigsTool, []);
    expect(none.code).toBe(1);
    expect(none.err[0]).toBe('This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip or client-metrics');
    expect(none.err[1]).toMatch(/^Option\s+Description$/);
    const noAction = await configs(['--topic', 'x']);
    expect(noAction.err[0]).toBe('Command must include exactly one action: --describe, --alter');
    expect(noAction.code).toBe(1);
    const both = await configs(['--topic', 'x', '--describe', '--add-config', 'a=b']);
    expect(both.err[0]).toBe('Option "[describe]" can\'t be used with option "[add-config]"');
    expect(await configs(['--topic', 'x', '--describe', '--nope'])).toEqual({ code: 1, out: [], err: ['nope is not a recognized option'] });
    expect(await lab.run(kafkaConfigsTool, ['--version'])).toEqual({ code: 0, out: ['3.7.0'], err: [] });
  });

  it('--zookeeper: the shared one-line note, then it runs against the workbench', async () => {
    await withTopic();
    const run = await lab.run(kafkaConfigsTool, ['--zookeeper', 'localhost:2181', '--entity-type', 'topics', '--entity-name', 'orders', '--alter', '--add-config', 'retention.ms=1000']);
    expect(run).toEqual({
      code: 0,
      out: ['Completed updating config for topic orders.'],
      err: ["Note: kafka-configs in Kafka 3.x takes --bootstrap-server (--zookeeper was removed in 3.0); running against the workbench's brokers."],
    });
  });
});
