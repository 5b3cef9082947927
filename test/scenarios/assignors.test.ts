/**
 * partition.assignment.strategy on the real cluster: the group leader runs the assignor the
 * members voted for on the subscriptions the coordinator collected in JoinGroup, and SyncGroup
 * hands each member its share. Two topics × 3 partitions, consumers c1, c2, c3 (member ids
 * "c1-<uuid>" ... sort by client id).
 *
 * - range: per topic, consecutive partitions to the members in member-id order, the first ones
 *   taking the extra partitions;
 * - roundrobin: all partitions, sorted by topic and partition, dealt in member-id order;
 * - sticky: balanced, and a rebalance keeps every partition whose owner is still there (EAGER: the
 *   listener still revokes everything first);
 * - cooperative-sticky: the same assignment, but the COOPERATIVE protocol (KIP-429): a member only
 *   revokes partitions that move away from it, and a partition that moves from one live member to
 *   another takes two rebalances (revoke in the first, assign in the second).
 */
import { describe, expect, it } from 'vitest';
import type { AssignorName } from '../../engine/clients/consumer/consumer-config.js';
import type { MemberSubscription } from '../../engine/groups/assignors/assignor.js';
import { assignorByName } from '../../engine/groups/assignors/index.js';
import { groupLab } from './group-lab.js';

const GROUP = 'assignor-lab';
const MEMBERS = ['c1', 'c2', 'c3'] as const;
const ALL = ['t0-0', 't0-1', 't0-2', 't1-0', 't1-1', 't1-2'];

function assignorLab(seed: number, strategy: AssignorName, memberCount: number) {
  // One broker: the assignment does not depend on where the partitions live, and 12 groups run fast.
  const lab = groupLab(seed, { brokerCount: 1 });
  for (const topic of ['t0', 't1']) lab.cluster.createTopic({ name: topic, partitions: 3, replicationFactor: 1, configs: {} });
  lab.run(100);
  const members = MEMBERS.slice(0, memberCount);
  const start = (clientId: string) => lab.startApp({ clientId, groupId: GROUP, topics: ['t0', 't1'], config: { partitionAssignmentStrategy: [strategy] } });
  // All members start together: one generation, as when a deployment starts its replicas.
  for (const id of members) start(id);
  lab.run(15_000);
  const table = () => Object.fromEntries(MEMBERS.filter((id) => lab.apps.get(id)?.state === 'running').map((id) => [id, lab.assignment(id)]));
  return { ...lab, start, table, members };
}

/** Every partition exactly once, and counts that differ by at most one. */
function expectBalanced(table: Record<string, string[]>) {
  expect(Object.values(table).flat().sort()).toEqual(ALL);
  const counts = Object.values(table).map((partitions) => partitions.length);
  expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
}

/** The partitions a member gave away and gained between two tables. */
function moved(before: Record<string, string[]>, after: Record<string, string[]>, member: string) {
  return {
    lost: (before[member] ?? []).filter((tp) => !(after[member] ?? []).includes(tp)),
    gained: (after[member] ?? []).filter((tp) => !(before[member] ?? []).includes(tp)),
  };
}

