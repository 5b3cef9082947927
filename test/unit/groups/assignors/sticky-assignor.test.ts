/**
 * StickyAssignor and the shared sticky algorithm: balance first, then as few moves as possible;
 * the previous assignment comes from the StickyAssignorUserData. Cases ported from Kafka's
 * AbstractStickyAssignorTest and StickyAssignorTest (rack-free variants) name the Java test; each
 * member is built like Kafka's buildSubscriptionV2Above (user data + owned partitions + generation).
 */
import { describe, expect, it } from 'vitest';
import { assignSticky, type StickyAssignmentResult } from '../../../../engine/groups/assignors/abstract-sticky.js';
import type { MemberSubscription } from '../../../../engine/groups/assignors/assignor.js';
import {
  decodeStickyAssignorUserData,
  encodeStickyAssignorUserData,
  StickyAssignor,
  stickyMemberData,
} from '../../../../engine/groups/assignors/sticky-assignor.js';
import {
  canonicalName,
  formatTps,
  formatTransferring,
  isFullyBalanced,
  parseTps,
  sortedTps,
  subscription,
  topicsOf,
  verifyValidityAndBalance,
} from './assignor-test-support.js';

const GENERATION = 1;

/** A member that owned `owned` in `generation`, as a Java StickyAssignor member subscribes. */
function owner(topics: readonly string[], owned: string, generation = GENERATION): MemberSubscription {
  return subscription(topics, { owned, generation, userData: encodeStickyAssignorUserData(parseTps(owned), generation) });
}

function run(partitions: ReadonlyMap<string, number>, subs: ReadonlyMap<string, MemberSubscription>): StickyAssignmentResult {
  const result = assignSticky(partitions, subs, stickyMemberData);
  verifyValidityAndBalance(partitions, subs, result.assignment, 'sticky');
  return result;
}

function table(result: StickyAssignmentResult): Record<string, string> {
  return Object.fromEntries([...result.assignment].map(([member, partitions]) => [member, formatTps(partitions)]));
}

