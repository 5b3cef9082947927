/**
 * Seeded property test of all four assignors over random groups: every partition of a subscribed
 * topic exactly once and only to a subscriber; balanced within one when subscriptions are equal
 * (range: per topic); the same input gives the same output; sticky keeps the partitions of the
 * members that stay when one leaves; cooperative-sticky never assigns a partition in the round its
 * owner revokes it and settles complete and balanced. A failure prints its seed; replay it with
 * PROPERTY_SEED=<seed>.
 */
import { describe, expect, it } from 'vitest';
import { SeededPrng } from '../../../../engine/core/prng.js';
import { assignSticky } from '../../../../engine/groups/assignors/abstract-sticky.js';
import type { MemberSubscription, TopicPartition } from '../../../../engine/groups/assignors/assignor.js';
import { assignCooperativeSticky, encodeCooperativeStickyUserData } from '../../../../engine/groups/assignors/cooperative-sticky-assignor.js';
import { assignorByName, BUILT_IN_ASSIGNORS } from '../../../../engine/groups/assignors/index.js';
import { encodeStickyAssignorUserData, stickyMemberData } from '../../../../engine/groups/assignors/sticky-assignor.js';
import { checkValidity, formatTps, isFullyBalanced, loads, subscription } from './assignor-test-support.js';

const SEEDS = process.env.PROPERTY_SEED !== undefined ? [Number(process.env.PROPERTY_SEED)] : Array.from({ length: 150 }, (_, i) => 1000 + i);
const TOPIC_NAMES = ['orders', 'payments', 'inventory', 't0', 't1', 'clicks'];

interface RandomGroup {
  readonly partitions: Map<string, number>;
  readonly memberIds: string[];
  readonly topicsOf: Map<string, string[]>;
  readonly equal: boolean;
}

function randomGroup(prng: SeededPrng): RandomGroup {
  const partitions = new Map<string, number>();
  const topicCount = 1 + prng.nextInt(4);
  while (partitions.size < topicCount) partitions.set(TOPIC_NAMES[prng.nextInt(TOPIC_NAMES.length)]!, 1 + prng.nextInt(12));
  const topics = [...partitions.keys()];
  const memberIds = Array.from({ length: 1 + prng.nextInt(8) }, (_, i) => `consumer-${i}-${prng.nextUint32().toString(16)}`);
  const equal = prng.nextInt(2) === 0;
  const topicsOf = new Map(
    memberIds.map((id) => {
      const chosen = equal ? topics : topics.filter(() => prng.nextInt(2) === 0);
      return [id, chosen.length > 0 ? chosen : [topics[prng.nextInt(topics.length)]!]];
    }),
  );
  return { partitions, memberIds, topicsOf, equal };
}

const keyOf = (p: TopicPartition) => `${p.topic}:${p.partition}`;

function fresh(group: RandomGroup): Map<string, MemberSubscription> {
  return new Map(group.memberIds.map((id) => [id, subscription(group.topicsOf.get(id)!)]));
}

/** The next round's subscriptions: members own what they were given, in generation 1. */
function owners(group: RandomGroup, memberIds: readonly string[], previous: ReadonlyMap<string, readonly TopicPartition[]>, name: string) {
  return new Map(
    memberIds.map((id) => {
      const owned = previous.get(id) ?? [];
      const generation = previous.has(id) ? 1 : -1;
      const userData = name === 'sticky' ? (previous.has(id) ? encodeStickyAssignorUserData(owned, generation) : null) : encodeCooperativeStickyUserData(generation);
      return [id, subscription(group.topicsOf.get(id)!, { owned: formatTps(owned), generation, userData })];
    }),
  );
}

function rawAssign(name: string, partitions: ReadonlyMap<string, number>, subs: ReadonlyMap<string, MemberSubscription>): Map<string, TopicPartition[]> {
  return new Map([...assignorByName(name)!.assign(partitions, subs)].map(([id, a]) => [id, [...a.partitions]]));
}

function checkBalance(name: string, group: RandomGroup, assignment: ReadonlyMap<string, readonly TopicPartition[]>, context: string): void {
  if (!group.equal) return;
  if (name !== 'range') {
    expect(isFullyBalanced(assignment), `${context}: loads ${loads(assignment)}`).toBe(true);
    return;
  }
  for (const topic of group.partitions.keys()) {
    const perTopic = [...assignment.values()].map((list) => list.filter((p) => p.topic === topic).length);
    expect(Math.max(...perTopic) - Math.min(...perTopic), `${context}: ${topic} loads ${perTopic}`).toBeLessThanOrEqual(1);
  }
}

