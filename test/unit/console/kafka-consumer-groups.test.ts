/**
 * kafka-consumer-groups golden output (Kafka 3.7.0's ConsumerGroupCommand): the tables as the tool
 * prints them (a blank line, then printf columns at least 15 wide), the state notes on stderr, the
 * reset plan, and each error with its message; bad input commits nothing. Lab clock starts at
 * 1_700_000_000_000 = 2023-11-14 22:13:20 UTC (seeded; the seed is in the describe title).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runUntilSettled } from '../../../engine/core/scheduler.js';
import { kafkaConsumerGroupsTool, parseDateTime, parseDuration } from '../../../engine/console/tools/kafka-consumer-groups.js';
import { kafkaTopicsTool } from '../../../engine/console/tools/kafka-topics.js';
import { consoleLab } from './console-lab.js';

const SEED = 11;
const B = ['--bootstrap-server', '127.0.0.1:9092'];
const WARN_NO_EXECUTE =
  'WARN: No action will be performed as the --execute option is missing.In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.';
const PLAN_HEADER = `${'GROUP'.padEnd(30)} ${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(10)} ${'NEW-OFFSET'.padEnd(15)}`;
const planRow = (g: string, t: string, p: number, o: number) => `${g.padEnd(30)} ${t.padEnd(30)} ${String(p).padEnd(10)} ${String(o).padEnd(15)}`;
const OFFSETS_HEADER = 'GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID';
const NO_MEMBERS = ['', "Consumer group 'inventory' has no active members."];

let lab: ReturnType<typeof consoleLab>;
afterEach(() => lab?.close());
const settle = <T,>(p: Promise<T>) => runUntilSettled(lab.scheduler, p, 30_000);
const groups = (args: string[]) => lab.run(kafkaConsumerGroupsTool, [...B, ...args]);

/** Topic `orders` (2 partitions), 5 records in each, one every second; group `inventory` with two running consumers. */
async function stableGroup(): Promise<string[]> {
  lab = consoleLab(SEED);
  await lab.run(kafkaTopicsTool, [...B, '--create', '--topic', 'orders', '--partitions', '2']);
  for (let i = 0; i < 10; i++) {
    await settle(lab.engine.command('produceRecord', { topic: 'orders', partition: i % 2, key: `k${i}`, value: `v${i}`, timestampMs: 1_700_000_100_000 + i * 1000 }));
  }
  const ids: string[] = [];
  for (let i = 0; i < 2; i++) ids.push((await settle(lab.engine.command('startConsumer', { groupId: 'inventory', topics: ['orders'], autoOffsetReset: 'earliest' }))).clientId);
  lab.advance(15_000);
  return ids;
}

/** The same group after both consumers closed (committed 5 and 5): Empty. */
async function emptyGroup(): Promise<void> {
  const ids = await stableGroup();
  for (const clientId of ids) await settle(lab.engine.command('stopConsumer', { clientId }));
  lab.advance(5_000);
}

async function committed(): Promise<(number | null)[]> {
  const group = await settle(lab.engine.query('describeGroup', { groupId: 'inventory' }));
  return group.partitions.map((p) => p.currentOffset);
}