describe('StickyAssignor', () => {
  it('is "sticky", EAGER, and its user data is the last assignment and generation', () => {
    const assignor = new StickyAssignor();
    expect(assignor.name).toBe('sticky');
    expect(assignor.supportedProtocols).toEqual(['EAGER']);
    expect(assignor.subscriptionUserData(null)).toBeNull();
    const userData = assignor.subscriptionUserData({ partitions: parseTps('t0:1'), generationId: 4 })!;
    expect(decodeStickyAssignorUserData(userData)).toEqual({ partitions: parseTps('t0:1'), generation: 4 });
  });

  it('encodes StickyAssignorUserData v1 byte for byte, topics in Java HashMap order', () => {
    // partitions t1:0, t0:1, t1:2 in generation 5; Kafka groups them in a HashMap, where "t0"
    // (hash 3645) iterates before "t1" (3646) whatever order they came in.
    const expected = [
      '00000002', //          previous_assignment: 2 topics
      '0002', '7430', //     topic "t0"
      '00000001', '00000001', // partitions [1]
      '0002', '7431', //     topic "t1"
      '00000002', '00000000', '00000002', // partitions [0, 2]
      '00000005', //          generation 5
    ].join('');
    expect(Buffer.from(encodeStickyAssignorUserData(parseTps('t1:0,t0:1,t1:2'), 5)).toString('hex')).toBe(expected);
  });

  it('testSchemaBackwardCompatibility: reads v0 user data (no generation) and unreadable user data as nothing', () => {
    const v0 = encodeStickyAssignorUserData(parseTps('topic:1'), null);
    expect(stickyMemberData(subscription(['topic'], { userData: v0 }))).toEqual({ partitions: parseTps('topic:1'), generation: null });
    expect(stickyMemberData(subscription(['topic'], { userData: Uint8Array.of(0xff, 0xff) }))).toEqual({ partitions: [], generation: -1 });
    expect(stickyMemberData(subscription(['topic'], { userData: new Uint8Array(0) }))).toEqual({ partitions: [], generation: null });

    const partitions = topicsOf({ topic: 3 });
    const subs = new Map([
      ['consumer1', owner(['topic'], 'topic:0,topic:2', 1)],
      ['consumer2', subscription(['topic'], { userData: encodeStickyAssignorUserData(parseTps('topic:1'), null) })],
      ['consumer3', subscription(['topic'])],
    ]);
    const assignment = run(partitions, subs).assignment;
    expect(assignment.get('consumer1')!.length).toBe(1);
    expect(['topic:0', 'topic:2']).toContain(formatTps(assignment.get('consumer1')!));
    expect(formatTps(assignment.get('consumer2')!)).toBe('topic:1');
  });

  it('testMemberDataWillHonorUserData: the previous assignment comes from the user data, not the owned partitions', () => {
    const userData = encodeStickyAssignorUserData(parseTps('topic1:0,topic2:1'), GENERATION - 1);
    const data = stickyMemberData(subscription(['topic'], { userData, generation: GENERATION }));
    expect(data).toEqual({ partitions: parseTps('topic1:0,topic2:1'), generation: GENERATION - 1 });
  });

  it('testOneConsumerOneTopic / testOneConsumerMultipleTopics / testOnlyAssignsPartitionsFromSubscribedTopics', () => {
    expect(table(run(topicsOf({ topic: 3 }), new Map([['consumer', subscription(['topic'])]])))).toEqual({ consumer: 'topic:0,topic:1,topic:2' });
    expect(table(run(topicsOf({ topic1: 1, topic2: 2 }), new Map([['consumer', subscription(['topic1', 'topic2'])]])))).toEqual({ consumer: 'topic1:0,topic2:0,topic2:1' });
    const ownsOther = new Map([['consumer', owner(['topic'], 'topic:0,topic:1,other:0,other:1')]]);
    const result = run(topicsOf({ topic: 2 }), ownsOther);
    expect(table(result)).toEqual({ consumer: 'topic:0,topic:1' });
    expect(formatTransferring(result.partitionsTransferringOwnership)).toBe('');
  });

  it('testTwoConsumersTwoTopicsSixPartitions: c1 gets t1-0,t1-2,t2-1; c2 gets t1-1,t2-0,t2-2', () => {
    const subs = new Map([
      ['consumer1', subscription(['topic1', 'topic2'])],
      ['consumer2', subscription(['topic1', 'topic2'])],
    ]);
    const result = run(topicsOf({ topic1: 3, topic2: 3 }), subs);
    expect(table(result)).toEqual({ consumer1: 'topic1:0,topic1:2,topic2:1', consumer2: 'topic1:1,topic2:0,topic2:2' });
    expect(result.allSubscriptionsEqual).toBe(true);
  });

  it('testMultipleConsumersMixedTopicSubscriptions: the general algorithm balances what the subscriptions allow', () => {
    const subs = new Map([
      ['consumer1', subscription(['topic1'])],
      ['consumer2', subscription(['topic1', 'topic2'])],
      ['consumer3', subscription(['topic1'])],
    ]);
    const result = run(topicsOf({ topic1: 3, topic2: 2 }), subs);
    expect(table(result)).toEqual({ consumer1: 'topic1:0,topic1:2', consumer2: 'topic2:0,topic2:1', consumer3: 'topic1:1' });
    expect(result.partitionsTransferringOwnership).toBeNull();
  });

  it('testConsumerOwningMinQuotaExpectedMaxQuota', () => {
    const topics = ['topic1', 'topic2'];
    const subs = new Map([
      ['consumer1', owner(topics, 'topic1:0,topic2:1')],
      ['consumer2', owner(topics, 'topic1:1,topic2:2')],
    ]);
    const result = run(topicsOf({ topic1: 2, topic2: 3 }), subs);
    expect(table(result)).toEqual({ consumer1: 'topic1:0,topic2:1,topic2:0', consumer2: 'topic1:1,topic2:2' });
    expect(formatTransferring(result.partitionsTransferringOwnership)).toBe('');
  });

  it('testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers: the second maxQuota owner gives one up', () => {
    const topics = ['topic1', 'topic2'];
    const subs = new Map([
      ['consumer1', owner(topics, 'topic1:0,topic2:0')],
      ['consumer2', owner(topics, 'topic1:1,topic2:1')],
      ['consumer3', owner(topics, '')],
    ]);
    const result = run(topicsOf({ topic1: 2, topic2: 2 }), subs);
    expect(formatTransferring(result.partitionsTransferringOwnership)).toBe('topic2:0=consumer3');
    expect(table(result)).toEqual({ consumer1: 'topic1:0', consumer2: 'topic1:1,topic2:1', consumer3: 'topic2:0' });
  });

  it('testAllConsumersAreUnderMinQuota', () => {
    const topics = ['topic1', 'topic2'];
    const subs = new Map([
      ['consumer1', owner(topics, 'topic1:0')],
      ['consumer2', owner(topics, 'topic1:1')],
      ['consumer3', owner(topics, '')],
    ]);
    const result = run(topicsOf({ topic1: 2, topic2: 3 }), subs);
    expect(table(result)).toEqual({ consumer1: 'topic1:0,topic2:1', consumer2: 'topic1:1,topic2:2', consumer3: 'topic2:0' });
    expect(formatTransferring(result.partitionsTransferringOwnership)).toBe('');
  });

  it('testAddRemoveConsumerOneTopic', () => {
    const partitions = topicsOf({ topic: 3 });
    const first = run(partitions, new Map([['consumer1', subscription(['topic'])]]));
    expect(table(first)).toEqual({ consumer1: 'topic:0,topic:1,topic:2' });
    const second = run(partitions, new Map([
      ['consumer1', owner(['topic'], 'topic:0,topic:1,topic:2')],
      ['consumer2', owner(['topic'], '')],
    ]));
    expect(formatTransferring(second.partitionsTransferringOwnership)).toBe('topic:2=consumer2');
    expect(table(second)).toEqual({ consumer1: 'topic:0,topic:1', consumer2: 'topic:2' });
    const third = run(partitions, new Map([['consumer2', owner(['topic'], 'topic:2')]]));
    expect(sortedTps(third.assignment.get('consumer2')!)).toBe('topic:0,topic:1,topic:2');
  });

  it('testAddRemoveTwoConsumersTwoTopics: exact lists, owners first (lowest partition numbers kept)', () => {
    const topics = ['topic1', 'topic2'];
    const partitions = topicsOf({ topic1: 3, topic2: 4 });
    const first = run(partitions, new Map([
      ['consumer1', subscription(topics)],
      ['consumer2', subscription(topics)],
    ]));
    expect(table(first)).toEqual({ consumer1: 'topic1:0,topic1:2,topic2:1,topic2:3', consumer2: 'topic1:1,topic2:0,topic2:2' });
    const second = run(partitions, new Map([
      ['consumer1', owner(topics, 'topic1:0,topic1:2,topic2:1,topic2:3')],
      ['consumer2', owner(topics, 'topic1:1,topic2:0,topic2:2')],
      ['consumer3', owner(topics, '')],
      ['consumer4', owner(topics, '')],
    ]));
    expect(formatTransferring(second.partitionsTransferringOwnership)).toBe('topic1:2=consumer3,topic2:2=consumer4,topic2:3=consumer3');
    expect(table(second)).toEqual({ consumer1: 'topic1:0,topic2:1', consumer2: 'topic2:0,topic1:1', consumer3: 'topic1:2,topic2:3', consumer4: 'topic2:2' });
    const third = run(partitions, new Map([
      ['consumer3', owner(topics, 'topic1:2,topic2:3')],
      ['consumer4', owner(topics, 'topic2:2')],
    ]));
    expect(table(third)).toEqual({ consumer3: 'topic1:2,topic2:3,topic1:0,topic2:1', consumer4: 'topic2:2,topic1:1,topic2:0' });
    expect(formatTransferring(third.partitionsTransferringOwnership)).toBe('');
  });

  it('after one member leaves, sticky moves only the orphaned partitions', () => {
    const topics = ['t0', 't1'];
    const partitions = topicsOf({ t0: 3, t1: 3 });
    const before = run(partitions, new Map(['c1', 'c2', 'c3'].map((id) => [id, subscription(topics)])));
    expect(table(before)).toEqual({ c1: 't0:0,t1:0', c2: 't0:1,t1:1', c3: 't0:2,t1:2' });
    const after = run(partitions, new Map([
      ['c1', owner(topics, 't0:0,t1:0')],
      ['c3', owner(topics, 't0:2,t1:2')],
    ]));
    // c2's t0-1 and t1-1 are the only partitions that change hands; Kafka's answer, list order included.
    expect(table(after)).toEqual({ c1: 't0:0,t1:0,t0:1', c3: 't0:2,t1:2,t1:1' });
  });

  it('testPoorRoundRobinAssignmentScenario: balanced where roundrobin leaves consumer3 empty', () => {
    const partitions = topicsOf({ topic1: 2, topic2: 1, topic3: 2, topic4: 1, topic5: 2 });
    const all = ['topic1', 'topic2', 'topic3', 'topic4', 'topic5'];
    const odd = ['topic1', 'topic3', 'topic5'];
    const result = run(partitions, new Map([
      ['consumer1', subscription(all)],
      ['consumer2', subscription(odd)],
      ['consumer3', subscription(odd)],
      ['consumer4', subscription(all)],
    ]));
    expect(result.assignment.get('consumer3')!.length).toBe(2);
    expect(isFullyBalanced(result.assignment)).toBe(true);
  });

  it('testReassignmentAfterOneConsumerLeaves: 19 nested subscriptions, c10 leaves, no partition moves back and forth', () => {
    const partitions = new Map(Array.from({ length: 19 }, (_, k) => [canonicalName('t', k + 1, 20), k + 1] as [string, number]));
    const topicsUpTo = (i: number) => Array.from({ length: i }, (_, k) => canonicalName('t', k + 1, 20));
    const subs = new Map(Array.from({ length: 19 }, (_, k) => [canonicalName('c', k + 1, 20), subscription(topicsUpTo(k + 1))] as [string, MemberSubscription]));
    const first = run(partitions, subs);
    const next = new Map([...subs].map(([id, sub]) => [id, owner(sub.topics, formatTps(first.assignment.get(id)!))] as [string, MemberSubscription]));
    next.delete('c10');
    const second = run(partitions, next);
    expect(second.isSticky).toBe(true);
  });

  it('testStickiness: removing the potential leader keeps every remaining member on its partition', () => {
    const partitions = topicsOf({ topic1: 3 });
    const first = run(partitions, new Map(['consumer1', 'consumer2', 'consumer3', 'consumer4'].map((id) => [id, subscription(['topic1'])])));
    const next = new Map(['consumer2', 'consumer3', 'consumer4'].map((id) => [id, owner(['topic1'], formatTps(first.assignment.get(id)!))]));
    const second = run(partitions, next);
    expect(formatTransferring(second.partitionsTransferringOwnership)).toBe('');
    for (const [id, partitions] of second.assignment) {
      expect(partitions.length).toBe(1);
      const before = first.assignment.get(id)!;
      if (before.length === 1) expect(formatTps(partitions), `stickiness for ${id}`).toBe(formatTps(before));
    }
  });

  it('testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithEqualPartitionsPerConsumer', () => {
    const result = run(topicsOf({ topic: 3 }), new Map([
      ['consumer1', owner(['topic'], 'topic:0,topic:1')],
      ['consumer2', owner(['topic'], 'topic:0,topic:2')],
      ['consumer3', owner(['topic'], '')],
    ]));
    expect(table(result)).toEqual({ consumer1: 'topic:1', consumer2: 'topic:2', consumer3: 'topic:0' });
    expect(formatTransferring(result.partitionsTransferringOwnership)).toBe('topic:0=consumer3');
  });

  it('testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithUnequalPartitionsPerConsumer', () => {
    const result = run(topicsOf({ topic: 4 }), new Map([
      ['consumer1', owner(['topic'], 'topic:0,topic:1')],
      ['consumer2', owner(['topic'], 'topic:0,topic:2')],
      ['consumer3', owner(['topic'], '')],
    ]));
    expect(table(result)).toEqual({ consumer1: 'topic:1,topic:3', consumer2: 'topic:2', consumer3: 'topic:0' });
  });

  it('testOwnedPartitionsAreInvalidatedForConsumerWithStaleGeneration: the newer generation keeps its partitions', () => {
    const topics = ['topic', 'topic2'];
    const result = run(topicsOf({ topic: 3, topic2: 3 }), new Map([
      ['consumer1', owner(topics, 'topic:0,topic:2,topic2:1', 10)],
      ['consumer2', owner(topics, 'topic:0,topic:2,topic2:1', 9)],
    ]));
    expect(sortedTps(result.assignment.get('consumer1')!)).toBe('topic:0,topic:2,topic2:1');
    expect(sortedTps(result.assignment.get('consumer2')!)).toBe('topic:1,topic2:0,topic2:2');
    expect(formatTransferring(result.partitionsTransferringOwnership)).toBe('');
  });

  it('testEnsurePartitionsAssignedToHighestGeneration', () => {
    const topics = ['topic', 'topic2', 'topic3'];
    const result = run(topicsOf({ topic: 3, topic2: 3, topic3: 3 }), new Map([
      ['consumer1', owner(topics, 'topic:0,topic2:0,topic3:0', 10)],
      ['consumer2', owner(topics, 'topic:1,topic2:1,topic3:1', 9)],
      ['consumer3', owner(topics, 'topic2:1,topic3:0,topic3:2', 8)],
    ]));
    expect(sortedTps(result.assignment.get('consumer1')!)).toBe('topic:0,topic2:0,topic3:0');
    expect(sortedTps(result.assignment.get('consumer2')!)).toBe('topic:1,topic2:1,topic3:1');
    expect(sortedTps(result.assignment.get('consumer3')!)).toBe('topic:2,topic2:2,topic3:2');
  });

  it('testNoReassignmentOnCurrentMembers: a member without generation takes only what nobody owns', () => {
    const topics = ['topic', 'topic2', 'topic3', 'topic1'];
    const result = run(topicsOf({ topic: 3, topic1: 3, topic2: 3, topic3: 3 }), new Map([
      ['consumer1', owner(topics, '', -1)],
      ['consumer2', owner(topics, 'topic:0,topic2:0,topic1:0', 9)],
      ['consumer3', owner(topics, 'topic3:2,topic2:2,topic1:1', 8)],
      ['consumer4', owner(topics, 'topic3:1,topic:1,topic:2', 7)],
    ]));
    expect(sortedTps(result.assignment.get('consumer1')!)).toBe('topic1:2,topic2:1,topic3:0');
    expect(formatTransferring(result.partitionsTransferringOwnership)).toBe('');
  });

  it('testSubscriptionNotEqualAndAssignSamePartitionWith3Generation: every order of generations gives 1-2 partitions each, none twice', () => {
    const partitions = topicsOf({ topic: 6, topic1: 1 });
    for (const [g1, g2, g3] of [[1, 2, 3], [1, 3, 2], [2, 1, 3], [2, 3, 1], [3, 1, 2], [3, 2, 1]] as const) {
      const result = run(partitions, new Map([
        ['consumer1', owner(['topic'], 'topic:0,topic:2', g1)],
        ['consumer2', owner(['topic'], 'topic:1,topic:2,topic:3', g2)],
        ['consumer3', owner(['topic'], 'topic:2,topic:4,topic:5', g3)],
        ['consumer4', owner(['topic1'], 'topic1:0', 2)],
      ]));
      for (const assigned of result.assignment.values()) expect(assigned.length).toBeGreaterThanOrEqual(1);
      for (const assigned of result.assignment.values()) expect(assigned.length).toBeLessThanOrEqual(2);
    }
  });

  for (const allEqual of [true, false]) {
    it(`testAssignmentWithMultipleGenerations1 (isAllSubscriptionsEqual=${allEqual})`, () => {
      const all = ['topic', 'topic2'];
      const c2Topics = allEqual ? all : ['topic'];
      const partitions = topicsOf({ topic: 6, topic2: 6 });
      const r1 = run(partitions, new Map([
        ['consumer1', subscription(all)],
        ['consumer2', subscription(c2Topics)],
        ['consumer3', subscription(all)],
      ])).assignment;
      expect([...r1.values()].map((p) => p.length)).toEqual([4, 4, 4]);
      const r2 = run(partitions, new Map([
        ['consumer1', owner(all, formatTps(r1.get('consumer1')!))],
        ['consumer2', owner(c2Topics, formatTps(r1.get('consumer2')!))],
      ])).assignment;
      expect(r2.get('consumer1')!.length).toBe(6);
      expect(r2.get('consumer2')!.length).toBe(6);
      const has = (list: readonly { topic: string; partition: number }[], p: { topic: string; partition: number }) => list.some((q) => q.topic === p.topic && q.partition === p.partition);
      if (allEqual) expect(r1.get('consumer1')!.every((p) => has(r2.get('consumer1')!, p))).toBe(true);
      expect(r1.get('consumer2')!.every((p) => has(r2.get('consumer2')!, p))).toBe(true);
      const r3 = run(partitions, new Map([
        ['consumer2', owner(c2Topics, formatTps(r2.get('consumer2')!), 2)],
        ['consumer3', owner(all, formatTps(r1.get('consumer3')!), 1)],
      ])).assignment;
      expect(r3.get('consumer2')!.length).toBe(6);
      expect(r3.get('consumer3')!.length).toBe(6);
      expect(r3.get('consumer2')!.some((p) => has(r3.get('consumer3')!, p))).toBe(false);
    });
  }

  it('testAssignmentUpdatedForDeletedTopic / testNoExceptionThrownWhenOnlySubscribedTopicDeleted', () => {
    const one = new Map([['consumer', subscription(['topic1', 'topic2', 'topic3'])]]);
    expect(run(topicsOf({ topic1: 1, topic3: 100 }), one).assignment.get('consumer')!.length).toBe(101);
    const owns = new Map([['consumer', owner(['topic'], 'topic:0,topic:1,topic:2')]]);
    expect(table(run(new Map(), owns))).toEqual({ consumer: '' });
  });
});
