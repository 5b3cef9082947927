/**
 * kafka-console-consumer: records printed as Kafka's DefaultMessageFormatter prints them, the ways
 * it stops (--max-messages, --timeout-ms, Ctrl+C) with "Processed a total of N messages", and
 * Kafka's messages for bad options, which change nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaConsoleConsumer } from '../../../engine/console/tools/kafka-console-consumer.js';
import { runUntilSettled } from '../../../engine/core/scheduler.js';
import { consoleLab } from './console-lab.js';

const SEED = 7202;
let lab: ReturnType<typeof consoleLab> | null = null;
afterEach(() => {
  lab?.close();
  lab = null;
});


/** A lab with topic `orders` (2 partitions) holding k0:v0 .. k3:v3 produced at known times. */
async function labWithRecords(files: Record<string, string> = {}) {
  lab = consoleLab(SEED, { files });
  await lab.engine.command('createTopic', { name: 'orders', partitions: 2, replicationFactor: 3 });
  lab.advance(1_000);
  for (let i = 0; i < 4; i++) {
    await runUntilSettled(lab.scheduler, lab.engine.command('produceRecord', { topic: 'orders', partition: i % 2, key: `k${i}`, value: `v${i}`, headers: i === 0 ? [{ key: 'h', value: 'x' }] : [] } as never), 10_000);
  }
  lab.advance(1_000);
  return lab;
}

const BOOT = ['--bootstrap-server', 'localhost:9092', '--topic', 'orders'];

