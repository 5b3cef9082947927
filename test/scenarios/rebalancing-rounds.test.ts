/**
 * Seed 003, "Rebalancing Round": a 3-partition topic, a Spring Boot consumer and then three Python
 * consumers join group edu-topic01-cg one by one while a producer sends once a second; then the
 * Python consumers are stopped (Ctrl+C: a clean close) one by one, and each consumer's log shows
 * the stop-the-world of every rebalancing round.
 *
 * The group uses Kafka 3.x's default partition.assignment.strategy [range, cooperative-sticky]:
 * every member votes range, so the protocol is EAGER — in each round every member revokes all its
 * partitions before rejoining, and nobody fetches until the round is over. Range sorts the members
 * by member id (client id + "-" + uuid): the Spring consumer ("consumer-edu-topic01-cg-1", Java's
 * default client.id) comes before the "python-consumer-N" ones, which is why the seed's Spring log
 * keeps partition 0.
 */
import { describe, expect, it } from 'vitest';
import type { Rebalance } from '../../engine/api/groups-dto.js';
import { groupLab } from './group-lab.js';

const TOPIC = 'edu-topic01';
const GROUP = 'edu-topic01-cg';
const SPRING = 'consumer-edu-topic01-cg-1';
const PYTHON = ['python-consumer-1', 'python-consumer-2', 'python-consumer-3'];

function seed003Lab(seed: number) {
  const lab = groupLab(seed);
  lab.cluster.createTopic({ name: TOPIC, partitions: 3, replicationFactor: 2, configs: {} });
  lab.run(100);
  // The Python producer (12.producer.py): one message a second, spread over the partitions.
  const producer = lab.producer({}, 'python-producer');
  let sent = 0;
  const sendOne = () => {
    producer.send({ topic: TOPIC, partition: sent % 3, value: `message ${sent}` });
    sent += 1;
    lab.scheduler.after(1000, sendOne);
  };
  lab.scheduler.after(0, sendOne);
  const received = new Map<string, number>();
  const join = (clientId: string) => {
    received.set(clientId, 0);
    lab.startApp({ clientId, groupId: GROUP, topics: [TOPIC], onRecord: () => received.set(clientId, received.get(clientId)! + 1) });
    lab.run(20_000);
  };
  const assignments = () => Object.fromEntries([SPRING, ...PYTHON].filter((id) => lab.apps.get(id)?.state === 'running').map((id) => [id, lab.assignment(id)]));
  return { ...lab, join, assignments, received };
}

/** Every window of a rebalance: measured (closed) and longer than zero. */
function expectMeasuredWindows(rebalance: Rebalance, partitions: readonly number[]) {
  expect(rebalance.stopTheWorld.map((w) => w.partition)).toEqual(partitions);
  for (const window of rebalance.stopTheWorld) {
    expect(window.pausedMs, `generation ${rebalance.generation}: ${window.topic}-${window.partition}`).not.toBeNull();
    expect(window.pausedMs!, `generation ${rebalance.generation}: ${window.topic}-${window.partition}`).toBeGreaterThan(0);
  }
}

