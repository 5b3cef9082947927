/** The partitioners on their own: the built-in sticky rules, round-robin's counter, the lab rule schema. */
import { describe, expect, it } from 'vitest';
import { BuiltInPartitioner, partitionForRecordKey } from '../../../../engine/clients/partitioners/built-in-partitioner.js';
import { PartitionerConfigSchema } from '../../../../engine/clients/partitioners/partitioner-config.js';
import { RoundRobinPartitioner } from '../../../../engine/clients/partitioners/round-robin-partitioner.js';
import { evaluatePartitionerRule } from '../../../../engine/clients/partitioners/rule-partitioner.js';
import { SeededPrng } from '../../../../engine/core/prng.js';
import { SEED } from './producer-harness.js';

const utf8 = new TextEncoder();
const view = (partitionCount: number, availablePartitions = Array.from({ length: partitionCount }, (_, p) => p)) => ({ topic: 't', partitionCount, availablePartitions });

describe('BuiltInPartitioner (KIP-794)', () => {
  it('hashes keys with murmur2 like the Java client (reference vectors, 12 partitions)', () => {
    const vectors: [string, number][] = [['21', 0], ['foobar', 6], ['a-little-bit-long-string', 8], ['abc', 3], ['', 9], ['128', 5]];
    for (const [key, partition] of vectors) expect(partitionForRecordKey(utf8.encode(key), 12), `key ${key}`).toBe(partition);
  });

  it('keeps the sticky partition until batch.size bytes, switching only when enabled, and always at twice batch.size', () => {
    const partitioner = new BuiltInPartitioner('t', 1000, new SeededPrng(SEED));
    const first = partitioner.peekCurrentPartitionInfo(view(3));
    partitioner.updatePartitionInfo(first, 999, view(3), true);
    expect(partitioner.isPartitionChanged(first), `seed=${SEED}`).toBe(false);
    partitioner.updatePartitionInfo(first, 1, view(3), false);
    expect(partitioner.isPartitionChanged(first), 'switching disabled while the batch is not full').toBe(false);
    partitioner.updatePartitionInfo(first, 0, view(3), true);
    expect(partitioner.isPartitionChanged(first), 'enabled at >= batch.size').toBe(true);
    const second = partitioner.peekCurrentPartitionInfo(view(3));
    partitioner.updatePartitionInfo(second, 2000, view(3), false);
    expect(partitioner.isPartitionChanged(second), 'forced at 2 x batch.size').toBe(true);
  });

  it('draws the next partition from the seeded Prng among partitions with a leader', () => {
    const prng = new SeededPrng(SEED);
    const expected = new SeededPrng(SEED);
    const partitioner = new BuiltInPartitioner('t', 1, prng);
    const available = [1, 4, 6];
    for (let i = 0; i < 50; i++) {
      const info = partitioner.peekCurrentPartitionInfo(view(8, available));
      expect(info.partition, `seed=${SEED} draw ${i}`).toBe(available[expected.nextInt(3)]);
      partitioner.updatePartitionInfo(info, 1, view(8, available), true);
    }
  });

  it('falls back to all partitions when none has a leader', () => {
    const partitioner = new BuiltInPartitioner('t', 100, new SeededPrng(SEED));
    const partition = partitioner.peekCurrentPartitionInfo(view(5, [])).partition;
    expect(partition).toBeGreaterThanOrEqual(0);
    expect(partition).toBeLessThan(5);
  });
});

describe('RoundRobinPartitioner', () => {
  it('cycles per topic over the partitions with a leader', () => {
    const rr = new RoundRobinPartitioner();
    const a = { topic: 'a', partitionCount: 4, availablePartitions: [0, 1, 2, 3] };
    const b = { topic: 'b', partitionCount: 4, availablePartitions: [0, 2] };
    expect([rr.partition(a), rr.partition(b), rr.partition(a), rr.partition(b), rr.partition(a), rr.partition(b)]).toEqual([0, 0, 1, 2, 2, 0]);
  });
});

describe('partitioner rules (lab-defined, no code)', () => {
  it('accepts the documented shapes and refuses anything else', () => {
    expect(PartitionerConfigSchema.safeParse({ kind: 'keyPrefix', rules: [{ prefix: 'vip-', partition: 0 }], default: 'murmur2' }).success).toBe(true);
    expect(PartitionerConfigSchema.safeParse({ kind: 'field', field: 'customer.tier', rules: [{ equals: 'gold', partition: 1 }], default: { partition: 2 } }).success).toBe(true);
    expect(PartitionerConfigSchema.safeParse({ kind: 'roundRobin' }).success).toBe(true);
    const refused = [
      { kind: 'script', code: 'return 1' },
      { kind: 'keyPrefix', rules: [], default: 'builtIn' },
      { kind: 'keyPrefix', rules: [{ prefix: 'a', partition: -1 }], default: 'builtIn' },
      { kind: 'keyPrefix', rules: [{ prefix: 'a', partition: 0, extra: 1 }], default: 'builtIn' },
      { kind: 'field', field: 'a.b.c.d.e', rules: [{ equals: 1, partition: 0 }], default: 'builtIn' },
      { kind: 'field', field: 'a', rules: [{ equals: 1, partition: 0 }], default: 'sticky' },
      { kind: 'roundRobin', seed: 3 },
    ];
    for (const config of refused) expect(PartitionerConfigSchema.safeParse(config).success, JSON.stringify(config)).toBe(false);
  });

  it('matches the first prefix rule, then falls back', () => {
    const rule = PartitionerConfigSchema.parse({ kind: 'keyPrefix', rules: [{ prefix: 'vip-', partition: 0 }, { prefix: 'v', partition: 1 }], default: 'builtIn' });
    if (rule.kind !== 'keyPrefix') throw new Error('parsed the wrong kind');
    expect(evaluatePartitionerRule(rule, 'vip-7', null, null)).toMatchObject({ kind: 'partition', partition: 0 });
    expect(evaluatePartitionerRule(rule, 'very', null, null)).toMatchObject({ kind: 'partition', partition: 1 });
    expect(evaluatePartitionerRule(rule, null, utf8.encode('vip-bytes'), null)).toMatchObject({ kind: 'partition', partition: 0 });
    expect(evaluatePartitionerRule(rule, 'plain', null, null)).toEqual({ kind: 'builtIn', forceKeyHash: false });
    expect(evaluatePartitionerRule(rule, null, null, null)).toEqual({ kind: 'builtIn', forceKeyHash: false });
  });

  it('reads a dotted field of an object or JSON string value', () => {
    const rule = PartitionerConfigSchema.parse({ kind: 'field', field: 'customer.tier', rules: [{ equals: 'gold', partition: 2 }], default: { partition: 0 } });
    if (rule.kind !== 'field') throw new Error('parsed the wrong kind');
    expect(evaluatePartitionerRule(rule, null, null, { customer: { tier: 'gold' } })).toMatchObject({ kind: 'partition', partition: 2 });
    expect(evaluatePartitionerRule(rule, null, null, '{"customer":{"tier":"gold"}}')).toMatchObject({ kind: 'partition', partition: 2 });
    expect(evaluatePartitionerRule(rule, null, null, { customer: { tier: 'silver' } })).toMatchObject({ kind: 'partition', partition: 0 });
    expect(evaluatePartitionerRule(rule, null, null, 'not json')).toMatchObject({ kind: 'partition', partition: 0 });
  });
});