describe(`kafka-console-consumer (seed ${SEED})`, () => {
  it('--from-beginning --max-messages prints values and the count on stderr', async () => {
    const l = await labWithRecords();
    const run = await l.run(kafkaConsoleConsumer, [...BOOT, '--from-beginning', '--max-messages', '4']);
    expect(run.code).toBe(0);
    expect([...run.out].sort()).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect(run.err).toEqual(['Processed a total of 4 messages']);
  });

  it('--partition --offset with every print.* property, in DefaultMessageFormatter\'s order', async () => {
    const l = await labWithRecords();
    const props = ['print.timestamp', 'print.partition', 'print.offset', 'print.headers', 'print.key'].flatMap((p) => ['--property', `${p}=true`]);
    const run = await l.run(kafkaConsoleConsumer, [...BOOT, '--partition', '0', '--offset', '0', '--max-messages', '2', ...props]);
    expect(run.code).toBe(0);
    expect(run.out).toHaveLength(2);
    expect(run.out[0]).toMatch(/^CreateTime:\d+\tPartition:0\tOffset:0\th:x\tk0\tv0$/);
    expect(run.out[1]).toMatch(/^CreateTime:\d+\tPartition:0\tOffset:1\tNO_HEADERS\tk2\tv2$/);
  });

  it('key.separator, print.value=false and null.literal', async () => {
    const l = await labWithRecords();
    const run = await l.run(kafkaConsoleConsumer, [...BOOT, '--partition', '1', '--offset', 'earliest', '--max-messages', '2', '--property', 'print.key=true', '--property', 'key.separator=:']);
    expect(run.out).toEqual(['k1:v1', 'k3:v3']);
    const noValue = await l.run(kafkaConsoleConsumer, [...BOOT, '--partition', '1', '--offset', '1', '--max-messages', '1', '--property', 'print.key=true', '--property', 'print.value=false']);
    // Kafka writes no line separator without the value: the key is left on an unterminated line.
    expect(noValue.out).toEqual(['k3']);
    await runUntilSettled(l.scheduler, l.engine.command('produceRecord', { topic: 'orders', partition: 1, key: null, value: 'v4', headers: [] } as never), 10_000);
    l.advance(500);
    const nulls = await l.run(kafkaConsoleConsumer, [...BOOT, '--partition', '1', '--offset', '2', '--max-messages', '1', '--property', 'print.key=true', '--property', 'null.literal=<none>']);
    expect(nulls.out).toEqual(['<none>\tv4']);
  });

  it('--timeout-ms ends with Kafka\'s ERROR line and TimeoutException, still exit 0', async () => {
    const l = await labWithRecords();
    const run = await l.run(kafkaConsoleConsumer, [...BOOT, '--from-beginning', '--timeout-ms', '10000']);
    expect(run.code).toBe(0);
    expect(run.out).toHaveLength(4);
    expect(run.err).toHaveLength(3);
    expect(run.err[0]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] ERROR Error processing message, terminating consumer process: {2}\(org\.apache\.kafka\.tools\.consumer\.ConsoleConsumer\)$/);
    expect(run.err.slice(1)).toEqual(['org.apache.kafka.common.errors.TimeoutException', 'Processed a total of 4 messages']);
  });

  it('Ctrl+C stops a streaming consumer in group g, prints the count, leaves the group', async () => {
    const l = await labWithRecords();
    const run = await l.run(kafkaConsoleConsumer, [...BOOT, '--group', 'g', '--from-beginning'], { interruptAfterMs: 8_000 });
    expect(run.code).toBe(130);
    expect(run.out).toHaveLength(4);
    expect(run.err).toEqual(['Processed a total of 4 messages']);
    const group = (await l.engine.query('describeGroup', { groupId: 'g' } as never)) as { state?: string; members?: unknown[] };
    expect(group.members ?? []).toHaveLength(0);
  });

  it('--include subscribes by regex', async () => {
    const l = await labWithRecords();
    const run = await l.run(kafkaConsoleConsumer, ['--bootstrap-server', 'localhost:9092', '--include', 'ord.*', '--from-beginning', '--max-messages', '4']);
    expect(run.code).toBe(0);
    expect(run.out).toHaveLength(4);
  });

  it('option checks print ConsoleConsumerOptions\' messages with the usage (exit 1)', async () => {
    const l = await labWithRecords();
    const cases: [string[], string][] = [
      [['--bootstrap-server', 'localhost:9092'], 'Exactly one of --include/--topic is required. '],
      [['--bootstrap-server', 'localhost:9092', '--topic', 'a', '--include', 'b'], 'Exactly one of --include/--topic is required. '],
      [[...BOOT, '--offset', '3'], 'The partition is required when offset is specified.'],
      [[...BOOT, '--partition', '0', '--offset', '3', '--from-beginning'], 'Options from-beginning and offset cannot be specified together.'],
      [[...BOOT, '--partition', '0', '--group', 'g'], 'Options group and partition cannot be specified together.'],
      [['--topic', 'orders'], 'Missing required argument "[bootstrap-server]"'],
      [[...BOOT, '--partition', '0', '--offset', 'soon'], "The provided offset value 'soon' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long."],
      [[...BOOT, '--group', 'a', '--consumer-property', 'group.id=b'], "The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. Detected group ids: 'a', 'b'"],
      [[...BOOT, '--wat'], 'wat is not a recognized option'],
    ];
    for (const [args, message] of cases) {
      const run = await l.run(kafkaConsoleConsumer, args);
      expect({ args, code: run.code, first: run.err[0] }).toEqual({ args, code: 1, first: message });
      expect(run.err[1]).toMatch(/^Option +Description$/);
      expect(run.out).toEqual([]);
    }
    const groups = await l.engine.query('listGroups', {} as never);
    expect(JSON.stringify(groups)).not.toContain('"a"');
  });

  it('--from-beginning with auto.offset.reset=latest is refused without usage', async () => {
    const l = await labWithRecords();
    const run = await l.run(kafkaConsoleConsumer, [...BOOT, '--from-beginning', '--consumer-property', 'auto.offset.reset=latest']);
    expect(run).toEqual({ code: 1, out: [], err: ["Can't simultaneously specify --from-beginning and 'auto.offset.reset=latest', please remove one option"] });
  });

  it('--consumer.config sets the group; a bad config value is ConfigException', async () => {
    const l = await labWithRecords({ 'c.properties': 'group.id=from-file\n', 'bad.properties': 'max.poll.records=lots\n' });
    const run = await l.run(kafkaConsoleConsumer, [...BOOT, '--consumer.config', 'c.properties', '--from-beginning', '--max-messages', '4', '--skip-message-on-error']);
    expect(run.code).toBe(0);
    const bad = await l.run(kafkaConsoleConsumer, [...BOOT, '--consumer.config', 'bad.properties']);
    expect(bad.code).toBe(1);
    expect(bad.err[1]).toBe('org.apache.kafka.common.config.ConfigException: Invalid value lots for configuration max.poll.records: Not a number of type INT');
    const missing = await l.run(kafkaConsoleConsumer, [...BOOT, '--consumer.config', 'none.properties']);
    expect(missing.err).toEqual(['Exception in thread "main" java.nio.file.NoSuchFileException: none.properties']);
  });

  it('--help prints the description; --max-messages abc is jopt-simple\'s conversion error', async () => {
    const l = await labWithRecords();
    const help = await l.run(kafkaConsoleConsumer, ['--help']);
    expect(help.err[0]).toBe('This tool helps to read data from Kafka topics and outputs it to standard output.');
    const bad = await l.run(kafkaConsoleConsumer, [...BOOT, '--max-messages', 'abc']);
    expect(bad).toEqual({ code: 1, out: [], err: ["Exception in thread \"main\" joptsimple.OptionArgumentConversionException: Cannot parse argument 'abc' of option max-messages"] });
  });
});
