/**
 * kafka-reassign-partitions golden output (Kafka 3.7.0's ReassignPartitionsCommand), and seed 004's
 * flow as the material writes it: test1's partition 0 from brokers 1,2,3 to 3,4,5 and partition 1
 * from 3,4,5 to 1,2,3, with `--zookeeper ... --reassignment-json-file ~/reassignment.json -execute`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaReassignPartitionsTool } from '../../../engine/console/tools/kafka-reassign-partitions.js';
import { kafkaTopicsTool } from '../../../engine/console/tools/kafka-topics.js';
import { runUntilSettled } from '../../../engine/core/scheduler.js';
import { consoleLab } from './console-lab.js';

const SEED = 4;
const B = ['--bootstrap-server', '127.0.0.1:9092'];
const PLAN = '{"version": 1, \n"partitions": [\n{"topic": "test1", "partition":0, "replicas":[3,4,5]},\n{"topic": "test1", "partition":1, "replicas":[1,2,3]}\n]}';
const ZK_NOTE = "Note: kafka-reassign-partitions in Kafka 3.x takes --bootstrap-server (--zookeeper was removed in 3.0); running against the workbench's brokers.";
let lab: ReturnType<typeof consoleLab>;
afterEach(() => lab?.close());
const reassign = (args: string[]) => lab.run(kafkaReassignPartitionsTool, [...B, ...args]);
const replicas = async () => (await lab.engine.query('describeTopic', { name: 'test1' })).partitions.map((p) => p.replicas.join(','));

async function fiveBrokers(): Promise<void> {
  lab = consoleLab(SEED, { brokers: 5, files: { '~/reassignment.json': PLAN, 'topics.json': '{"topics":[{"topic":"test1"}],"version":1}', 'bad.json': '{"version":1, "partitions": [' } });
  expect((await lab.run(kafkaTopicsTool, [...B, '--create', '--topic', 'test1', '--replica-assignment', '1:2:3,3:4:5'])).code).toBe(0);
  lab.advance(2_000);
}

describe(`kafka-reassign-partitions (seed ${SEED}; rerun with it to reproduce)`, () => {
  it("seed 004: --execute prints the rollback JSON and starts the moves; --verify reports progress, then completion and clears throttles", async () => {
    await fiveBrokers();
    const run = await lab.run(kafkaReassignPartitionsTool, ['--zookeeper', 'kafa-1:2181', '--reassignment-json-file', '~/reassignment.json', '-execute']);
    expect(run).toEqual({
      code: 0,
      out: [
        'Current partition replica assignment',
        '',
        '{"version":1,"partitions":[{"topic":"test1","partition":0,"replicas":[1,2,3],"log_dirs":["any","any","any"]},{"topic":"test1","partition":1,"replicas":[3,4,5],"log_dirs":["any","any","any"]}]}',
        '',
        'Save this to use as the --reassignment-json-file option during rollback',
        'Successfully started partition reassignments for test1-0,test1-1',
      ],
      err: [ZK_NOTE],
    });
    lab.advance(30_000);
    expect(await reassign(['--verify', '--reassignment-json-file', '~/reassignment.json'])).toEqual({
      code: 0,
      out: ['Status of partition reassignment:', 'Reassignment of partition test1-0 is completed.', 'Reassignment of partition test1-1 is completed.', 'Clearing broker-level throttles on brokers 1,2,3,4,5', 'Clearing topic-level throttles on topic test1'],
      err: [],
    });
    expect(await replicas()).toEqual(['3,4,5', '1,2,3']);
    expect(await reassign(['--list'])).toEqual({ code: 0, out: ['No partition reassignments found.'], err: [] });
  });

  it('--execute --throttle: the move runs at the throttled rate (leader.replication.throttled.rate), a second --execute is refused while it runs, --verify clears the throttle once done', async () => {
    await fiveBrokers();
    // 200 KiB in each partition: at 10 KiB/s the new replicas need about 20 s to catch up.
    for (let i = 0; i < 200; i++) {
      await runUntilSettled(lab.scheduler, lab.engine.command('produceRecord', { topic: 'test1', partition: i % 2, key: null, value: 'x'.repeat(2048) }), 10_000);
    }
    const run = await reassign(['--execute', '--reassignment-json-file', '~/reassignment.json', '--throttle', '10240']);
    expect(run.out.slice(5)).toEqual([
      'Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed.',
      'The inter-broker throttle limit was set to 10240 B/s',
      'Successfully started partition reassignments for test1-0,test1-1',
    ]);
    const throttle = async () => (await lab.engine.query('describeConfigs', { resource: { type: 'broker' } })).entries.find((e) => e.name === 'leader.replication.throttled.rate')!;
    expect(await throttle()).toMatchObject({ value: '10240', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' });
    lab.advance(5_000);
    const during = await reassign(['--verify', '--reassignment-json-file', '~/reassignment.json']);
    expect(during.out, `seed ${SEED}`).toContain('Reassignment of partition test1-0 is still in progress.');
    expect(during.out).not.toContain('Clearing topic-level throttles on topic test1');
    expect(await reassign(['--execute', '--reassignment-json-file', '~/reassignment.json'])).toEqual({
      code: 1,
      out: ['Cannot execute because there is an existing partition assignment.  Use --additional to override this and create a new partition assignment in addition to the existing one. The --additional flag can also be used to change the throttle by resubmitting the current reassignment.'],
      err: [],
    });
    lab.advance(60_000);
    const done = await reassign(['--verify', '--reassignment-json-file', '~/reassignment.json']);
    expect(done.out, `seed ${SEED}`).toContain('Reassignment of partition test1-0 is completed.');
    expect(done.out).toContain('Clearing topic-level throttles on topic test1');
    expect((await throttle()).source).toBe('DEFAULT_CONFIG');
    expect(await replicas()).toEqual(['3,4,5', '1,2,3']);
  });

  it('--generate prints the current and a proposed assignment over --broker-list (version 1 JSON with log_dirs "any")', async () => {
    await fiveBrokers();
    const run = await reassign(['--generate', '--topics-to-move-json-file', 'topics.json', '--broker-list', '3,4,5']);
    expect(run.code).toBe(0);
    expect(run.out.slice(0, 4)).toEqual([
      'Current partition replica assignment',
      '{"version":1,"partitions":[{"topic":"test1","partition":0,"replicas":[1,2,3],"log_dirs":["any","any","any"]},{"topic":"test1","partition":1,"replicas":[3,4,5],"log_dirs":["any","any","any"]}]}',
      '',
      'Proposed partition reassignment configuration',
    ]);
    const proposed = JSON.parse(run.out[4]!) as { version: number; partitions: { topic: string; partition: number; replicas: number[]; log_dirs: string[] }[] };
    expect(proposed.version).toBe(1);
    expect(proposed.partitions.map((p) => [p.topic, p.partition, [...p.replicas].sort().join(','), p.log_dirs.join(',')])).toEqual([
      ['test1', 0, '3,4,5', 'any,any,any'],
      ['test1', 1, '3,4,5', 'any,any,any'],
    ]);
    expect(await replicas()).toEqual(['1,2,3', '3,4,5']);
  });

  it('--cancel: "None of the specified partition reassignments are active." when done', async () => {
    await fiveBrokers();
    expect((await reassign(['--cancel', '--reassignment-json-file', '~/reassignment.json'])).out).toEqual(['None of the specified partition reassignments are active.', 'Clearing broker-level throttles on brokers 1,2,3,4,5', 'Clearing topic-level throttles on topic test1']);
  });

  it('bad input changes nothing: missing file, invalid JSON, unknown broker, missing options, wrong combination', async () => {
    await fiveBrokers();
    const missing = await reassign(['--execute', '--reassignment-json-file', 'nope.json']);
    expect([missing.code, missing.out[0]]).toEqual([1, 'Error: nope.json (No such file or directory)']);
    const bad = await reassign(['--execute', '--reassignment-json-file', 'bad.json']);
    expect(bad.code).toBe(1);
    expect(bad.out[0]).toMatch(/^Error: com\.fasterxml\.jackson\.core\.JsonParseException: /);
    lab.files.set('far.json', '{"version":1,"partitions":[{"topic":"test1","partition":0,"replicas":[1,2,9]}]}');
    expect((await reassign(['--execute', '--reassignment-json-file', 'far.json'])).out[0]).toBe('Error: Unknown broker id 9');
    lab.files.set('v2.json', '{"version":2,"partitions":[]}');
    expect((await reassign(['--verify', '--reassignment-json-file', 'v2.json'])).out[0]).toBe('Error: Not supported version field value 2');
    expect((await reassign(['--generate', '--topics-to-move-json-file', 'bad.json', '--broker-list', '1,2'])).out[0]).toBe('Error: The input string is not a valid JSON');
    const noFile = await reassign(['--execute']);
    expect([noFile.code, noFile.err[0]]).toEqual([1, 'Missing required argument "[reassignment-json-file]"']);
    expect((await reassign(['--generate', '--topics-to-move-json-file', 'topics.json'])).err[0]).toBe('Missing required argument "[broker-list]"');
    expect((await reassign(['--verify', '--reassignment-json-file', 'x', '--throttle', '1'])).err[0]).toBe('Option "[throttle]" can\'t be used with action "[verify]"');
    expect((await reassign(['--execute', '--verify'])).err[0]).toBe('Command must include exactly one action: --generate, --execute, --verify, --cancel, --list');
    expect((await lab.run(kafkaReassignPartitionsTool, ['--list'])).err[0]).toBe('Please specify --bootstrap-server');
    expect(await replicas()).toEqual(['1,2,3', '3,4,5']);
  });
});
