/**
 * The fault presets, each replayed on a real cluster with Kafka's defaults: the lesson each teaches
 * really happens (acknowledged acks=1 records lost in a clean failover, none lost with acks=all and
 * min.insync.replicas=2, Jepsen 2013's unclean election, KIP-966's leaderless partition, no metadata
 * change without a quorum majority, a consumer slower than max.poll.interval.ms leaving its group, a
 * crash without LeaveGroup stalling partitions for session.timeout.ms), and every preset leaves the
 * cluster as it found it.
 */
import { describe, expect, it } from 'vitest';
import type { ApplyPresetSpec } from '../../engine/api/faults-dto.js';
import type { ClusterEvent } from '../../engine/cluster/cluster.js';
import { NO_LEADER } from '../../engine/cluster/messages.js';
import { KafkaError } from '../../engine/core/kafka-errors.js';
import { faultLab, type FaultLabOptions } from '../unit/faults/fault-lab.js';

const TOPIC = 'labshoppubsub';
const GROUP = 'inventory';

type DataLoss = Extract<ClusterEvent, { type: 'data-loss' }>;

async function partitionLab(seed: number, options: FaultLabOptions & { topicConfigs?: Record<string, string> } = {}) {
  const lab = faultLab(seed, options);
  await lab.createTopic(TOPIC, 2, options.topicConfigs ?? {});
  lab.useOrderTopic(TOPIC, 0);
  const registration = lab.cluster.partition(TOPIC, 0);
  const apply = (spec: Omit<ApplyPresetSpec, 'topic' | 'partition'>) => lab.injector.applyPreset({ ...spec, topic: TOPIC, partition: 0 } as ApplyPresetSpec, lab.ports);
  const losses = () => lab.events.filter((e): e is DataLoss => e.type === 'data-loss');
  /** Acknowledged orders that the partition's leader no longer holds at the offset they were acknowledged at. */
  const lostAcked = () => {
    const readable = lab.readable(TOPIC, 0);
    return lab.acked.filter((a) => readable.get(a.offset) !== a.value).map((a) => a.offset);
  };
  return { ...lab, leader: registration.leader, followers: registration.replicas.filter((id) => id !== registration.leader), apply, losses, lostAcked };
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof KafkaError) return `${error.errorName}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a KafkaError');
}

describe('acks1-failover-loss', () => {
  it('with acks=1, the followers (still in the ISR) take over without the records the crashed leader acknowledged: the data-loss names them', async () => {
    const seed = 101;
    const lab = await partitionLab(seed, { producer: { acks: '1' } });
    const run = lab.apply({ presetId: 'acks1-failover-loss' });
    expect(run.target).toBe(`${TOPIC}-0: leader ${lab.leader}, followers ${lab.followers.join(', ')}`);
    expect(run.steps[0]!.state).toBe('done');

    // Until the crash the followers stay in the ISR: 4 s is far inside replica.lag.time.max.ms.
    await lab.run(3_900);
    expect(lab.cluster.partition(TOPIC, 0).isr.length, `seed ${seed}`).toBe(3);
    const ackedBeforeCrash = lab.acked.length;
    expect(ackedBeforeCrash).toBeGreaterThan(10);

    await lab.run(22_000);
    const election = lab.events.find((e) => e.type === 'leader-elected' && e.topic === TOPIC && e.partition === 0);
    expect(election).toMatchObject({ unclean: false });
    const [loss, ...more] = lab.losses();
    expect(more).toEqual([]);
    expect(loss, `seed ${seed}: a data-loss event`).toMatchObject({ topic: TOPIC, partition: 0, acks: '1', brokerId: lab.leader });
    expect(loss!.message).toBe(`offsets ${loss!.firstOffset}–${loss!.lastOffset} of ${TOPIC}-0 acknowledged with acks=1 were truncated when broker ${lab.leader} rejoined`);
    // Every acknowledged order the new leader lacks is in the range the event names.
    const lost = lab.lostAcked();
    expect(lost.length).toBe(loss!.lastOffset - loss!.firstOffset + 1);
    expect(Math.min(...lost)).toBe(loss!.firstOffset);
    expect(Math.max(...lost)).toBe(loss!.lastOffset);

    const snapshot = lab.injector.snapshot();
    const ended = snapshot.presetRuns[0]!;
    expect(ended.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(ended.endedAtMs).not.toBeNull();
    // The preset left the cluster as it found it.
    expect(snapshot.active).toEqual([]);
    expect(lab.cluster.broker(lab.leader).state).toBe('running');
    for (const f of lab.followers) expect(lab.cluster.network.link(lab.leader, f)).toEqual({ latencyMs: 1, lossRate: 0, up: true });
  });

  it('with acks=all and min.insync.replicas=2 the same steps lose nothing acknowledged: the sends wait, then go to the new leader', async () => {
    const seed = 101;
    const lab = await partitionLab(seed, { producer: { acks: 'all' }, topicConfigs: { 'min.insync.replicas': '2' } });
    lab.apply({ presetId: 'acks1-failover-loss' });
    await lab.run(3_900);
    expect(lab.acked.length, `seed ${seed}: nothing is acknowledged while the followers cannot fetch`).toBe(0);

    await lab.run(40_000);
    expect(lab.losses()).toEqual([]);
    expect(lab.acked.length).toBe(20);
    expect(lab.failedSends).toEqual([]);
    expect(lab.lostAcked()).toEqual([]);
    // Every order once, in order (the idempotent producer's retries wrote no duplicate).
    const values = [...lab.readable(TOPIC, 0).values()];
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => `order-${i + 1}`));
  });

  it('stopping it midway heals the links, starts the crashed leader and drops the pending steps', async () => {
    const lab = await partitionLab(103, { producer: { acks: '1' } });
    const run = lab.apply({ presetId: 'acks1-failover-loss' });
    expect(refusal(() => lab.apply({ presetId: 'quorum-majority-lost' }))).toBe(`INVALID_REQUEST: Preset acks1-failover-loss (run #${run.presetRunId}) is still running; stop it first.`);
    await lab.run(5_000);
    expect(lab.cluster.broker(lab.leader).state).toBe('stopped');

    const stopped = lab.injector.stopPreset(run.presetRunId);
    expect(stopped.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'failed', 'failed']);
    expect(stopped.steps[3]!.error).toBe('Not run: the preset was stopped.');
    expect(lab.cluster.broker(lab.leader).state).toBe('running');
    for (const f of lab.followers) expect(lab.cluster.network.link(f, lab.leader)).toEqual({ latencyMs: 1, lossRate: 0, up: true });
    expect(lab.injector.snapshot().active).toEqual([]);
    const [span] = lab.timeline.byCode('preset.acks1-failover-loss');
    expect(span!.endMs).toBe(lab.scheduler.nowMs());
    // Stopping an ended run changes nothing.
    expect(lab.injector.stopPreset(run.presetRunId)).toEqual(stopped);
  });
});

