/**
 * kafka-metadata-quorum golden output (Kafka 3.7's MetadataQuorumCommand): the --status summary's
 * labels and alignment, the --replication table (padded cells, a tab after each), and argparse4j's
 * errors. HighWatermark is the controller's metadata log end (it grows with each metadata change) and
 * LeaderEpoch grows when another voter takes over; fetch timestamps are approximated (see the tool).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaMetadataQuorumTool } from '../../../engine/console/tools/kafka-metadata-quorum.js';
import { consoleLab } from './console-lab.js';

const SEED = 17;
const B = ['--bootstrap-server', '127.0.0.1:9092'];
let lab: ReturnType<typeof consoleLab>;
afterEach(() => lab?.close());

const quorum = (args: string[]) => lab.run(kafkaMetadataQuorumTool, [...B, ...args]);

describe(`kafka-metadata-quorum (seed ${SEED}; rerun with it to reproduce)`, () => {
  it('describe --status: the eight labelled lines, values aligned at column 24', async () => {
    lab = consoleLab(SEED);
    lab.advance(5_000);
    const status = await lab.engine.query('clusterStatus', {});
    const run = await quorum(['describe', '--status']);
    expect(run.code).toBe(0);
    expect(run.err).toEqual([]);
    expect(run.out).toHaveLength(8);
    expect(run.out[0]).toBe(`ClusterId:              ${status.clusterId}`);
    expect(run.out[1]).toBe(`LeaderId:               ${status.controllerId}`);
    expect(run.out[2]).toBe('LeaderEpoch:            1');
    expect(run.out[3]).toMatch(/^HighWatermark: {10}\d+$/);
    expect(run.out[4]).toBe('MaxFollowerLag:         0');
    expect(run.out[5]).toBe('MaxFollowerLagTimeMs:   0');
    expect(run.out[6]).toBe(`CurrentVoters:          [${[...status.quorum.voters].sort().join(',')}]`);
    expect(run.out[7]).toMatch(/^CurrentObservers: {7}\[[\d,]*\]$/);
  });

  it('HighWatermark grows with each metadata change; a new active controller raises LeaderEpoch', async () => {
    lab = consoleLab(SEED);
    lab.advance(5_000);
    const valueOf = (out: readonly string[], label: string): number => Number(out.find((l) => l.startsWith(label))!.split(/\s+/)[1]);
    const before = (await quorum(['describe', '--status'])).out;
    await lab.engine.command('createTopic', { name: 'orders', partitions: 3, replicationFactor: 3 });
    lab.advance(1_000);
    const after = (await quorum(['describe', '--status'])).out;
    expect(valueOf(after, 'HighWatermark:'), `seed ${SEED}`).toBeGreaterThan(valueOf(before, 'HighWatermark:'));
    const controller = (await lab.engine.query('clusterStatus', {})).controllerId!;
    await lab.engine.command('killBroker', { brokerId: controller });
    lab.advance(2_000);
    const failedOver = (await quorum(['describe', '--status'])).out;
    expect(valueOf(failedOver, 'LeaderId:'), `seed ${SEED}`).not.toBe(controller);
    expect(valueOf(failedOver, 'LeaderEpoch:'), `seed ${SEED}`).toBe(valueOf(before, 'LeaderEpoch:') + 1);
  });

  it('describe --replication: header, Leader first, then Followers; cells padded and tab-terminated', async () => {
    lab = consoleLab(SEED);
    lab.advance(5_000);
    const status = await lab.engine.query('clusterStatus', {});
    const run = await quorum(['describe', '--replication']);
    expect(run.code).toBe(0);
    const cells = run.out.map((line) => line.split('\t'));
    expect(run.out[0]).toMatch(/^NodeId\tLogEndOffset\tLag\tLastFetchTimestamp\tLastCaughtUpTimestamp\tStatus {2}\t$/);
    for (const row of cells) expect(row.at(-1)).toBe(''); // the trailing tab
    expect(cells[1]![0]!.trim()).toBe(String(status.controllerId));
    expect(cells[1]![5]!.trim()).toBe('Leader');
    expect(cells.slice(2).filter((r) => r[5]!.trim() === 'Follower')).toHaveLength(status.quorum.voters.length - 1);
    for (const row of cells.slice(1)) {
      expect(row[2]!.trim()).toBe('0');
      expect(row[3]!.trim()).toBe(String(status.nowMs));
    }
    // Every column is as wide as its widest cell.
    for (let c = 0; c < 6; c++) expect(new Set(cells.map((r) => r[c]!.length)).size).toBe(1);
    const human = await quorum(['describe', '--replication', '--human-readable']);
    expect(human.out[1]).toContain('0 ms ago');
  });

  it('a voter that is down: -1 timestamps and offset, its lag the leader\'s offset + 1', async () => {
    lab = consoleLab(SEED);
    lab.advance(5_000);
    const before = await lab.engine.query('clusterStatus', {});
    const follower = before.quorum.voters.find((v) => v !== before.controllerId)!;
    await lab.engine.command('killBroker', { brokerId: follower });
    lab.advance(30_000);
    const run = await quorum(['describe', '--replication']);
    const row = run.out.map((l) => l.split('\t').map((c) => c.trim())).find((r) => r[0] === String(follower))!;
    const leaderOffset = Number(run.out[1]!.split('\t')[1]);
    expect(row).toEqual([String(follower), '-1', String(leaderOffset + 1), '-1', '-1', 'Follower', '']);
    const status = await quorum(['describe', '--status']);
    expect(status.out[4]).toBe(`MaxFollowerLag:         ${leaderOffset + 1}`);
    expect(status.out[5]).toBe('MaxFollowerLagTimeMs:   -1');
  });

  it('errors: argparse4j\'s usage and "kafka-metadata-quorum: error: ..."; TerseException messages alone; exit 1', async () => {
    lab = consoleLab(SEED);
    const noServer = await lab.run(kafkaMetadataQuorumTool, ['describe', '--status']);
    expect(noServer.code).toBe(1);
    expect(noServer.err[0]).toMatch(/^usage: kafka-metadata-quorum \[-h\]/);
    expect(noServer.err[1]).toBe('kafka-metadata-quorum: error: one of the arguments --bootstrap-server --bootstrap-controller is required');
    expect((await quorum([])).err[1]).toBe('kafka-metadata-quorum: error: too few arguments');
    expect((await quorum(['status'])).err[1]).toBe("kafka-metadata-quorum: error: argument command: invalid choice: 'status' (choose from 'describe')");
    expect((await quorum(['describe', '--nope'])).err[1]).toBe("kafka-metadata-quorum: error: unrecognized arguments: '--nope'");
    expect(await quorum(['describe'])).toEqual({ code: 1, out: [], err: ['One of --status or --replication must be specified with describe sub-command'] });
    expect(await quorum(['describe', '--status', '--replication'])).toEqual({ code: 1, out: [], err: ['Only one of --status or --replication should be specified with describe sub-command'] });
    expect(await quorum(['describe', '--status', '--human-readable'])).toEqual({ code: 1, out: [], err: ['The option --human-readable is only supported along with --replication'] });
    const help = await lab.run(kafkaMetadataQuorumTool, ['--help']);
    expect(help.code).toBe(0);
    expect(help.out[2]).toBe('This tool describes kraft metadata quorum status.');
  });
});