describe(`kafka-consumer-groups (seed ${SEED}; rerun with it to reproduce)`, () => {
  it('--list prints one group id a line; --list --state prints GROUP/STATE at least 15 wide; --state filters (case-insensitive)', async () => {
    await stableGroup();
    expect(await groups(['--list'])).toEqual({ code: 0, out: ['inventory'], err: [] });
    expect(await groups(['--list', '--state'])).toEqual({ code: 0, out: ['GROUP           STATE', 'inventory       Stable'], err: [] });
    expect((await groups(['--list', '--state', 'Empty'])).out).toEqual(['GROUP           STATE']);
    expect((await groups(['--list', '--state', 'stable,empty'])).out).toEqual(['GROUP           STATE', 'inventory       Stable']);
  });

  it('--describe: a blank line, the 9-column table, one row per owned partition with the member', async () => {
    await stableGroup();
    const group = await settle(lab.engine.query('describeGroup', { groupId: 'inventory' }));
    const run = await groups(['--describe', '--group', 'inventory']);
    expect(run.code).toBe(0);
    expect(run.err).toEqual([]);
    const idWidth = Math.max(15, ...group.members.map((m) => m.memberId.length));
    const header = `GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             ${'CONSUMER-ID'.padEnd(idWidth)} HOST            CLIENT-ID`;
    const owner = (p: number) => group.members.find((m) => m.assignment.some((tp) => tp.partition === p))!;
    const row = (p: number) => `inventory       orders          ${String(p).padEnd(10)} 5               5               0               ${owner(p).memberId.padEnd(idWidth)} /127.0.0.1      ${owner(p).clientId}`;
    expect(run.out).toEqual(['', header, row(0), row(1)]);
    expect((await groups(['--describe', '--group', 'inventory', '--offsets'])).out).toEqual(run.out);
  });

  it('--describe --members (trailing space after #PARTITIONS) and --members --verbose (ASSIGNMENT topic(p))', async () => {
    await stableGroup();
    const group = await settle(lab.engine.query('describeGroup', { groupId: 'inventory' }));
    const w = Math.max(15, ...group.members.map((m) => m.memberId.length));
    const members = await groups(['--describe', '--group', 'inventory', '--members']);
    expect(members.out).toEqual([
      '',
      `GROUP           ${'CONSUMER-ID'.padEnd(w)} HOST            CLIENT-ID       #PARTITIONS     `,
      ...group.members.map((m) => `inventory       ${m.memberId.padEnd(w)} /127.0.0.1      ${m.clientId.padEnd(15)} 1               `),
    ]);
    const verbose = await groups(['--describe', '--group', 'inventory', '--members', '--verbose']);
    expect(verbose.out[1]).toBe(`GROUP           ${'CONSUMER-ID'.padEnd(w)} HOST            CLIENT-ID       #PARTITIONS     ASSIGNMENT`);
    expect(verbose.out.slice(2).map((l) => l.slice(l.lastIndexOf(' ') + 1)).sort()).toEqual(['orders(0)', 'orders(1)']);
  });

  it('--describe --state: coordinator "host:port (id)", assignor, state, #MEMBERS; --all-groups', async () => {
    await stableGroup();
    const group = await settle(lab.engine.query('describeGroup', { groupId: 'inventory' }));
    const broker = (await settle(lab.engine.query('clusterStatus', {}))).brokers.find((b) => b.id === group.coordinator)!;
    const coordinator = `${broker.host}:${broker.port} (${broker.id})`;
    const expected = ['', 'GROUP                     COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE           #MEMBERS', `${'inventory'.padEnd(25)} ${coordinator.padEnd(25)} range                Stable          2`];
    expect(await groups(['--describe', '--group', 'inventory', '--state'])).toEqual({ code: 0, out: expected, err: [] });
    expect((await groups(['--describe', '--all-groups', '--state'])).out).toEqual(expected);
  });

  it('an Empty group: "has no active members." on stderr, its committed offsets with "-" for the member columns', async () => {
    await emptyGroup();
    expect(await groups(['--describe', '--group', 'inventory'])).toEqual({
      code: 0,
      out: ['', OFFSETS_HEADER, 'inventory       orders          0          5               5               0               -               -               -', 'inventory       orders          1          5               5               0               -               -               -'],
      err: NO_MEMBERS,
    });
    expect(await groups(['--describe', '--group', 'inventory', '--members'])).toEqual({ code: 0, out: [], err: NO_MEMBERS });
    expect((await groups(['--describe', '--group', 'inventory', '--state'])).out[2]).toMatch(/^inventory {17}\S+:\d+ \(\d\) +Empty {11}0$/);
  });

  it('an unknown group: "Error: Consumer group \'x\' does not exist." (non-zero exit)', async () => {
    await stableGroup();
    for (const sub of [[], ['--members'], ['--state']]) {
      expect(await groups(['--describe', '--group', 'nope', ...sub])).toEqual({ code: 1, out: ['', "Error: Consumer group 'nope' does not exist."], err: [] });
    }
  });

  it('--reset-offsets on a Stable group: the inactive-group error, the empty plan header, nothing committed', async () => {
    await stableGroup();
    expect(await groups(['--reset-offsets', '--group', 'inventory', '--to-earliest', '--all-topics', '--execute'])).toEqual({
      code: 1,
      out: ['', "Error: Assignments can only be reset if the group 'inventory' is inactive, but the current state is Stable.", '', PLAN_HEADER],
      err: [],
    });
    expect(await committed()).toEqual([5, 5]);
  });

  it('--reset-offsets --to-earliest without --execute: the WARN line, the plan, nothing committed (dry run by default)', async () => {
    await emptyGroup();
    expect(await groups(['--reset-offsets', '--group', 'inventory', '--to-earliest', '--all-topics'])).toEqual({
      code: 0,
      out: ['', PLAN_HEADER, planRow('inventory', 'orders', 0, 0), planRow('inventory', 'orders', 1, 0)],
      err: [WARN_NO_EXECUTE],
    });
    expect((await groups(['--reset-offsets', '--group', 'inventory', '--to-earliest', '--all-topics', '--dry-run'])).err).toEqual([]);
    expect(await committed()).toEqual([5, 5]);
  });

  it('--reset-offsets --execute really commits: --to-offset on --topic t:0, then --shift-by, --to-latest, --to-current; describe shows them', async () => {
    await emptyGroup();
    expect(await groups(['--reset-offsets', '--group', 'inventory', '--topic', 'orders:0', '--to-offset', '2', '--execute'])).toEqual({ code: 0, out: ['', PLAN_HEADER, planRow('inventory', 'orders', 0, 2)], err: [] });
    expect(await committed()).toEqual([2, 5]);
    const described = await groups(['--describe', '--group', 'inventory']);
    expect(described.out[2]).toBe('inventory       orders          0          2               5               3               -               -               -');
    expect((await groups(['--reset-offsets', '--group', 'inventory', '--all-topics', '--shift-by', '-1', '--execute'])).out.slice(2)).toEqual([planRow('inventory', 'orders', 0, 1), planRow('inventory', 'orders', 1, 4)]);
    expect(await committed()).toEqual([1, 4]);
    expect((await groups(['--reset-offsets', '--group', 'inventory', '--topic', 'orders', '--to-current', '--execute'])).out.slice(2)).toEqual([planRow('inventory', 'orders', 0, 1), planRow('inventory', 'orders', 1, 4)]);
    expect((await groups(['--reset-offsets', '--group', 'inventory', '--topic', 'orders', '--to-latest', '--execute'])).out.slice(2)).toEqual([planRow('inventory', 'orders', 0, 5), planRow('inventory', 'orders', 1, 5)]);
    expect(await committed()).toEqual([5, 5]);
  });

  it('--to-datetime and --by-duration find the first record at or after the time; an out-of-range target is clamped with the WARN log line', async () => {
    await emptyGroup();
    // Records: partition 0 at +100 s, +102 s, ... (offsets 0..4); partition 1 at +101 s, +103 s, ...
    const at = await groups(['--reset-offsets', '--group', 'inventory', '--all-topics', '--to-datetime', '2023-11-14T22:15:03.000', '--dry-run']);
    expect(at.out).toEqual(['', PLAN_HEADER, planRow('inventory', 'orders', 0, 2), planRow('inventory', 'orders', 1, 1)]);
    const zoned = await groups(['--reset-offsets', '--group', 'inventory', '--all-topics', '--to-datetime', '2023-11-15T07:15:03.000+09:00', '--dry-run']);
    expect(zoned.out).toEqual(at.out);
    const late = await groups(['--reset-offsets', '--group', 'inventory', '--topic', 'orders:1', '--to-datetime', '2030-01-01T00:00:00.000', '--dry-run']);
    expect(late.out).toEqual(['', 'Warn: Partition 1 from topic orders is empty. Falling back to latest known offset.', '', PLAN_HEADER, planRow('inventory', 'orders', 1, 5)]);
    const now = lab.scheduler.nowMs();
    expect(now).toBeLessThan(1_700_000_200_000);
    const duration = await groups(['--reset-offsets', '--group', 'inventory', '--all-topics', '--by-duration', 'P1D', '--dry-run']);
    expect(duration.out.slice(2)).toEqual([planRow('inventory', 'orders', 0, 0), planRow('inventory', 'orders', 1, 0)]);
    const clamped = await groups(['--reset-offsets', '--group', 'inventory', '--topic', 'orders:0', '--to-offset', '99', '--dry-run']);
    expect(clamped.out.slice(2)).toEqual([planRow('inventory', 'orders', 0, 5)]);
    expect(clamped.err).toEqual([expect.stringMatching(/^\[2023-11-14 \d\d:\d\d:\d\d,\d{3}\] WARN New offset \(99\) is higher than latest offset for topic partition orders-0\. Value will be set to 5 \(kafka\.admin\.ConsumerGroupCommand\$\)$/)]);
  });

  it('--export prints the plan as CSV; --from-file reads one', async () => {
    await emptyGroup();
    expect((await groups(['--reset-offsets', '--group', 'inventory', '--all-topics', '--to-earliest', '--dry-run', '--export'])).out).toEqual(['orders,0,0', 'orders,1,0', '']);
    lab.files.set('plan.csv', 'orders,0,3\norders,1,4\n');
    expect((await groups(['--reset-offsets', '--group', 'inventory', '--from-file', 'plan.csv', '--execute'])).out.slice(2)).toEqual([planRow('inventory', 'orders', 0, 3), planRow('inventory', 'orders', 1, 4)]);
    expect(await committed()).toEqual([3, 4]);
  });

  it('reset errors: bad datetime, bad duration, unknown topic, bad topic arg, no scope, no scenario, both --execute and --dry-run — nothing committed', async () => {
    await emptyGroup();
    const reset = (...args: string[]) => groups(['--reset-offsets', '--group', 'inventory', '--execute', ...args]);
    expect(await reset('--all-topics', '--to-datetime', '2023-11-14')).toEqual({
      code: 1,
      out: ['', "Error: Executing consumer group command failed due to Error parsing timestamp. It does not contain a 'T' according to ISO8601 format"],
      err: ["java.text.ParseException: Error parsing timestamp. It does not contain a 'T' according to ISO8601 format"],
    });
    expect((await reset('--all-topics', '--to-datetime', '2023-13-01T00:00:00.000')).out[1]).toBe('Error: Executing consumer group command failed due to Unparseable date: "2023-13-01T00:00:00.000Z"');
    expect((await reset('--all-topics', '--by-duration', '1h')).out[1]).toBe('Error: Executing consumer group command failed due to Text cannot be parsed to a Duration');
    expect(await reset('--topic', 'nope', '--to-latest')).toEqual({
      code: 1,
      out: ['', 'Error: Executing consumer group command failed due to org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.'],
      err: ['java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.'],
    });
    const badArg = await reset('--topic', 'orders:x', '--to-latest');
    expect([badArg.code, badArg.err[0]]).toEqual([1, "Invalid partition 'x' specified in topic arg 'orders:x''"]);
    const noScope = await reset('--to-latest');
    expect([noScope.code, noScope.err[0]]).toEqual([1, 'One of the reset scopes should be defined: --all-topics, --topic.']);
    const noScenario = await reset('--all-topics');
    expect(noScenario.err[0]).toBe("Option '[reset-offsets]' requires one of the following scenarios: [[to-offset], [to-current], [to-datetime], [from-file], [by-duration], [to-earliest], [to-latest], [shift-by]]");
    const both = await reset('--all-topics', '--to-latest', '--dry-run');
    expect([both.code, both.err[0]]).toEqual([1, 'Option [reset-offsets] only accepts one of [execute] and [dry-run]']);
    const two = await reset('--all-topics', '--to-latest', '--to-earliest');
    expect(two.err[0]).toBe('Option "[to-earliest]" can\'t be used with option "[to-latest]"');
    const notNumber = await reset('--all-topics', '--shift-by', 'two');
    expect(notNumber.err[0]).toBe("Cannot parse argument 'two' of option shift-by");
    expect(await committed()).toEqual([5, 5]);
  });

  it('--delete: success line; a non-empty or unknown group is listed with its exception', async () => {
    const ids = await stableGroup();
    expect(await groups(['--delete', '--group', 'inventory'])).toEqual({
      code: 1,
      out: ['', 'Error: Deletion of some consumer groups failed:', "* Group 'inventory' could not be deleted due to: org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty."],
      err: [],
    });
    for (const clientId of ids) await settle(lab.engine.command('stopConsumer', { clientId }));
    lab.advance(5_000);
    expect(await groups(['--delete', '--group', 'inventory', '--group', 'ghost'])).toEqual({
      code: 1,
      out: ['', 'Error: Deletion of some consumer groups failed:', "* Group 'ghost' could not be deleted due to: org.apache.kafka.common.errors.GroupIdNotFoundException: The group id does not exist.", '', "These consumer groups were deleted successfully: 'inventory'"],
      err: [],
    });
    expect(await groups(['--list'])).toEqual({ code: 0, out: [], err: [] });
    await emptyGroup();
    expect(await groups(['--delete', '--group', 'inventory'])).toEqual({ code: 0, out: ["Deletion of requested consumer groups ('inventory') was successful."], err: [] });
  });

  it('usage errors print the message and the help on stderr, exit 1; parse errors escape main as the JVM prints them', async () => {
    await stableGroup();
    const noBootstrap = await lab.run(kafkaConsumerGroupsTool, ['--list']);
    expect([noBootstrap.code, noBootstrap.out, noBootstrap.err[0], noBootstrap.err[1]]).toEqual([1, [], 'Missing required argument "[bootstrap-server]"', 'Option                                  Description']);
    const noAction = await groups(['--group', 'inventory']);
    expect(noAction.err[0]).toBe('Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets');
    expect((await groups(['--describe'])).err[0]).toBe('Option [describe] takes one of these options: [group], [all-groups]');
    expect((await groups(['--describe', '--group', 'g', '--members', '--state'])).err[0]).toBe('Option [describe] takes at most one of these options: [members], [offsets], [state]');
    expect((await groups(['--describe', '--group', 'g', '--state', 'Stable'])).err[0]).toBe('Option [describe] does not take a value for [state]');
    expect((await groups(['--delete'])).err[0]).toBe('Option [delete] takes one of these options: [group], [all-groups]');
    expect((await groups(['--list', '--group', 'g'])).err[0]).toBe('Option "[group]" can\'t be used with option "[list]"');
    expect((await groups(['--describe', '--group', 'g', '--topic', 't'])).err[0]).toBe('Option "[topic]" can\'t be used with option "[describe]"');
    expect((await groups(['--list', '--state', 'Sleeping'])).err[0]).toBe("Invalid state list 'Sleeping'. Valid states are: PreparingRebalance, CompletingRebalance, Stable, Dead, Empty");
    expect(await groups(['--list', '--members'])).toEqual({ code: 1, out: [], err: ['Exception in thread "main" joptsimple.UnavailableOptionException: Option(s) [members] are unavailable given other options on the command line'] });
    expect(await groups(['--lst'])).toEqual({ code: 1, out: [], err: ['Exception in thread "main" joptsimple.UnrecognizedOptionException: lst is not a recognized option'] });
    const version = await groups(['--version']);
    expect(version).toEqual({ code: 0, out: ['3.7.0'], err: [] });
  });

  it('the material\'s line: ./kafka-consumer-groups --bootstrap-server localhost:9092 --describe --group inventory', async () => {
    await stableGroup();
    const run = await lab.run(kafkaConsumerGroupsTool, ['--bootstrap-server', 'localhost:9092', '--describe', '--group', 'inventory']);
    expect(run.code).toBe(0);
    expect(run.out[1]).toMatch(/^GROUP {11}TOPIC {11}PARTITION {2}CURRENT-OFFSET {2}LOG-END-OFFSET {2}LAG {13}CONSUMER-ID +HOST {12}CLIENT-ID$/);
  });

  it('parseDateTime and parseDuration follow Utils.getDateTime and java.time.Duration.parse', () => {
    expect(parseDateTime('2023-11-14T22:13:20.000')).toBe(1_700_000_000_000);
    expect(parseDateTime('2023-11-14T22:13:20.000Z')).toBe(1_700_000_000_000);
    expect(parseDateTime('2023-11-14T23:13:20.000+01:00')).toBe(1_700_000_000_000);
    expect(parseDateTime('2023-11-14T21:13:20.000-0100')).toBe(1_700_000_000_000);
    expect(() => parseDateTime('2023-11-14T22:13:20')).toThrow('Unparseable date: "2023-11-14T22:13:20Z"');
    expect(parseDuration('PT1H')).toBe(3_600_000);
    expect(parseDuration('P1DT2H3M4.5S')).toBe(86_400_000 + 7_200_000 + 180_000 + 4_500);
    expect(parseDuration('-PT10M')).toBe(-600_000);
    expect(() => parseDuration('P')).toThrow('Text cannot be parsed to a Duration');
  });
});
