/**
 * kafka-console-producer: lines typed become records (keyed with parse.key=true), the tool prints
 * Kafka's own messages for bad lines and bad options, and a refused command changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaConsoleProducer } from '../../../engine/console/tools/kafka-console-producer.js';
import { consoleLab } from './console-lab.js';

const SEED = 7101;
let lab: ReturnType<typeof consoleLab> | null = null;
afterEach(() => {
  lab?.close();
  lab = null;
});

async function labWithTopic(partitions = 1, files: Record<string, string> = {}) {
  lab = consoleLab(SEED, { files });
  await lab.engine.command('createTopic', { name: 'orders', partitions, replicationFactor: 3 });
  lab.advance(1_000);
  return lab;
}

async function records(topic = 'orders', partition = 0) {
  const result = await lab!.engine.query('readRecords', { topic, partition, offset: 0, maxRecords: 100 });
  return result.records.map((r) => ({ key: r.key, value: r.value, headers: r.headers }));
}

const BOOT = ['--bootstrap-server', 'localhost:9092', '--topic', 'orders'];

describe(`kafka-console-producer (seed ${SEED})`, () => {
  it('sends each line as a record and exits 0 at end of input', async () => {
    const l = await labWithTopic();
    const run = await l.run(kafkaConsoleProducer, BOOT, { input: ['hello', 'world'] });
    expect(run).toEqual({ code: 0, out: [], err: [] });
    expect(await records()).toEqual([
      { key: null, value: 'hello', headers: [] },
      { key: null, value: 'world', headers: [] },
    ]);
  });

  it('accepts the legacy --broker-list the workshop material uses', async () => {
    const l = await labWithTopic();
    const run = await l.run(kafkaConsoleProducer, ['--broker-list', 'localhost:9092', '--topic', 'orders'], { input: ['a'] });
    expect(run.code).toBe(0);
    expect((await records()).map((r) => r.value)).toEqual(['a']);
  });

  it('parse.key=true with key.separator=: splits key and value', async () => {
    const l = await labWithTopic();
    const run = await l.run(kafkaConsoleProducer, [...BOOT, '--property', 'parse.key=true', '--property', 'key.separator=:'], { input: ['k1:v1', 'k2:v:2'] });
    expect(run.code).toBe(0);
    expect(await records()).toEqual([
      { key: 'k1', value: 'v1', headers: [] },
      { key: 'k2', value: 'v:2', headers: [] },
    ]);
  });

  it('a keyed line without the separator ends the tool with Kafka\'s KafkaException; earlier lines are delivered', async () => {
    const l = await labWithTopic();
    const run = await l.run(kafkaConsoleProducer, [...BOOT, '--property', 'parse.key=true', '--property', 'key.separator=:'], { input: ['k1:v1', 'abc', 'k3:v3'] });
    expect(run.code).toBe(1);
    expect(run.err).toEqual(["org.apache.kafka.common.KafkaException: No key separator found on line number 2: 'abc'"]);
    expect((await records()).map((r) => r.value)).toEqual(['v1']);
  });

  it('ignore.error=true sends a line without separator as a value with a null key', async () => {
    const l = await labWithTopic();
    const run = await l.run(kafkaConsoleProducer, [...BOOT, '--property', 'parse.key=true', '--property', 'ignore.error=true'], { input: ['abc'] });
    expect(run.code).toBe(0);
    expect(await records()).toEqual([{ key: null, value: 'abc', headers: [] }]);
  });

  it('parse.headers=true reads headers before the key; null.marker makes nulls', async () => {
    const l = await labWithTopic();
    const run = await l.run(kafkaConsoleProducer, [...BOOT, '--property', 'parse.headers=true', '--property', 'parse.key=true', '--property', 'null.marker=NULL'], { input: ['h1:x,h2:NULL\tk\tNULL'] });
    expect(run.code).toBe(0);
    const [record] = await records();
    expect(record!.key).toBe('k');
    expect(record!.value).toBeNull();
    expect(record!.headers.map((h) => h.key)).toEqual(['h1', 'h2']);
  });

  it('equal separators are refused as LineMessageReader does', async () => {
    const l = await labWithTopic();
    const run = await l.run(kafkaConsoleProducer, [...BOOT, '--property', 'null.marker=:', '--property', 'key.separator=:'], { input: ['x'] });
    expect(run).toEqual({ code: 1, out: [], err: ['org.apache.kafka.common.KafkaException: null.marker and key.separator may not be equal'] });
    expect(await records()).toEqual([]);
  });

  it('--sync, --request-required-acks, --producer-property acks=1, --compression-codec, --batch-size, --timeout, --message-send-max-retries are accepted', async () => {
    const l = await labWithTopic();
    const run = await l.run(
      kafkaConsoleProducer,
      [...BOOT, '--sync', '--request-required-acks', '1', '--producer-property', 'acks=all', '--compression-codec', '--batch-size', '100', '--timeout', '5', '--message-send-max-retries', '2'],
      { input: ['one', 'two'] },
    );
    expect(run).toEqual({ code: 0, out: [], err: [] });
    expect((await records()).map((r) => r.value)).toEqual(['one', 'two']);
  });

  it('--producer.config is read from the files; --producer-property wins over it', async () => {
    const l = await labWithTopic(1, { 'producer.properties': '# lab\nacks=banana\nlinger.ms=0\n' });
    const bad = await l.run(kafkaConsoleProducer, [...BOOT, '--producer.config', 'producer.properties', '--producer-property', 'linger.ms=x'], { input: ['a'] });
    expect(bad).toEqual({ code: 1, out: [], err: ['org.apache.kafka.common.config.ConfigException: Invalid value x for configuration linger.ms: Not a number of type LONG'] });
    const ok = await l.run(kafkaConsoleProducer, [...BOOT, '--producer.config', 'producer.properties', '--request-required-acks', 'all'], { input: ['a'] });
    expect(ok.code).toBe(0);
    expect((await records()).map((r) => r.value)).toEqual(['a']);
  });

  it('a missing --producer.config file fails like the JVM', async () => {
    const l = await labWithTopic();
    const run = await l.run(kafkaConsoleProducer, [...BOOT, '--producer.config', 'nope.properties'], { input: ['a'] });
    expect(run).toEqual({ code: 1, out: [], err: ['java.nio.file.NoSuchFileException: nope.properties'] });
  });

  it('an unknown producer property is logged as Kafka warns, and the tool goes on', async () => {
    const l = await labWithTopic();
    const run = await l.run(kafkaConsoleProducer, [...BOOT, '--producer-property', 'foo.bar=1'], { input: ['a'] });
    expect(run.code).toBe(0);
    expect(run.err).toEqual(["[2023-11-14 22:13:21,000] WARN The configuration 'foo.bar' was supplied but isn't a known config. (org.apache.kafka.clients.producer.ProducerConfig)"]);
  });

  it('usage errors print the message and the option table on stderr, exit 1, and send nothing', async () => {
    const l = await labWithTopic();
    const missingTopic = await l.run(kafkaConsoleProducer, ['--bootstrap-server', 'localhost:9092'], { input: ['a'] });
    expect(missingTopic.code).toBe(1);
    expect(missingTopic.err[0]).toBe('Missing required argument "[topic]"');
    expect(missingTopic.err[1]).toMatch(/^Option +Description$/);
    expect(missingTopic.err[2]).toMatch(/^------ +-----------$/);
    const missingServer = await l.run(kafkaConsoleProducer, ['--topic', 'orders'], { input: ['a'] });
    expect(missingServer.err[0]).toBe('Missing required option(s) [bootstrap-server]');
    const unknown = await l.run(kafkaConsoleProducer, [...BOOT, '--frobnicate'], { input: ['a'] });
    expect(unknown.err[0]).toBe('frobnicate is not a recognized option');
    expect(unknown.code).toBe(1);
    const badServer = await l.run(kafkaConsoleProducer, ['--bootstrap-server', 'localhost', '--topic', 'orders'], { input: ['a'] });
    expect(badServer.err.slice(0, 2)).toEqual(['Please provide valid host:port like host1:9091,host2:9092', ' ']);
    expect(await records()).toEqual([]);
  });

  it('no arguments or --help prints the tool description and its options (exit 1); --version prints the version', async () => {
    const l = await labWithTopic();
    const none = await l.run(kafkaConsoleProducer, []);
    expect(none.code).toBe(1);
    const help = await l.run(kafkaConsoleProducer, ['--help']);
    expect(help.code).toBe(1);
    expect(help.err[0]).toBe('This tool helps to read data from standard input and publish it to Kafka.');
    expect(help.err.some((line) => line.startsWith('--broker-list <String: broker-list>'))).toBe(true);
    const version = await l.run(kafkaConsoleProducer, [...BOOT, '--version']);
    expect(version).toEqual({ code: 0, out: ['3.7.0'], err: [] });
  });

  it('Ctrl+C closes the producer (queued lines are delivered) and exits as SIGINT does', async () => {
    const l = await labWithTopic();
    const run = await l.run(kafkaConsoleProducer, BOOT, { input: ['a', 'b', 'c', 'd', 'e', 'f'], interruptAfterMs: 25 });
    expect(run.code).toBe(130);
    expect((await records()).map((r) => r.value)).toEqual(['a', 'b']);
  });
});