/** No partition is newly assigned in the same round some member's owned partitions revoke it. */
function checkNoRevokeAndAssign(subs: ReadonlyMap<string, MemberSubscription>, assignment: ReadonlyMap<string, readonly TopicPartition[]>, context: string): boolean {
  const added = new Set<string>();
  const revoked = new Set<string>();
  for (const [id, assigned] of assignment) {
    const owned = new Set(subs.get(id)!.ownedPartitions.map(keyOf));
    const now = new Set(assigned.map(keyOf));
    for (const key of now) if (!owned.has(key)) added.add(key);
    for (const key of owned) if (!now.has(key)) revoked.add(key);
  }
  for (const key of added) expect(revoked.has(key), `${context}: ${key} revoked and assigned in one rebalance`).toBe(false);
  return revoked.size > 0;
}

describe('assignor properties over seeded random groups', () => {
  for (const name of BUILT_IN_ASSIGNORS) {
    it(`${name}: valid, balanced when subscriptions are equal, deterministic (${SEEDS.length} seeds)`, () => {
      for (const seed of SEEDS) {
        const group = randomGroup(new SeededPrng(seed));
        const context = `${name} seed=${seed}`;
        const subs = fresh(group);
        const first = rawAssign(name, group.partitions, subs);
        checkValidity(group.partitions, subs, first, context);
        checkBalance(name, group, first, context);
        expect(rawAssign(name, group.partitions, fresh(group)), `${context}: same input, same output`).toEqual(first);
      }
    });
  }

  it('range and roundrobin do not depend on the order members arrive in (seeded)', () => {
    for (const seed of SEEDS) {
      const group = randomGroup(new SeededPrng(seed));
      const subs = fresh(group);
      const reversed = new Map([...subs].reverse());
      for (const name of ['range', 'roundrobin']) {
        const a = rawAssign(name, group.partitions, subs);
        const b = rawAssign(name, group.partitions, reversed);
        for (const id of group.memberIds) expect(b.get(id), `${name} seed=${seed} member ${id}`).toEqual(a.get(id));
      }
    }
  });

  it('sticky: after one member leaves, every member that stays keeps all its partitions (equal subscriptions), and nothing moves back and forth', () => {
    for (const seed of SEEDS) {
      const prng = new SeededPrng(seed);
      const group = randomGroup(prng);
      if (group.memberIds.length < 2) continue;
      const context = `sticky seed=${seed}`;
      const first = assignSticky(group.partitions, fresh(group), stickyMemberData).assignment;
      const leaver = group.memberIds[prng.nextInt(group.memberIds.length)]!;
      const stay = group.memberIds.filter((id) => id !== leaver);
      const subs = owners(group, stay, first, 'sticky');
      const second = assignSticky(group.partitions, subs, stickyMemberData);
      checkValidity(group.partitions, subs, second.assignment, context);
      checkBalance('sticky', group, second.assignment, context);
      expect(second.isSticky, `${context}: partitions moved both ways between two members`).toBe(true);
      if (!group.equal) continue;
      for (const id of stay) {
        const kept = new Set(second.assignment.get(id)!.map(keyOf));
        for (const p of first.get(id)!) expect(kept.has(keyOf(p)), `${context}: ${id} lost ${keyOf(p)} though only ${leaver} left`).toBe(true);
      }
    }
  });

  it('cooperative-sticky: with members joining and leaving, no partition is assigned while revoked, and the follow-up rebalances settle complete', () => {
    for (const seed of SEEDS) {
      const prng = new SeededPrng(seed);
      const group = randomGroup(prng);
      const context = `cooperative-sticky seed=${seed}`;
      const first = assignCooperativeSticky(group.partitions, fresh(group)).assignment;
      const stay = group.memberIds.filter(() => group.memberIds.length === 1 || prng.nextInt(4) > 0);
      const joiner = `consumer-new-${prng.nextUint32().toString(16)}`;
      group.topicsOf.set(joiner, [...group.partitions.keys()].filter((_, i) => group.equal || i % 2 === 0));
      let subs = owners(group, [...stay, joiner], first, 'cooperative-sticky');
      let assignment = assignCooperativeSticky(group.partitions, subs).assignment;
      let rebalances = 0;
      while (checkNoRevokeAndAssign(subs, assignment, `${context} rebalance ${rebalances}`)) {
        checkValidity(group.partitions, subs, assignment, `${context} rebalance ${rebalances}`, false);
        subs = owners(group, [...subs.keys()], assignment, 'cooperative-sticky');
        assignment = assignCooperativeSticky(group.partitions, subs).assignment;
        rebalances++;
        expect(rebalances, `${context}: does not settle`).toBeLessThanOrEqual(4);
      }
      checkValidity(group.partitions, subs, assignment, `${context} settled`);
      if (group.equal) expect(isFullyBalanced(assignment), `${context}: settled loads ${loads(assignment)}`).toBe(true);
    }
  });
});