describe('seed 003: rebalancing rounds as consumers join and leave a 3-partition group', () => {
  it('consumers joining one by one: [0,1,2] -> [0,1]+[2] -> [0]+[1]+[2], and a 4th consumer in a 3-partition group is idle: partitions assigned: []', () => {
    const lab = seed003Lab(31);
    lab.join(SPRING);
    expect(lab.assignments()).toEqual({ [SPRING]: ['edu-topic01-0', 'edu-topic01-1', 'edu-topic01-2'] });
    expect(lab.logLines(SPRING, /partitions assigned/).at(-1)).toBe('edu-topic01-cg: partitions assigned: [edu-topic01-0, edu-topic01-1, edu-topic01-2]');

    lab.join(PYTHON[0]!);
    expect(lab.assignments()).toEqual({ [SPRING]: ['edu-topic01-0', 'edu-topic01-1'], [PYTHON[0]!]: ['edu-topic01-2'] });
    expect(lab.logLines(SPRING, /partitions assigned/).at(-1)).toBe('edu-topic01-cg: partitions assigned: [edu-topic01-0, edu-topic01-1]');

    lab.join(PYTHON[1]!);
    expect(lab.assignments()).toEqual({ [SPRING]: ['edu-topic01-0'], [PYTHON[0]!]: ['edu-topic01-1'], [PYTHON[1]!]: ['edu-topic01-2'] });
    expect(lab.logLines(SPRING, /partitions assigned/).at(-1)).toBe('edu-topic01-cg: partitions assigned: [edu-topic01-0]');

    lab.join(PYTHON[2]!);
    expect(lab.assignments()).toEqual({ [SPRING]: ['edu-topic01-0'], [PYTHON[0]!]: ['edu-topic01-1'], [PYTHON[1]!]: ['edu-topic01-2'], [PYTHON[2]!]: [] });
    expect(lab.logLines(PYTHON[2]!, /partitions assigned/)).toEqual(['edu-topic01-cg: partitions assigned: []']);
    // The Spring consumer's partition does not change, although (EAGER) it was revoked and given back.
    expect(lab.logLines(SPRING, /partitions assigned/).at(-1)).toBe('edu-topic01-cg: partitions assigned: [edu-topic01-0]');
    expect(lab.timeline.history(GROUP).map((r) => [r.generation, r.cause, r.protocol])).toEqual([
      [4, 'join', 'range'],
      [3, 'join', 'range'],
      [2, 'join', 'range'],
      [1, 'join', 'range'],
    ]);

    // Step 5: the producer's messages are spread over the three assigned consumers; the idle one gets none.
    const before = new Map(lab.received);
    lab.run(30_000);
    const gained = (id: string) => lab.received.get(id)! - before.get(id)!;
    expect(gained(PYTHON[2]!)).toBe(0);
    for (const id of [SPRING, PYTHON[0]!, PYTHON[1]!]) expect(gained(id), id).toBeGreaterThanOrEqual(9);
  });

  it('stopping the consumers one by one (close) triggers a rebalance each time, with a stop-the-world window > 0 on every partition', () => {
    const lab = seed003Lab(32);
    for (const id of [SPRING, ...PYTHON]) lab.join(id);
    const generationsBefore = lab.timeline.history(GROUP).length;

    lab.apps.get(PYTHON[2]!)!.close();
    lab.run(20_000);
    expect(lab.assignments()).toEqual({ [SPRING]: ['edu-topic01-0'], [PYTHON[0]!]: ['edu-topic01-1'], [PYTHON[1]!]: ['edu-topic01-2'] });

    lab.apps.get(PYTHON[1]!)!.close();
    lab.run(20_000);
    expect(lab.assignments()).toEqual({ [SPRING]: ['edu-topic01-0', 'edu-topic01-1'], [PYTHON[0]!]: ['edu-topic01-2'] });

    lab.apps.get(PYTHON[0]!)!.close();
    lab.run(20_000);
    expect(lab.assignments()).toEqual({ [SPRING]: ['edu-topic01-0', 'edu-topic01-1', 'edu-topic01-2'] });

    const leaves = lab.timeline.history(GROUP).slice(0, lab.timeline.history(GROUP).length - generationsBefore).reverse();
    expect(leaves.map((r) => [r.generation, r.cause])).toEqual([
      [5, 'leave'],
      [6, 'leave'],
      [7, 'leave'],
    ]);
    leaves.forEach((rebalance, i) => {
      const leaver = PYTHON[2 - i]!;
      expect(rebalance.reason).toMatch(new RegExp(`^Removing member ${leaver}-\\S+ on LeaveGroup; client reason: the consumer is being closed$`));
      expect(rebalance.membersBefore).toContain(leaver);
      expect(rebalance.membersAfter).not.toContain(leaver);
      // EAGER: every member revoked everything, so every partition stopped, and each window is measured.
      expectMeasuredWindows(rebalance, [0, 1, 2]);
    });
    // The leaver's partitions move to the members that stay (range, sorted by member id).
    expect(leaves[1]!.assignmentDiff.map((d) => [d.clientId, lab.names(d.added), lab.names(d.removed)])).toEqual([
      [SPRING, ['edu-topic01-1'], []],
      [PYTHON[0]!, ['edu-topic01-2'], ['edu-topic01-1']],
      [PYTHON[1]!, [], ['edu-topic01-2']],
    ]);
    // Each consumer's log shows its round: revoke all, then the new assignment.
    expect(lab.logLines(SPRING, /partitions (revoked|assigned)/).slice(-2)).toEqual([
      'edu-topic01-cg: partitions revoked: [edu-topic01-0, edu-topic01-1]',
      'edu-topic01-cg: partitions assigned: [edu-topic01-0, edu-topic01-1, edu-topic01-2]',
    ]);
  });
});