describe('unclean-election-loss (Jepsen 2013)', () => {
  it('the ISR shrinks to the leader, acks=all is answered by it alone, it dies, an out-of-sync follower is elected uncleanly: acknowledged records are lost', async () => {
    const seed = 202;
    const lab = await partitionLab(seed, { producer: { acks: 'all' } });
    lab.apply({ presetId: 'unclean-election-loss' });

    await lab.run(49_000);
    expect(lab.cluster.partition(TOPIC, 0).isr, `seed ${seed}: the ISR shrank to the leader`).toEqual([lab.leader]);
    const ackedAloneByLeader = lab.acked.length;
    expect(ackedAloneByLeader).toBeGreaterThan(0);

    await lab.run(25_000);
    const election = lab.events.find((e) => e.type === 'leader-elected' && e.topic === TOPIC && e.partition === 0);
    expect(election).toMatchObject({ unclean: true, leader: lab.followers[0] });
    const losses = lab.losses();
    expect(losses.length, `seed ${seed}`).toBeGreaterThan(0);
    expect(losses.every((l) => l.acks === 'all' && l.brokerId === lab.leader)).toBe(true);
    expect(lab.lostAcked().length).toBeGreaterThan(0);
    // The topic's config is back to what it was.
    expect(lab.cluster.topic(TOPIC).configs['unclean.leader.election.enable']).toBeUndefined();
    expect(lab.injector.snapshot().presetRuns[0]!.steps.every((s) => s.state === 'done')).toBe(true);
  });
});

