/**
 * CooperativeStickyAssignor (KIP-429): the sticky target, minus every partition that would change
 * hands while its previous owner still holds it; those come in the follow-up rebalance. Cases
 * ported from Kafka's CooperativeStickyAssignorTest and AbstractStickyAssignorTest name the Java
 * test; like Kafka's cooperative verifyValidityAndBalance, `settle` runs the follow-up rebalances
 * and checks that no partition is revoked and assigned in the same one.
 */
import { describe, expect, it } from 'vitest';
import type { MemberSubscription, TopicPartition } from '../../../../engine/groups/assignors/assignor.js';
import {
  assignCooperativeSticky,
  cooperativeMemberData,
  CooperativeStickyAssignor,
  decodeCooperativeStickyUserData,
  encodeCooperativeStickyUserData,
} from '../../../../engine/groups/assignors/cooperative-sticky-assignor.js';
import { formatTps, formatTransferring, isFullyBalanced, parseTps, sortedTps, subscription, topicsOf, verifyValidityAndBalance } from './assignor-test-support.js';

const GENERATION = 1;

/** Kafka's buildSubscriptionV2Above for the cooperative assignor: owned partitions and generation on the wire. */
function owner(topics: readonly string[], owned: string, generation = GENERATION): MemberSubscription {
  return subscription(topics, { owned, generation, userData: encodeCooperativeStickyUserData(generation) });
}

function table(assignment: ReadonlyMap<string, readonly TopicPartition[]>): Record<string, string> {
  return Object.fromEntries([...assignment].map(([member, partitions]) => [member, formatTps(partitions)]));
}

const keyOf = (p: TopicPartition) => `${p.topic}:${p.partition}`;

/** True when some partition is revoked; fails when a partition is revoked and assigned in one round. */
function revokesSomething(subs: ReadonlyMap<string, MemberSubscription>, assignment: ReadonlyMap<string, readonly TopicPartition[]>): boolean {
  const added = new Set<string>();
  const revoked = new Set<string>();
  for (const [member, assigned] of assignment) {
    const owned = subs.get(member)!.ownedPartitions.map(keyOf);
    const now = assigned.map(keyOf);
    for (const key of now) if (!owned.includes(key)) added.add(key);
    for (const key of owned) if (!now.includes(key)) revoked.add(key);
  }
  for (const key of added) expect(revoked.has(key), `${key} revoked and assigned in the same rebalance`).toBe(false);
  return revoked.size > 0;
}

/** Runs follow-up rebalances (at most 4, as Kafka's test allows) until nothing is revoked; returns the final state. */
function settle(partitions: ReadonlyMap<string, number>, firstSubs: ReadonlyMap<string, MemberSubscription>) {
  let subs = firstSubs;
  let assignment = assignCooperativeSticky(partitions, subs).assignment;
  let rebalances = 0;
  while (revokesSomething(subs, assignment)) {
    subs = new Map([...assignment].map(([member, owned]) => [member, owner(subs.get(member)!.topics, formatTps(owned))]));
    assignment = assignCooperativeSticky(partitions, subs).assignment;
    rebalances++;
    expect(rebalances).toBeLessThanOrEqual(4);
  }
  verifyValidityAndBalance(partitions, subs, assignment, 'cooperative-sticky settled');
  return { assignment, rebalances };
}

