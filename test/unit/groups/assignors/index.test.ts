/**
 * The assignor registry, the Java consumer's default strategy list, and the side-by-side tables a
 * workshop shows: the same group under all four assignors, with Kafka's answers.
 */
import { describe, expect, it } from 'vitest';
import {
  assignorByName,
  BUILT_IN_ASSIGNORS,
  DEFAULT_PARTITION_ASSIGNMENT_STRATEGY,
} from '../../../../engine/groups/assignors/index.js';
import { assignTable, subscription, topicsOf } from './assignor-test-support.js';

function group(memberIds: readonly string[]) {
  return new Map(memberIds.map((id) => [id, subscription(['t0', 't1'])]));
}

describe('assignor registry', () => {
  it('knows the four built-in assignors by their protocol names', () => {
    expect(BUILT_IN_ASSIGNORS).toEqual(['range', 'roundrobin', 'sticky', 'cooperative-sticky']);
    for (const name of BUILT_IN_ASSIGNORS) expect(assignorByName(name)?.name).toBe(name);
    expect(assignorByName('RoundRobinAssigner')).toBeNull();
    expect(assignorByName('toString')).toBeNull();
  });

  it("partition.assignment.strategy defaults to Java's [range, cooperative-sticky], whose common protocol is EAGER", () => {
    expect(DEFAULT_PARTITION_ASSIGNMENT_STRATEGY).toEqual(['range', 'cooperative-sticky']);
    const protocols = DEFAULT_PARTITION_ASSIGNMENT_STRATEGY.map((name) => assignorByName(name)!.supportedProtocols);
    const common = protocols[0]!.filter((p) => protocols.every((list) => list.includes(p)));
    expect(common).toEqual(['EAGER']);
  });
});

describe('2 topics x 3 partitions under every assignor (Kafka 3.x Java output)', () => {
  const partitions = topicsOf({ t0: 3, t1: 3 });

  it('2 members', () => {
    const table = Object.fromEntries(BUILT_IN_ASSIGNORS.map((name) => [name, assignTable(assignorByName(name)!, partitions, group(['c1', 'c2']))]));
    expect(table).toEqual({
      range: { c1: 't0:0,t0:1,t1:0,t1:1', c2: 't0:2,t1:2' },
      roundrobin: { c1: 't0:0,t0:2,t1:1', c2: 't0:1,t1:0,t1:2' },
      sticky: { c1: 't0:0,t0:2,t1:1', c2: 't0:1,t1:0,t1:2' },
      'cooperative-sticky': { c1: 't0:0,t0:2,t1:1', c2: 't0:1,t1:0,t1:2' },
    });
  });

  it('3 members', () => {
    const even = { c1: 't0:0,t1:0', c2: 't0:1,t1:1', c3: 't0:2,t1:2' };
    for (const name of BUILT_IN_ASSIGNORS) expect(assignTable(assignorByName(name)!, partitions, group(['c1', 'c2', 'c3'])), name).toEqual(even);
  });
});