describe('last-replica-standing (KIP-966)', () => {
  it('with the ISR down to the leader and the leader dead, the partition has no leader until that replica returns; then nothing is lost', async () => {
    const seed = 303;
    const lab = await partitionLab(seed, { producer: { acks: 'all' } });
    lab.apply({ presetId: 'last-replica-standing' });

    await lab.run(49_000);
    expect(lab.cluster.partition(TOPIC, 0).isr, `seed ${seed}`).toEqual([lab.leader]);
    await lab.run(13_000);
    expect(lab.events.some((e) => e.type === 'partition-offline' && e.topic === TOPIC && e.partition === 0)).toBe(true);
    expect(lab.cluster.partition(TOPIC, 0).leader).toBe(NO_LEADER);
    expect(refusal(() => lab.cluster.read(TOPIC, 0, 0, 10))).toMatch(/^LEADER_NOT_AVAILABLE: There is no leader for labshoppubsub-0/);
    // The followers are alive and unfenced, yet may not lead.
    for (const f of lab.followers) expect(lab.cluster.controller.isFenced(f)).toBe(false);

    await lab.run(14_000);
    const registration = lab.cluster.partition(TOPIC, 0);
    expect(registration.leader).toBe(lab.leader);
    expect(lab.losses()).toEqual([]);
    expect(lab.lostAcked()).toEqual([]);
    expect(lab.acked.length).toBeGreaterThan(0);
    await lab.run(5_000);
    expect(lab.cluster.partition(TOPIC, 0).isr.length).toBe(3);
  });
});

describe('quorum-majority-lost', () => {
  it('no controller while the voters are cut: createTopic is refused with the controller message; then the quorum comes back', async () => {
    const lab = await partitionLab(404, { producer: { acks: '1' } });
    const run = lab.apply({ presetId: 'quorum-majority-lost' });
    expect(run.target).toBe('voters 1, 2, 3');
    await lab.run(4_000);
    expect(lab.cluster.controllerId()).toBeNull();
    expect(refusal(() => lab.cluster.createTopic({ name: 'payments', partitions: 1, replicationFactor: 3, configs: {} }))).toMatch(/^NOT_CONTROLLER: No active controller: fewer than 2 of the 3 metadata quorum voters/);
    expect(lab.timeline.byCode('preset.controller-probe')[0]!.text).toMatch(/^CreateTopics would be refused: NOT_CONTROLLER: No active controller/);
    // Leaders keep serving.
    lab.sendOrder();
    await lab.run(1_000);
    expect(lab.acked.length).toBe(1);

    await lab.run(27_000);
    expect(lab.injector.snapshot().presetRuns[0]!.steps.map((s) => s.state)).toEqual(['done', 'done', 'done']);
    expect(lab.cluster.controllerId()).toBe(1);
    lab.cluster.createTopic({ name: 'payments', partitions: 1, replicationFactor: 3, configs: {} });
  });
});