describe('assignors on a live group: 2 topics x 3 partitions', () => {
  const tables: { strategy: AssignorName; members: number; expected: Record<string, string[]> }[] = [
    { strategy: 'range', members: 2, expected: { c1: ['t0-0', 't0-1', 't1-0', 't1-1'], c2: ['t0-2', 't1-2'] } },
    { strategy: 'range', members: 3, expected: { c1: ['t0-0', 't1-0'], c2: ['t0-1', 't1-1'], c3: ['t0-2', 't1-2'] } },
    { strategy: 'roundrobin', members: 2, expected: { c1: ['t0-0', 't0-2', 't1-1'], c2: ['t0-1', 't1-0', 't1-2'] } },
    { strategy: 'roundrobin', members: 3, expected: { c1: ['t0-0', 't1-0'], c2: ['t0-1', 't1-1'], c3: ['t0-2', 't1-2'] } },
  ];
  for (const { strategy, members, expected } of tables) {
    it(`${strategy} with ${members} members gives Kafka's table: ${Object.entries(expected)
      .map(([m, p]) => `${m}=[${p.join(',')}]`)
      .join(' ')}`, () => {
      const lab = assignorLab(70 + members, strategy, members);
      expect(lab.table()).toEqual(expected);
      expect(lab.timeline.history(GROUP)[0]).toMatchObject({ generation: 1, protocol: strategy });
    });
  }

  for (const strategy of ['sticky', 'cooperative-sticky'] as const) {
    for (const members of [2, 3]) {
      it(`${strategy} with ${members} members is balanced (${6 / members} each) and is what Kafka's ${strategy} assignor gives these member ids`, () => {
        const lab = assignorLab(80 + members, strategy, members);
        expectBalanced(lab.table());
        for (const id of lab.members) expect(lab.assignment(id)).toHaveLength(6 / members);
        expect(lab.timeline.history(GROUP)[0]).toMatchObject({ generation: 1, protocol: strategy });
        // Which member gets which partitions depends on Java's HashMap order of the member ids
        // (random uuids): the live result must be the assignor's for the same first-join
        // subscriptions (the assignor itself is checked against Kafka's Java classes in
        // test/unit/groups/assignors/kafka-golden.test.ts).
        const assignor = assignorByName(strategy)!;
        const memberIds = new Map(lab.members.map((id) => [lab.apps.get(id)!.consumer.metrics().memberId, id]));
        const subscriptions = new Map<string, MemberSubscription>(
          [...memberIds.keys()].map((memberId) => [memberId, { topics: ['t0', 't1'], userData: assignor.subscriptionUserData?.(null) ?? null, ownedPartitions: [], generationId: -1, rackId: null }]),
        );
        const expected = assignor.assign(new Map([['t0', 3], ['t1', 3]]), subscriptions);
        expect(lab.table()).toEqual(Object.fromEntries([...expected].map(([memberId, a]) => [memberIds.get(memberId)!, lab.names(a.partitions)])));
      });
    }
  }

  it('roundrobin is not sticky: when c2 leaves, the members that stay also swap partitions', () => {
    const lab = assignorLab(90, 'roundrobin', 3);
    const before = lab.table();
    lab.apps.get('c2')!.close();
    lab.run(15_000);
    const after = lab.table();
    expect(after).toEqual({ c1: ['t0-0', 't0-2', 't1-1'], c3: ['t0-1', 't1-0', 't1-2'] });
    expect(moved(before, after, 'c1').lost).toEqual(['t1-0']);
    expect(moved(before, after, 'c3').lost).toEqual(['t0-2']);
  });

  it('sticky: when c2 leaves, only its orphaned partitions move; c1 and c3 keep all they had (EAGER still revokes everything first)', () => {
    const lab = assignorLab(91, 'sticky', 3);
    const before = lab.table();
    lab.apps.get('c2')!.close();
    lab.run(15_000);
    const after = lab.table();
    expectBalanced(after);
    for (const id of ['c1', 'c3']) expect(moved(before, after, id).lost, id).toEqual([]);
    expect([...moved(before, after, 'c1').gained, ...moved(before, after, 'c3').gained].sort()).toEqual(before.c2);
    const [leave] = lab.timeline.history(GROUP);
    expect(leave).toMatchObject({ cause: 'leave', protocol: 'sticky' });
    expect(leave!.assignmentDiff.flatMap((d) => lab.names(d.removed)).sort()).toEqual(before.c2);
    // EAGER: the listener of a member that stays was told to revoke everything, then got it back plus more.
    expect(lab.logLines('c1', /partitions revoked/).at(-1)).toBe(`${GROUP}: partitions revoked: [${before.c1!.join(', ')}]`);
  });

  it('cooperative-sticky: when c2 leaves, one rebalance; c1 and c3 revoke nothing and are only assigned the orphans', () => {
    const lab = assignorLab(92, 'cooperative-sticky', 3);
    const before = lab.table();
    const generation = lab.timeline.history(GROUP)[0]!.generation!;
    const revokedBefore = { c1: lab.logLines('c1', /partitions revoked/).length, c3: lab.logLines('c3', /partitions revoked/).length };
    lab.apps.get('c2')!.close();
    lab.run(15_000);
    const after = lab.table();
    expectBalanced(after);
    expect(lab.timeline.history(GROUP).map((r) => r.generation)[0]).toBe(generation + 1);
    for (const id of ['c1', 'c3'] as const) {
      expect(moved(before, after, id).lost, id).toEqual([]);
      expect(lab.logLines(id, /partitions revoked/), id).toHaveLength(revokedBefore[id]);
      const gained = moved(before, after, id).gained;
      expect(lab.logLines(id, /partitions assigned/).at(-1), id).toBe(`${GROUP}: partitions assigned: [${gained.join(', ')}]`);
    }
    // The partitions c1 and c3 kept were fetched all along: only the orphans were paused.
    const [leave] = lab.timeline.history(GROUP);
    expect(leave!.stopTheWorld.map((w) => `${w.topic}-${w.partition}`)).toEqual(before.c2);
  });

  it('cooperative-sticky: when c3 joins c1 and c2, partitions move in two rebalances, and no onPartitionsRevoked ever names a partition its member keeps', () => {
    const lab = assignorLab(93, 'cooperative-sticky', 2);
    const before = lab.table();
    const generation = lab.timeline.history(GROUP)[0]!.generation!;
    lab.start('c3');
    lab.run(20_000);
    const after = lab.table();
    expectBalanced(after);
    expect(after.c3).toHaveLength(2);
    const rounds = lab.timeline.history(GROUP).filter((r) => r.generation! > generation).reverse();
    expect(rounds.map((r) => [r.generation, r.cause])).toEqual([
      [generation + 1, 'join'],
      [generation + 2, 'assignor'],
    ]);
    expect(rounds[1]!.reason).toMatch(/client reason: need to revoke partitions and re-join$/);
    // Round 1: c1 and c2 give up what c3 will get; c3 gets nothing yet. Round 2: c3 gets it.
    expect(rounds[0]!.assignmentDiff.every((d) => d.added.length === 0)).toBe(true);
    expect(rounds[1]!.assignmentDiff.map((d) => [d.clientId, lab.names(d.added), lab.names(d.removed)])).toEqual([['c3', after.c3, []]]);
    for (const id of ['c1', 'c2']) {
      const revocations = lab.logLines(id, /partitions revoked/);
      expect(revocations, id).toHaveLength(1);
      const revoked = revocations[0]!.replace(/^.*partitions revoked: \[(.*)\]$/, '$1').split(', ');
      expect(revoked.filter((tp) => after[id]!.includes(tp)), `${id} revoked a partition it keeps`).toEqual([]);
      expect(revoked.sort(), id).toEqual(moved(before, after, id).lost);
    }
  });
});
