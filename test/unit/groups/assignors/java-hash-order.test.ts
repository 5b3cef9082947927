/** The Java HashMap iteration order the assignors reproduce, checked on known Java values. */
import { describe, expect, it } from 'vitest';
import {
  inJavaHashOrder,
  inJavaStringHashOrder,
  javaHashTableCapacity,
  javaStringHashCode,
  javaTopicPartitionHashCode,
  topicsInGroupByTopicOrder,
} from '../../../../engine/groups/assignors/java-hash-order.js';
import { parseTps, tp } from './assignor-test-support.js';

describe('Java hash order', () => {
  it('String.hashCode matches Java (values printed by a JVM; long strings wrap around int)', () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('hello')).toBe(99162322);
    expect(javaStringHashCode('Aa')).toBe(2112);
    expect(javaStringHashCode('BB')).toBe(2112);
    expect(javaStringHashCode('consumer-1-0f3c')).toBe(332829977);
    expect(javaStringHashCode('order-service-1')).toBe(-229043366);
    expect(javaStringHashCode('__consumer_offsets')).toBe(-970371369);
    expect(javaTopicPartitionHashCode(tp('t0', 0))).toBe(31 * 31 + javaStringHashCode('t0'));
  });

  it('the table grows from 16 when the size passes 3/4 of it', () => {
    expect([0, 12, 13, 24, 25].map(javaHashTableCapacity)).toEqual([16, 16, 32, 32, 64]);
  });

  it('iterates by bucket, then by insertion (put) or reverse insertion (computeIfAbsent)', () => {
    // "Aa" and "BB" collide in bucket 0, "t1" (3646) is in bucket 14; a JVM prints [BB, Aa, t1]
    // for put("BB"), put("Aa"), put("t1"), and [BB, Aa] for computeIfAbsent("Aa"), ("BB").
    expect(inJavaStringHashOrder(['BB', 'Aa', 't1'])).toEqual(['BB', 'Aa', 't1']);
    expect(inJavaStringHashOrder(['t1', 'Aa', 'BB'])).toEqual(['Aa', 'BB', 't1']);
    expect(inJavaHashOrder(['Aa', 'BB'], javaStringHashCode, 16, 'computeIfAbsent')).toEqual(['BB', 'Aa']);
  });

  it('member ids iterate in Java order, not sorted order', () => {
    expect(inJavaStringHashOrder(['order-service-1', 'order-service-2'])).toEqual(['order-service-2', 'order-service-1']);
  });

  it('groupPartitionsByTopic resizes only on the call after the threshold (computeIfAbsent)', () => {
    const thirteen = Array.from({ length: 13 }, (_, i) => `t${i}`);
    const once = topicsInGroupByTopicOrder(thirteen.map((topic) => tp(topic, 0)));
    const withOneMoreCall = topicsInGroupByTopicOrder([...thirteen.map((topic) => tp(topic, 0)), tp('t0', 1)]);
    expect(once).toEqual(inJavaHashOrder(thirteen, javaStringHashCode, 16, 'computeIfAbsent'));
    expect(withOneMoreCall).toEqual(inJavaHashOrder(thirteen, javaStringHashCode, 32, 'computeIfAbsent'));
    expect(topicsInGroupByTopicOrder(parseTps('t1:0,t0:1,t1:2'))).toEqual(['t0', 't1']);
  });
});