describe('consumer presets, on real inventory consumers', () => {
  async function inventoryLab(seed: number) {
    const lab = faultLab(seed, { producer: { acks: 'all' } });
    await lab.createTopic(TOPIC, 2);
    const first = lab.startConsumer({ clientId: 'inventory-1', groupId: GROUP, topic: TOPIC });
    const second = lab.startConsumer({ clientId: 'inventory-2', groupId: GROUP, topic: TOPIC });
    await lab.run(10_000);
    const owned = Number(first.assignment()[0]!.split('-').at(-1));
    // The orders go to the partition the first replica owns.
    lab.useOrderTopic(TOPIC, owned);
    const groupEvents = () => lab.events.flatMap((e) => (e.type === 'group' && 'groupId' in e.event && e.event.groupId === GROUP ? [e.event] : []));
    return { ...lab, first, second, owned, groupEvents };
  }

  it('slow-consumer-poll-timeout: the slow replica leaves its group with "consumer poll timeout has expired.", its partition moves, and it rejoins once fast again', async () => {
    const seed = 505;
    const lab = await inventoryLab(seed);
    const run = lab.injector.applyPreset({ presetId: 'slow-consumer-poll-timeout' }, lab.ports);
    expect(run.target).toBe('inventory-1');

    await lab.run(410_000);
    const leave = lab.groupEvents().find((e) => e.type === 'rebalance-started' && e.clientReason === 'consumer poll timeout has expired.');
    expect(leave?.type, `seed ${seed}: a poll-timeout rebalance`).toBe('rebalance-started');
    expect(leave!.atMs - run.startedAtMs).toBeGreaterThan(300_000);
    expect(leave!.type === 'rebalance-started' ? leave!.reason : '').toMatch(/^Removing member inventory-1-\S+ on LeaveGroup; client reason: consumer poll timeout has expired\.$/);
    expect(lab.second.assignment()).toEqual([`${TOPIC}-0`, `${TOPIC}-1`]);
    expect(lab.first.processingMsPerRecord()).toBe(60_000);

    await lab.run(80_000);
    expect(lab.first.processingMsPerRecord()).toBe(0);
    expect(lab.injector.snapshot().presetRuns[0]!.steps.every((s) => s.state === 'done')).toBe(true);
    // Done with its batch, the replica polls again and rejoins: one partition each.
    expect(lab.first.assignment().length).toBe(1);
    expect(lab.second.assignment().length).toBe(1);
  });

  it('consumer-crash-no-leave: the crashed replica’s partition gets no consumer for session.timeout.ms, then moves; it rejoins when restarted', async () => {
    const seed = 606;
    const lab = await inventoryLab(seed);
    lab.injector.applyPreset({ presetId: 'consumer-crash-no-leave', clientId: 'inventory-1' }, lab.ports);
    await lab.run(5_500);
    expect(lab.first.state()).toBe('crashed');
    const stalledFrom = lab.second.processed.length;

    await lab.run(36_000);
    // Orders keep arriving on the crashed replica's partition, and nobody processes them.
    expect(lab.second.processed.length).toBe(stalledFrom);
    expect(lab.groupEvents().some((e) => e.type === 'member-removed')).toBe(false);

    await lab.run(14_000);
    const removed = lab.groupEvents().find((e) => e.type === 'member-removed');
    expect(removed).toMatchObject({ reason: 'session-timeout' });
    expect(lab.second.assignment()).toEqual([`${TOPIC}-0`, `${TOPIC}-1`]);
    expect(lab.second.processed.length, `seed ${seed}: the backlog is processed by the survivor`).toBeGreaterThan(stalledFrom + 30);

    await lab.run(25_000);
    expect(lab.first.state()).toBe('running');
    expect(lab.first.assignment().length).toBe(1);
    expect(lab.injector.snapshot().presetRuns[0]!.steps.every((s) => s.state === 'done')).toBe(true);
  });

  it('refuses a consumer preset when no inventory replica runs, and a partition preset on a single-replica partition', async () => {
    const lab = faultLab(707);
    expect(refusal(() => lab.injector.applyPreset({ presetId: 'consumer-crash-no-leave' }, lab.ports))).toBe(
      'INVALID_REQUEST: No inventory replica is running; start one in the Services view, or name a consumer.',
    );
    lab.cluster.createTopic({ name: 'solo', partitions: 1, replicationFactor: 1, configs: {} });
    await lab.run(500);
    const leader = lab.cluster.partition('solo', 0).leader;
    expect(refusal(() => lab.injector.applyPreset({ presetId: 'acks1-failover-loss', topic: 'solo', partition: 0 }, lab.ports))).toBe(
      `INVALID_REQUEST: solo-0 has a single replica (broker ${leader}); the preset needs a leader and at least one follower (replication factor 2 or more).`,
    );
    expect(lab.injector.snapshot().presetRuns).toEqual([]);
  });
});
