/**
 * Who notices a consumer that goes away, and when (KIP-345 static membership, session.timeout.ms).
 *
 * - A dynamic member that crashes sends no LeaveGroup: the coordinator keeps it, and its partitions
 *   unfetched, until session.timeout.ms (45000 in Kafka 3.x) passes without a heartbeat; only then
 *   does the group rebalance. That is the stop-the-world of a crash.
 * - A static member (group.instance.id) never sends LeaveGroup either, even on a clean close; when
 *   it comes back with the same group.instance.id within session.timeout.ms, the coordinator gives
 *   the new process the old member's place and assignment: no rebalance, the generation does not
 *   change, the other members never stop. Stay away longer and the session timeout removes it.
 */
import { describe, expect, it } from 'vitest';
import { groupLab } from './group-lab.js';

const TOPIC = 'orders';
const GROUP = 'inventory';

function membershipLab(seed: number, instanceIds: boolean) {
  const lab = groupLab(seed);
  lab.cluster.createTopic({ name: TOPIC, partitions: 2, replicationFactor: 3, configs: {} });
  lab.run(100);
  const start = (clientId: string, instanceId: string) =>
    lab.startApp({ clientId, groupId: GROUP, topics: [TOPIC], config: instanceIds ? { groupInstanceId: instanceId } : {} });
  start('inventory-a', 'inventory-a');
  start('inventory-b', 'inventory-b');
  lab.run(20_000);
  return { ...lab, start };
}

describe('static membership and the session timeout', () => {
  it('a static member (group.instance.id) that restarts within session.timeout.ms causes no rebalance: same generation, same partition, no stop-the-world recorded', () => {
    const lab = membershipLab(101, true);
    const history = lab.timeline.history(GROUP);
    expect(history.map((r) => [r.generation, r.cause])).toEqual([[1, 'join']]);
    // The coordinator names the static member's group.instance.id as the Scala Option it is.
    expect(history[0]!.reason).toMatch(/^Adding new member inventory-[ab]-\S+ with group instance id Some\(inventory-[ab]\); client reason: /);
    const partitionOfA = lab.assignment('inventory-a');
    const partitionOfB = lab.assignment('inventory-b');
    const generationOfB = lab.apps.get('inventory-b')!.consumer.metrics().generationId;

    // A rolling restart: the process stops cleanly and comes back 10 s later with the same group.instance.id.
    lab.apps.get('inventory-a')!.close();
    lab.run(10_000);
    expect(lab.logLines('inventory-a', /LeaveGroup/)).toEqual([]);
    lab.start('inventory-a-restarted', 'inventory-a');
    lab.run(20_000);

    expect(lab.timeline.history(GROUP)).toEqual(history);
    expect(lab.assignment('inventory-a-restarted')).toEqual(partitionOfA);
    expect(lab.assignment('inventory-b')).toEqual(partitionOfB);
    const restarted = lab.apps.get('inventory-a-restarted')!.consumer.metrics();
    expect(restarted.generationId).toBe(1);
    expect(restarted.memberId).toMatch(/^inventory-a-/);
    expect(lab.apps.get('inventory-b')!.consumer.metrics().generationId).toBe(generationOfB);
    // The other member was never told to give anything up.
    expect(lab.logLines('inventory-b', /partitions (revoked|lost)/)).toEqual([]);
  });

  it('a static member that stays away longer than session.timeout.ms is removed on heartbeat expiration, and its return is a new rebalance', () => {
    const lab = membershipLab(102, true);
    const stoppedAt = lab.scheduler.nowMs();
    lab.apps.get('inventory-a')!.close();
    lab.run(60_000);
    const [expired] = lab.timeline.history(GROUP);
    expect(expired).toMatchObject({ generation: 2, cause: 'session-timeout' });
    expect(expired!.reason).toMatch(/^removing member inventory-a-\S+ on heartbeat expiration$/);
    // 45 s after the last heartbeat reached the coordinator (sent up to heartbeat.interval.ms before the stop, 1 ms on the wire).
    expect(expired!.startedAtMs - stoppedAt).toBeGreaterThan(42_000);
    expect(expired!.startedAtMs - stoppedAt).toBeLessThanOrEqual(45_001);
    expect(lab.assignment('inventory-b')).toEqual(['orders-0', 'orders-1']);
    lab.start('inventory-a-restarted', 'inventory-a');
    lab.run(20_000);
    expect(lab.timeline.history(GROUP)[0]).toMatchObject({ generation: 3, cause: 'join' });
  });

  it('a crashed dynamic member keeps its partition unfetched until session.timeout.ms (45000) expires: a stop-the-world of about 45 s', () => {
    const lab = membershipLab(103, false);
    const partitionOfA = lab.assignment('inventory-a');
    expect(partitionOfA).toHaveLength(1);
    const crashedAt = lab.scheduler.nowMs();
    lab.apps.get('inventory-a')!.crash();
    lab.run(40_000);
    // 40 s later the group still counts the dead member: no rebalance yet, its partition still its own.
    expect(lab.timeline.history(GROUP)).toHaveLength(1);
    expect(lab.assignment('inventory-b')).toHaveLength(1);
    lab.run(20_000);
    const [takeover] = lab.timeline.history(GROUP);
    expect(takeover).toMatchObject({ generation: 2, cause: 'session-timeout' });
    expect(takeover!.reason).toMatch(/^removing member inventory-a-\S+ on heartbeat expiration$/);
    expect(lab.assignment('inventory-b')).toEqual(['orders-0', 'orders-1']);
    // The dead member's partition: from the crash until inventory-b fetched it.
    const window = takeover!.stopTheWorld.find((w) => `${w.topic}-${w.partition}` === partitionOfA[0]);
    expect(window?.pausedMs).not.toBeNull();
    expect(window!.pausedMs!).toBeGreaterThan(42_000);
    expect(window!.pausedMs!).toBeLessThan(46_000);
    expect(takeover!.startedAtMs - crashedAt).toBeLessThanOrEqual(45_001);
  });
});
