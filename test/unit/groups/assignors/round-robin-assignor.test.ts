/**
 * RoundRobinAssignor: all partitions sorted by topic then partition, dealt over the sorted members,
 * skipping members not subscribed to the partition's topic. Cases ported from Kafka's
 * RoundRobinAssignorTest name the Java test.
 */
import { describe, expect, it } from 'vitest';
import { RoundRobinAssignor } from '../../../../engine/groups/assignors/round-robin-assignor.js';
import { assignTable, parseTps, sortedTps, subscription, topicsOf } from './assignor-test-support.js';

const assignor = new RoundRobinAssignor();
const both = ['topic1', 'topic2'];

describe('RoundRobinAssignor', () => {
  it('is "roundrobin", EAGER', () => {
    expect(assignor.name).toBe('roundrobin');
    expect(assignor.supportedProtocols).toEqual(['EAGER']);
  });

  it('roundrobin: 2 topics x 3 partitions, members c1,c2 -> c1 gets t0-0,t0-2,t1-1; c2 gets t0-1,t1-0,t1-2 (RoundRobinAssignor javadoc)', () => {
    const subs = new Map([
      ['c1', subscription(['t0', 't1'])],
      ['c2', subscription(['t0', 't1'])],
    ]);
    expect(assignTable(assignor, topicsOf({ t0: 3, t1: 3 }), subs)).toEqual({ c1: 't0:0,t0:2,t1:1', c2: 't0:1,t1:0,t1:2' });
  });

  it('javadoc: C0 [t0], C1 [t0,t1], C2 [t0,t1,t2] with 1, 2, 3 partitions -> C2 gets four (unsubscribed members are skipped)', () => {
    const subs = new Map([
      ['C0', subscription(['t0'])],
      ['C1', subscription(['t0', 't1'])],
      ['C2', subscription(['t0', 't1', 't2'])],
    ]);
    expect(assignTable(assignor, topicsOf({ t0: 1, t1: 2, t2: 3 }), subs)).toEqual({ C0: 't0:0', C1: 't1:0', C2: 't1:1,t2:0,t2:1,t2:2' });
  });

  it('testOneConsumerNoTopic / testOneConsumerNonexistentTopic / testOnlyAssignsPartitionsFromSubscribedTopics', () => {
    expect(assignTable(assignor, new Map(), new Map([['consumer', subscription([])]]))).toEqual({ consumer: '' });
    expect(assignTable(assignor, new Map(), new Map([['consumer', subscription(['topic'])]]))).toEqual({ consumer: '' });
    expect(assignTable(assignor, topicsOf({ topic: 3, other: 3 }), new Map([['consumer', subscription(['topic'])]]))).toEqual({ consumer: 'topic:0,topic:1,topic:2' });
  });

  it('testOneConsumerMultipleTopics', () => {
    expect(assignTable(assignor, topicsOf({ topic1: 1, topic2: 2 }), new Map([['consumer', subscription(both)]]))).toEqual({ consumer: 'topic1:0,topic2:0,topic2:1' });
  });

  it('testTwoConsumersOneTopicOnePartition / testTwoConsumersOneTopicTwoPartitions', () => {
    const subs = new Map([
      ['consumer1', subscription(['topic'])],
      ['consumer2', subscription(['topic'])],
    ]);
    expect(assignTable(assignor, topicsOf({ topic: 1 }), subs)).toEqual({ consumer1: 'topic:0', consumer2: '' });
    expect(assignTable(assignor, topicsOf({ topic: 2 }), subs)).toEqual({ consumer1: 'topic:0', consumer2: 'topic:1' });
  });

  it('testMultipleConsumersMixedTopics', () => {
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

  it('testTwoStaticConsumersTwoTopicsSixPartitions / testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions', () => {
    const expected = { 'consumer-b': 'topic1:0,topic1:2,topic2:1', 'consumer-a': 'topic1:1,topic2:0,topic2:2' };
    const twoStatic = new Map([
      ['consumer-b', subscription(both, { instance: 'instance1' })],
      ['consumer-a', subscription(both, { instance: 'instance2' })],
    ]);
    expect(assignTable(assignor, topicsOf({ topic1: 3, topic2: 3 }), twoStatic)).toEqual(expected);
    const oneStatic = new Map([
      ['consumer-b', subscription(both, { instance: 'instance1' })],
      ['consumer-a', subscription(both)],
    ]);
    expect(assignTable(assignor, topicsOf({ topic1: 3, topic2: 3 }), oneStatic)).toEqual(expected);
  });

  it('testStaticMemberRoundRobinAssignmentPersistent', () => {
    const partitions = topicsOf({ topic1: 3, topic2: 3 });
    const subs = new Map([
      ['consumer1', subscription(both, { instance: 'instance1' })],
      ['consumer2', subscription(both, { instance: 'instance2' })],
      ['consumer3', subscription(both, { instance: 'instance3' })],
      ['consumer4', subscription(both)],
    ]);
    const expected = { consumer1: 'topic1:0,topic2:1', consumer2: 'topic1:1,topic2:2', consumer3: 'topic1:2', consumer4: 'topic2:0' };
    expect(assignTable(assignor, partitions, subs)).toEqual(expected);
    subs.delete('consumer4');
    subs.set('consumer5', subscription(both));
    const { consumer4, ...rest } = expected;
    expect(assignTable(assignor, partitions, subs)).toEqual({ ...rest, consumer5: consumer4 });
  });

  it('testStaticMemberRoundRobinAssignmentPersistentAfterMemberIdChanges', () => {
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
    const expected = { instance1: 'topic1:0,topic1:3,topic2:1,topic2:4', instance2: 'topic1:1,topic1:4,topic2:2', instance3: 'topic1:2,topic2:0,topic2:3' };
    expect(byInstance(before)).toEqual(expected);
    const after = new Map([
      ['consumer1', before.get('consumer1')!],
      ['consumer5', before.get('consumer2')!],
      ['consumer4', before.get('consumer3')!],
    ]);
    expect(byInstance(after)).toEqual(expected);
  });
});
