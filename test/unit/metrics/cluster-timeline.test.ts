/**
 * The cluster's events as a Kafka engineer reads them on the timeline: each event type with its
 * stable code, severity and Kafka's own log wording; rebalances, downed brokers, offline partitions
 * and a lost quorum as spans that end when the cluster recovers; config changes as the KRaft
 * controller logs them.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '../../../engine/cluster/cluster.js';
import { Scheduler } from '../../../engine/core/scheduler.js';
import type { CoordinatorEvent } from '../../../engine/groups/coordinator-ports.js';
import { offsetsPartitionFor } from '../../../engine/groups/offsets-records.js';
import { ClusterTimeline, clusterEventSteps, configChanged } from '../../../engine/metrics/cluster-timeline.js';
import { EventTimeline } from '../../../engine/metrics/event-timeline.js';

const T0 = 1_700_000_000_000;

function bench(): { scheduler: Scheduler; timeline: EventTimeline; cluster: ClusterTimeline } {
  const scheduler = new Scheduler(T0);
  const timeline = new EventTimeline();
  return { scheduler, timeline, cluster: new ClusterTimeline({ sink: timeline, clock: scheduler }) };
}

/** The single entry one event adds. */
function entryOf(event: ClusterEvent): { code: string; severity: string; kind: string; text: string; params: Record<string, unknown> } {
  const entries = clusterEventSteps(event, T0).flatMap((s) => (s.op === 'close' ? [] : [s.entry]));
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

const group = (event: CoordinatorEvent): ClusterEvent => ({ type: 'group', brokerId: 2, event });

describe('cluster events on the timeline', () => {
  it('an unclean election is an error with the controller\'s data-loss warning', () => {
    const entry = entryOf({ type: 'leader-elected', topic: 'orders', partition: 0, leader: 3, leaderEpoch: 7, unclean: true, reason: 'broker 1 was fenced; no in-sync replica was left, and unclean.leader.election.enable=true' });
    expect(entry).toMatchObject({ kind: 'election', severity: 'error', code: 'election.unclean' });
    expect(entry.params).toMatchObject({ topic: 'orders', partition: 0, leader: 3, leaderEpoch: 7, unclean: true });
    expect(entry.text).toBe(
      "No broker in ISR is alive for orders-0. Elect leader 3 from live brokers. There's potential data loss. (leader epoch 7; broker 1 was fenced; no in-sync replica was left, and unclean.leader.election.enable=true)",
    );
  });

  it('a clean election is information', () => {
    const entry = entryOf({ type: 'leader-elected', topic: 'orders', partition: 1, leader: 2, leaderEpoch: 4, unclean: false, reason: 'broker 1 was fenced' });
    expect(entry).toMatchObject({ severity: 'info', code: 'election.clean', text: 'Elected broker 2 as leader of orders-1 at leader epoch 4 (broker 1 was fenced).' });
  });

  it('an ISR shrink warns with the out-of-sync replicas; an expansion informs', () => {
    const shrink = entryOf({ type: 'isr-changed', topic: 'orders', partition: 0, previousIsr: [1, 2, 3], isr: [1, 2] });
    expect(shrink).toMatchObject({ kind: 'isr', severity: 'warn', code: 'isr.shrink', text: '[Partition orders-0] Shrinking ISR from 1,2,3 to 1,2. Out of sync replicas: 3.' });
    expect(shrink.params).toMatchObject({ previousIsr: '1,2,3', isr: '1,2', isrSize: 2 });
    const expand = entryOf({ type: 'isr-changed', topic: 'orders', partition: 0, previousIsr: [1, 2], isr: [1, 2, 3] });
    expect(expand).toMatchObject({ severity: 'info', code: 'isr.expand', text: '[Partition orders-0] Expanding ISR from 1,2 to 1,2,3' });
    const swap = entryOf({ type: 'isr-changed', topic: 'orders', partition: 0, previousIsr: [1, 2], isr: [3] });
    expect(swap).toMatchObject({ code: 'isr.change', text: '[Partition orders-0] ISR changed from 1,2 to 3' });
  });

  it('fencing uses the controller\'s session-timeout line; unfencing names the broker', () => {
    expect(entryOf({ type: 'broker-fenced', brokerId: 2, reason: 'no heartbeat for 9000 ms (broker.session.timeout.ms)' })).toMatchObject({
      kind: 'broker',
      severity: 'warn',
      code: 'broker.fenced',
      text: 'Fencing broker 2 because its session has timed out.',
    });
    expect(entryOf({ type: 'broker-fenced', brokerId: 2, reason: 'controlled shutdown' }).text).toBe('Fencing broker 2: controlled shutdown.');
    expect(entryOf({ type: 'broker-unfenced', brokerId: 2 })).toMatchObject({ severity: 'info', code: 'broker.unfenced', text: 'Unfenced broker: 2' });
  });

  it('truncation and detected data loss', () => {
    expect(entryOf({ type: 'truncated', brokerId: 1, topic: 'orders', partition: 0, fromOffset: 150, toOffset: 120, reason: 'diverging epoch from leader 3' })).toMatchObject({
      severity: 'warn',
      code: 'log.truncated',
      text: '[UnifiedLog partition=orders-0, broker=1] Truncating to offset 120 (log end offset was 150: diverging epoch from leader 3)',
    });
    const loss = entryOf({
      type: 'data-loss',
      topic: 'orders',
      partition: 0,
      firstOffset: 120,
      lastOffset: 149,
      acks: '1',
      brokerId: 1,
      message: 'offsets 120–149 of orders-0 acknowledged with acks=1 were truncated when broker 1 rejoined',
    });
    expect(loss).toMatchObject({ kind: 'data-loss', severity: 'error', code: 'data-loss' });
    expect(loss.params).toMatchObject({ records: 30, acks: '1' });
    expect(loss.text).toBe('Acknowledged records lost: offsets 120–149 of orders-0 acknowledged with acks=1 were truncated when broker 1 rejoined.');
  });

  it('a crashed broker is a span that ends when it starts again (after recovery)', () => {
    const { scheduler, timeline, cluster } = bench();
    cluster.onClusterEvent({ type: 'broker-stopped', brokerId: 1, how: 'crash' });
    scheduler.runUntil(T0 + 30_000);
    cluster.onClusterEvent({ type: 'broker-started', brokerId: 1, hadCleanShutdown: false, bytesTruncated: 4096 });
    const [down, up] = timeline.entriesAfter(0, 10).entries;
    expect(down).toMatchObject({ code: 'broker.crashed', severity: 'error', atMs: T0, endMs: T0 + 30_000 });
    expect(down!.text).toBe('Broker 1 crashed: no controlled shutdown; the controller fences it once broker.session.timeout.ms passes without a heartbeat.');
    expect(up).toMatchObject({ code: 'broker.started', severity: 'warn', endMs: null, text: '[KafkaRaftServer nodeId=1] Kafka Server started after an unclean shutdown; log recovery truncated 4096 bytes' });
    expect(cluster.openSpans()).toBe(0);
  });

  it('a clean stop is information in the broker\'s shutdown words', () => {
    expect(entryOf({ type: 'broker-stopped', brokerId: 3, how: 'controlled shutdown' })).toMatchObject({ severity: 'info', code: 'broker.stopped', text: '[BrokerServer id=3] shut down completed' });
  });

  it('an offline partition is a span closed by the next election', () => {
    const { scheduler, timeline, cluster } = bench();
    cluster.onClusterEvent({ type: 'partition-offline', topic: 'orders', partition: 1, reason: 'broker 2 was fenced; no in-sync replica is alive and unclean leader election is disabled' });
    scheduler.runUntil(T0 + 12_000);
    cluster.onClusterEvent({ type: 'leader-elected', topic: 'orders', partition: 1, leader: 2, leaderEpoch: 9, unclean: false, reason: 'broker 2 is back' });
    const [offline] = timeline.entriesAfter(0, 10).entries;
    expect(offline).toMatchObject({ code: 'partition.offline', severity: 'error', endMs: T0 + 12_000 });
    expect(offline!.text).toBe('Partition orders-1 is offline: broker 2 was fenced; no in-sync replica is alive and unclean leader election is disabled.');
  });

  it('a lost quorum is a span until a controller is elected again', () => {
    const { scheduler, timeline, cluster } = bench();
    cluster.onClusterEvent({ type: 'controller-changed', controllerId: null, reason: 'the metadata quorum lost its majority' });
    scheduler.runUntil(T0 + 20_000);
    cluster.onClusterEvent({ type: 'controller-changed', controllerId: 2, reason: 'voter 2 leads a majority of the quorum' });
    const [lost, elected] = timeline.entriesAfter(0, 10).entries;
    expect(lost).toMatchObject({ kind: 'controller', code: 'controller.quorum-lost', severity: 'error', endMs: T0 + 20_000 });
    expect(elected).toMatchObject({ code: 'controller.elected', text: '[QuorumController id=2] Becoming the active controller (voter 2 leads a majority of the quorum).' });
  });
});

describe('group coordinator events on the timeline', () => {
  const started = (atMs: number, reason: string, cause: 'member-joined' | 'session-timeout'): CoordinatorEvent => ({
    type: 'rebalance-started',
    atMs,
    groupId: 'inventory',
    generationId: 3,
    fromState: 'Stable',
    cause,
    memberId: 'inventory-2-abc',
    reason,
    clientReason: null,
  });

  it('a rebalance is a span from "Preparing to rebalance" until the assignment is delivered', () => {
    const { timeline, cluster } = bench();
    cluster.onClusterEvent(group(started(T0 + 45_000, 'removing member inventory-2-abc on heartbeat expiration', 'session-timeout')));
    cluster.onClusterEvent(group({ type: 'sync-completed', atMs: T0 + 45_120, groupId: 'inventory', generationId: 4, protocolName: 'range', assignments: [] }));
    const [rebalance] = timeline.entriesAfter(0, 10).entries;
    expect(rebalance).toMatchObject({ kind: 'rebalance', code: 'rebalance', severity: 'warn', atMs: T0 + 45_000, endMs: T0 + 45_120 });
    expect(rebalance!.params).toMatchObject({ groupId: 'inventory', generation: 3, cause: 'session-timeout', brokerId: 2 });
    expect(rebalance!.text).toBe(
      `Preparing to rebalance group inventory in state Stable with old generation 3 (__consumer_offsets-${offsetsPartitionFor('inventory')}) (reason: removing member inventory-2-abc on heartbeat expiration)`,
    );
  });

  it('a rebalance that restarts ends the first span and opens another; an emptied group ends it', () => {
    const { timeline, cluster } = bench();
    cluster.onClusterEvent(group(started(T0, 'Adding new member a', 'member-joined')));
    cluster.onClusterEvent(group(started(T0 + 50, 'Adding new member b', 'member-joined')));
    cluster.onClusterEvent(group({ type: 'state-changed', atMs: T0 + 90, groupId: 'inventory', generationId: 4, from: 'PreparingRebalance', to: 'Empty' }));
    expect(timeline.entriesAfter(0, 10).entries.map((e) => [e.atMs - T0, e.endMs! - T0])).toEqual([
      [0, 50],
      [50, 90],
    ]);
  });

  it('a member removed on session timeout uses the coordinator\'s "has failed" line', () => {
    const steps = clusterEventSteps(
      group({ type: 'member-removed', atMs: T0, groupId: 'inventory', generationId: 3, memberId: 'inventory-2-abc', groupInstanceId: null, reason: 'session-timeout', detail: 'no heartbeat within session.timeout.ms=45000' }),
      T0,
    );
    expect(steps).toEqual([
      {
        op: 'add',
        entry: {
          atMs: T0,
          kind: 'rebalance',
          severity: 'warn',
          code: 'group.member-removed',
          params: { groupId: 'inventory', memberId: 'inventory-2-abc', reason: 'session-timeout', generation: 3 },
          text: 'Member inventory-2-abc in group inventory has failed, removing it from the group (no heartbeat within session.timeout.ms=45000)',
        },
      },
    ]);
    const leave = clusterEventSteps(
      group({ type: 'member-removed', atMs: T0, groupId: 'inventory', generationId: 3, memberId: 'm-1', groupInstanceId: null, reason: 'leave-group', detail: 'LeaveGroup; client reason: the consumer is being closed' }),
      T0,
    )[0];
    expect(leave?.op === 'add' && leave.entry.text).toBe('Member m-1 has left group inventory through explicit `LeaveGroup`; client reason: the consumer is being closed');
  });

  it('a deleted group is logged as Kafka does; commits and joins stay off the timeline', () => {
    const deleted = clusterEventSteps(group({ type: 'group-deleted', atMs: T0, groupId: 'inventory', offsetsRemoved: 2 }), T0);
    expect(deleted.at(-1)).toMatchObject({ op: 'add', entry: { code: 'group.deleted', text: 'The following groups were deleted: inventory. A total of 2 offsets were removed.' } });
    const commit = group({ type: 'offsets-committed', atMs: T0, groupId: 'inventory', generationId: 3, memberId: 'm', offsets: [{ topic: 'orders', partition: 0, offset: 5, leaderEpoch: 0 }] });
    expect(clusterEventSteps(commit, T0)).toEqual([]);
  });
});

describe('config changes on the timeline', () => {
  it('reads as the KRaft controller logs each ConfigRecord', () => {
    const entry = configChanged({ type: 'topic', name: 'orders' }, { 'retention.ms': '60000', 'min.insync.replicas': '2' }, ['cleanup.policy'], T0);
    expect(entry).toMatchObject({ kind: 'config', severity: 'info', code: 'config.changed' });
    expect(entry!.params).toEqual({ resourceType: 'topic', resourceName: 'orders', set: 'min.insync.replicas=2, retention.ms=60000', removed: 'cleanup.policy' });
    expect(entry!.text).toBe(
      "Replayed ConfigRecord for ConfigResource(type=TOPIC, name='orders') which set configuration min.insync.replicas to 2; " +
        "Replayed ConfigRecord for ConfigResource(type=TOPIC, name='orders') which set configuration retention.ms to 60000; " +
        "Replayed ConfigRecord for ConfigResource(type=TOPIC, name='orders') which set configuration cleanup.policy to null",
    );
    expect(configChanged({ type: 'broker', name: '' }, {}, [], T0)).toBeNull();
  });

  it('goes on the timeline at the engine\'s time', () => {
    const { scheduler, timeline, cluster } = bench();
    scheduler.runUntil(T0 + 7000);
    cluster.configChanged({ type: 'broker', name: '' }, { 'unclean.leader.election.enable': 'true' }, []);
    expect(timeline.entriesAfter(0, 1).entries[0]).toMatchObject({
      atMs: T0 + 7000,
      text: "Replayed ConfigRecord for ConfigResource(type=BROKER, name='') which set configuration unclean.leader.election.enable to true",
    });
  });
});