describe('CooperativeStickyAssignor', () => {
  it('is "cooperative-sticky", COOPERATIVE first and EAGER too (so it can share a list with range)', () => {
    const assignor = new CooperativeStickyAssignor();
    expect(assignor.name).toBe('cooperative-sticky');
    expect(assignor.supportedProtocols).toEqual(['COOPERATIVE', 'EAGER']);
  });

  it('testEncodeAndDecodeGeneration: the user data is the generation as an INT32, -1 before the first assignment', () => {
    const assignor = new CooperativeStickyAssignor();
    const initial = assignor.subscriptionUserData(null)!;
    expect(Buffer.from(initial).toString('hex')).toBe('ffffffff');
    expect(cooperativeMemberData(subscription(['topic'], { userData: initial })).generation).toBe(-1);
    const later = assignor.subscriptionUserData({ partitions: [], generationId: 10 })!;
    expect(Buffer.from(later).toString('hex')).toBe('0000000a');
    expect(cooperativeMemberData(subscription(['topic'], { userData: later })).generation).toBe(10);
    expect(decodeCooperativeStickyUserData(Uint8Array.of(1, 2))).toBeNull();
  });

  it('testDecodeGeneration: no user data and no generation field means no generation', () => {
    expect(cooperativeMemberData(subscription(['topic'])).generation).toBeNull();
  });

  it('testMemberDataWithInconsistentData: owned partitions from the subscription, generation from the user data (v1)', () => {
    const sub = subscription(['topic'], { owned: 'topic:0', userData: encodeCooperativeStickyUserData(GENERATION) });
    expect(cooperativeMemberData(sub)).toEqual({ partitions: parseTps('topic:0'), generation: GENERATION });
  });

  it('testMemberDataWithEmptyPartitionsAndEqualGeneration / ...AndHigherGeneration: v2+ fields win over the user data', () => {
    for (const userDataGeneration of [GENERATION, GENERATION - 1]) {
      const sub = subscription(['topic'], { generation: GENERATION, userData: encodeCooperativeStickyUserData(userDataGeneration) });
      expect(cooperativeMemberData(sub)).toEqual({ partitions: [], generation: GENERATION });
    }
  });

  it('cooperative-sticky: a member joins; round 1 keeps every stayed partition with its owner and leaves the moved ones unassigned; round 2 assigns them', () => {
    const topics = ['t0', 't1'];
    const partitions = topicsOf({ t0: 3, t1: 3 });
    const round1Subs = new Map([
      ['c1', owner(topics, 't0:0,t0:2,t1:1')],
      ['c2', owner(topics, 't0:1,t1:0,t1:2')],
      ['c3', subscription(topics, { userData: encodeCooperativeStickyUserData(-1) })],
    ]);
    const round1 = assignCooperativeSticky(partitions, round1Subs);
    // The sticky target gives c3 t0-2 and t1-2; both are still owned, so this round c3 gets nothing
    // and c1, c2 lose exactly those (Kafka's answer, list order included).
    expect(formatTransferring(round1.partitionsTransferringOwnership)).toBe('t0:2=c3,t1:2=c3');
    expect(table(round1.assignment)).toEqual({ c1: 't0:0,t1:1', c2: 't1:0,t0:1', c3: '' });
    expect(revokesSomething(round1Subs, round1.assignment)).toBe(true);

    const round2Subs = new Map([
      ['c1', owner(topics, 't0:0,t1:1', 2)],
      ['c2', owner(topics, 't1:0,t0:1', 2)],
      ['c3', owner(topics, '', 2)],
    ]);
    const round2 = assignCooperativeSticky(partitions, round2Subs);
    expect(formatTransferring(round2.partitionsTransferringOwnership)).toBe('');
    expect(table(round2.assignment)).toEqual({ c1: 't0:0,t1:1', c2: 't1:0,t0:1', c3: 't0:2,t1:2' });
    expect(revokesSomething(round2Subs, round2.assignment)).toBe(false);
  });

  it('a member leaves: its partitions are owned by nobody, so they are assigned at once, and nothing else moves', () => {
    const topics = ['t0', 't1'];
    const result = assignCooperativeSticky(topicsOf({ t0: 3, t1: 3 }), new Map([
      ['c1', owner(topics, 't0:0,t1:0')],
      ['c3', owner(topics, 't0:2,t1:2')],
    ]));
    expect(formatTransferring(result.partitionsTransferringOwnership)).toBe('');
    expect(table(result.assignment)).toEqual({ c1: 't0:0,t1:0,t0:1', c3: 't0:2,t1:2,t1:1' });
  });

  it('testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithEqualPartitionsPerConsumer', () => {
    const partitions = topicsOf({ topic: 3 });
    const subs = new Map([
      ['consumer1', owner(['topic'], 'topic:0,topic:1')],
      ['consumer2', owner(['topic'], 'topic:0,topic:2')],
      ['consumer3', owner(['topic'], '')],
    ]);
    const result = assignCooperativeSticky(partitions, subs);
    // topic-0 is still owned by both claimants, so it cannot be assigned until both revoked it.
    expect(table(result.assignment)).toEqual({ consumer1: 'topic:1', consumer2: 'topic:2', consumer3: '' });
    expect(settle(partitions, subs).assignment.get('consumer3')!.map(keyOf)).toEqual(['topic:0']);
  });

  it('testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithUnequalPartitionsPerConsumer', () => {
    const result = assignCooperativeSticky(topicsOf({ topic: 4 }), new Map([
      ['consumer1', owner(['topic'], 'topic:0,topic:1')],
      ['consumer2', owner(['topic'], 'topic:0,topic:2')],
      ['consumer3', owner(['topic'], '')],
    ]));
    expect(table(result.assignment)).toEqual({ consumer1: 'topic:1,topic:3', consumer2: 'topic:2', consumer3: '' });
  });

  it('testAssignorWithOldVersionSubscriptions: v1 members (generation in the user data) keep their partitions', () => {
    const v1 = (owned: string) => subscription(['topic1'], { owned, userData: encodeCooperativeStickyUserData(GENERATION) });
    const result = assignCooperativeSticky(topicsOf({ topic1: 3 }), new Map([
      ['consumer1', v1('topic1:0')],
      ['consumer2', v1('topic1:1')],
      ['consumer3', owner(['topic1'], '')],
    ]));
    expect(table(result.assignment)).toEqual({ consumer1: 'topic1:0', consumer2: 'topic1:1', consumer3: 'topic1:2' });
  });

  it('testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers: topic2-0 waits one rebalance, then goes to consumer3', () => {
    const topics = ['topic1', 'topic2'];
    const partitions = topicsOf({ topic1: 2, topic2: 2 });
    const subs = new Map([
      ['consumer1', owner(topics, 'topic1:0,topic2:0')],
      ['consumer2', owner(topics, 'topic1:1,topic2:1')],
      ['consumer3', owner(topics, '')],
    ]);
    const first = assignCooperativeSticky(partitions, subs);
    expect(formatTransferring(first.partitionsTransferringOwnership)).toBe('topic2:0=consumer3');
    expect(table(first.assignment)).toEqual({ consumer1: 'topic1:0', consumer2: 'topic1:1,topic2:1', consumer3: '' });
    const settled = settle(partitions, subs);
    expect(settled.rebalances).toBe(1);
    expect(table(settled.assignment)).toEqual({ consumer1: 'topic1:0', consumer2: 'topic1:1,topic2:1', consumer3: 'topic2:0' });
  });

  it('testAddRemoveTwoConsumersTwoTopics: two members join, then two leave, settling within the rebalances Kafka allows', () => {
    const topics = ['topic1', 'topic2'];
    const partitions = topicsOf({ topic1: 3, topic2: 4 });
    const start = settle(partitions, new Map([
      ['consumer1', subscription(topics)],
      ['consumer2', subscription(topics)],
    ]));
    expect(table(start.assignment)).toEqual({ consumer1: 'topic1:0,topic1:2,topic2:1,topic2:3', consumer2: 'topic1:1,topic2:0,topic2:2' });
    const joined = new Map([
      ['consumer1', owner(topics, formatTps(start.assignment.get('consumer1')!))],
      ['consumer2', owner(topics, formatTps(start.assignment.get('consumer2')!))],
      ['consumer3', owner(topics, '')],
      ['consumer4', owner(topics, '')],
    ]);
    expect(formatTransferring(assignCooperativeSticky(partitions, joined).partitionsTransferringOwnership)).toBe('topic1:2=consumer3,topic2:2=consumer4,topic2:3=consumer3');
    const afterJoin = settle(partitions, joined);
    expect(table(afterJoin.assignment)).toEqual({ consumer1: 'topic1:0,topic2:1', consumer2: 'topic2:0,topic1:1', consumer3: 'topic1:2,topic2:3', consumer4: 'topic2:2' });
    const left = new Map([
      ['consumer3', owner(topics, 'topic1:2,topic2:3')],
      ['consumer4', owner(topics, 'topic2:2')],
    ]);
    const afterLeave = settle(partitions, left);
    expect(afterLeave.rebalances).toBe(0);
    expect(table(afterLeave.assignment)).toEqual({ consumer3: 'topic1:2,topic2:3,topic1:0,topic2:1', consumer4: 'topic2:2,topic1:1,topic2:0' });
    expect(isFullyBalanced(afterLeave.assignment)).toBe(true);
  });

  it('general algorithm (unequal subscriptions): partitions moving between owners are held back as computed from owned partitions', () => {
    const partitions = topicsOf({ a: 4, b: 4, c: 2 });
    const subs = new Map([
      ['m1', owner(['a', 'b', 'c'], 'a:0,a:1,a:2,a:3,b:0,b:1', 3)],
      ['m2', owner(['a', 'b', 'c'], 'b:2,b:3,c:0,c:1', 3)],
      ['m3', subscription(['a'], { userData: encodeCooperativeStickyUserData(-1) })],
      ['m4', subscription(['b', 'c'], { userData: encodeCooperativeStickyUserData(-1) })],
    ]);
    const first = assignCooperativeSticky(partitions, subs);
    expect(first.sticky.partitionsTransferringOwnership).toBeNull();
    for (const { partition, memberId } of first.partitionsTransferringOwnership.values()) {
      expect(first.assignment.get(memberId)!.map(keyOf)).not.toContain(keyOf(partition));
    }
    expect(first.partitionsTransferringOwnership.size).toBeGreaterThan(0);
    const settled = settle(partitions, subs);
    expect(isFullyBalanced(settled.assignment)).toBe(true);
    expect(sortedTps(settled.assignment.get('m3')!).split(',').every((p) => p.startsWith('a:'))).toBe(true);
  });
});
