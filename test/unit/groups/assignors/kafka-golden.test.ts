/**
 * Every assignor against Apache Kafka's own Java assignors: each case in kafka-golden-cases.ts is
 * a group and the assignment Kafka's classes computed for it, partition lists in Kafka's order,
 * plus partitionsTransferringOwnership for the sticky ones. These pin the orderings Kafka leaves
 * to HashMap iteration (who keeps the extra partition, the topic order inside a range assignment).
 */
import { describe, expect, it } from 'vitest';
import { assignSticky } from '../../../../engine/groups/assignors/abstract-sticky.js';
import type { MemberSubscription } from '../../../../engine/groups/assignors/assignor.js';
import { assignCooperativeSticky } from '../../../../engine/groups/assignors/cooperative-sticky-assignor.js';
import { assignorByName } from '../../../../engine/groups/assignors/index.js';
import { stickyMemberData } from '../../../../engine/groups/assignors/sticky-assignor.js';
import { formatTps, formatTransferring, subscription, topicsOf } from './assignor-test-support.js';
import { KAFKA_GOLDEN_CASES, type GoldenCase } from './kafka-golden-cases.js';

function subscriptionsOf(golden: GoldenCase): Map<string, MemberSubscription> {
  return new Map(
    golden.members.map((m) => [
      m.id,
      subscription(m.topics, {
        owned: m.owned,
        generation: m.generation,
        instance: m.instance ?? null,
        userData: m.userData === null ? null : Uint8Array.from(Buffer.from(m.userData, 'hex')),
      }),
    ]),
  );
}

function transferringOf(golden: GoldenCase, partitions: ReadonlyMap<string, number>, subs: ReadonlyMap<string, MemberSubscription>): string | null {
  if (golden.assignor === 'sticky') return formatTransferring(assignSticky(partitions, subs, stickyMemberData).partitionsTransferringOwnership);
  return formatTransferring(assignCooperativeSticky(partitions, subs).sticky.partitionsTransferringOwnership);
}

describe("assignments match Kafka's Java assignors", () => {
  for (const golden of KAFKA_GOLDEN_CASES) {
    it(`${golden.assignor}: ${golden.name}`, () => {
      const partitions = topicsOf(golden.topics);
      const subs = subscriptionsOf(golden);
      const result = assignorByName(golden.assignor)!.assign(partitions, subs);
      const actual = Object.fromEntries([...result].map(([member, assignment]) => [member, formatTps(assignment.partitions)]));
      expect(actual).toEqual(golden.expected);
      if (golden.transferring !== undefined) expect(transferringOf(golden, partitions, subs)).toBe(golden.transferring);
    });
  }
});
