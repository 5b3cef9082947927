/**
 * RangeAssignor: per topic, consecutive ranges over the sorted subscribers, the first P % M one
 * longer. Cases ported from Kafka's RangeAssignorTest (rack-free variants) name the Java test.
 */
import { describe, expect, it } from 'vitest';
import { RangeAssignor } from '../../../../engine/groups/assignors/range-assignor.js';
import { assignTable, parseTps, sortedTps, subscription, topicsOf } from './assignor-test-support.js';

const assignor = new RangeAssignor();
const both = ['topic1', 'topic2'];

describe('RangeAssignor', () => {
  it('is "range", EAGER', () => {
    expect(assignor.name).toBe('range');
    expect(assignor.supportedProtocols).toEqual(['EAGER']);
  });

  it('range: 2 topics x 3 partitions, members c1,c2 -> c1 gets t0-0,t0-1,t1-0,t1-1; c2 gets t0-2,t1-2 (RangeAssignor javadoc)', () => {
    const subs = new Map([
      ['c1', subscription(['t0', 't1'])],
      ['c2', subscription(['t0', 't1'])],
    ]);
    expect(assignTable(assignor, topicsOf({ t0: 3, t1: 3 }), subs)).toEqual({ c1: 't0:0,t0:1,t1:0,t1:1', c2: 't0:2,t1:2' });
  });

  it('testOneConsumerNoTopic / testOneConsumerNonexistentTopic: the member gets an empty assignment', () => {
    expect(assignTable(assignor, new Map(), new Map([['consumer1', subscription([])]]))).toEqual({ consumer1: '' });
    expect(assignTable(assignor, new Map(), new Map([['consumer1', subscription(['topic1'])]]))).toEqual({ consumer1: '' });
  });

  it('testOneConsumerOneTopic / testOnlyAssignsPartitionsFromSubscribedTopics', () => {
    const subs = new Map([['consumer1', subscription(['topic1'])]]);
    expect(assignTable(assignor, topicsOf({ topic1: 3, other: 3 }), subs)).toEqual({ consumer1: 'topic1:0,topic1:1,topic1:2' });
  });

  it('testOneConsumerMultipleTopics', () => {
    const subs = new Map([['consumer1', subscription(both)]]);
    expect(assignTable(assignor, topicsOf({ topic1: 1, topic2: 2 }), subs)).toEqual({ consumer1: 'topic1:0,topic2:0,topic2:1' });
  });

  it('testTwoConsumersOneTopicOnePartition / testTwoConsumersOneTopicTwoPartitions', () => {
    const subs = new Map([
      ['consumer1', subscription(['topic1'])],
      ['consumer2', subscription(['topic1'])],
    ]);
    expect(assignTable(assignor, topicsOf({ topic1: 1 }), subs)).toEqual({ consumer1: 'topic1:0', consumer2: '' });
    expect(assignTable(assignor, topicsOf({ topic1: 2 }), subs)).toEqual({ consumer1: 'topic1:0', consumer2: 'topic1:1' });
  });

  it('testMultipleConsumersMixedTopics: each topic is split over its own subscribers only', () => {
    const subs = new Map([
      ['consumer1', subscription(['topic1'])],
      ['consumer2', subscription(both)],
      ['consumer3', subscription(['topic1'])],
    ]);
    expect(assignTable(assignor, topicsOf({ topic1: 3, topic2: 2 }), subs)).toEqual({
      consumer1: 'topic1:0',
      consumer2: 'topic1:1,topic2:0,topic2:1',
      consumer3: 'topic1:2',
    });
  });

  it('testTwoStaticConsumersTwoTopicsSixPartitions: static members sort by group.instance.id, not member id', () => {
    const subs = new Map([
      ['consumer-b', subscription(both, { instance: 'instance1' })],
      ['consumer-a', subscription(both, { instance: 'instance2' })],
    ]);
    expect(assignTable(assignor, topicsOf({ topic1: 3, topic2: 3 }), subs)).toEqual({
      'consumer-b': 'topic1:0,topic1:1,topic2:0,topic2:1',
      'consumer-a': 'topic1:2,topic2:2',
    });
  });

  it('testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions: a static member sorts before a dynamic one', () => {
    const subs = new Map([
      ['consumer-b', subscription(both, { instance: 'instance1' })],
      ['consumer-a', subscription(both)],
    ]);
    expect(assignTable(assignor, topicsOf({ topic1: 3, topic2: 3 }), subs)).toEqual({
      'consumer-b': 'topic1:0,topic1:1,topic2:0,topic2:1',
      'consumer-a': 'topic1:2,topic2:2',
    });
  });

  it('testStaticMemberRangeAssignmentPersistent: replacing the dynamic member keeps the static assignments', () => {
    const partitions = topicsOf({ topic1: 5, topic2: 4 });
    const statics: [string, string][] = [
      ['consumer1', 'instance1'],
      ['consumer2', 'instance2'],
      ['consumer3', 'instance3'],
    ];
    const subs = new Map(statics.map(([id, instance]) => [id, subscription(both, { instance })]));
    subs.set('consumer4', subscription(both));
    const expected = { consumer1: 'topic1:0,topic1:1,topic2:0', consumer2: 'topic1:2,topic2:1', consumer3: 'topic1:3,topic2:2', consumer4: 'topic1:4,topic2:3' };
    expect(assignTable(assignor, partitions, subs)).toEqual(expected);
    subs.delete('consumer4');
    subs.set('consumer5', subscription(both));
    const { consumer4, ...rest } = expected;
    expect(assignTable(assignor, partitions, subs)).toEqual({ ...rest, consumer5: consumer4 });
  });

  it('testStaticMemberRangeAssignmentPersistentAfterMemberIdChanges: new member ids, same instance ids, same assignment', () => {
    const partitions = topicsOf({ topic1: 5, topic2: 5 });
    const byInstance = (subs: Map<string, ReturnType<typeof subscription>>) => {
      const table = assignTable(assignor, partitions, subs);
      return Object.fromEntries([...subs].map(([id, sub]) => [sub.groupInstanceId, sortedTps(parseTps(table[id]!))]));
    };
    const before = new Map([
      ['consumer1', subscription(both, { instance: 'instance1' })],
      ['consumer2', subscription(both, { instance: 'instance2' })],
      ['consumer3', subscription(both, { instance: 'instance3' })],
    ]);
    const expected = { instance1: 'topic1:0,topic1:1,topic2:0,topic2:1', instance2: 'topic1:2,topic1:3,topic2:2,topic2:3', instance3: 'topic1:4,topic2:4' };
    expect(byInstance(before)).toEqual(expected);
    const after = new Map([
      ['consumer1', before.get('consumer1')!],
      ['consumer5', before.get('consumer2')!],
      ['consumer4', before.get('consumer3')!],
    ]);
    expect(byInstance(after)).toEqual(expected);
  });

  it('does not care about the iteration order of the subscriptions map for which partitions a member gets', () => {
    const a = new Map([
      ['x', subscription(['t'])],
      ['y', subscription(['t'])],
      ['z', subscription(['t'])],
    ]);
    const b = new Map([...a].reverse());
    expect(assignTable(assignor, topicsOf({ t: 7 }), b)).toEqual(assignTable(assignor, topicsOf({ t: 7 }), a));
    expect(assignTable(assignor, topicsOf({ t: 7 }), a)).toEqual({ x: 't:0,t:1,t:2', y: 't:3,t:4', z: 't:5,t:6' });
  });
});
