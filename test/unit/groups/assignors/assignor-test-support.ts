/**
 * Helpers for the assignor tests: Kafka-test-style builders (subscriptions, "topic:partition"
 * lists) and the invariant checks every assignor must pass (each partition of a subscribed topic
 * exactly once, to a subscriber; every member present).
 */
import { expect } from 'vitest';
import type { MemberSubscription, PartitionAssignor, TopicPartition } from '../../../../engine/groups/assignors/assignor.js';

export function tp(topic: string, partition: number): TopicPartition {
  return { topic, partition };
}

/** "t0:0,t1:2" → partitions, in that order ("" → none). */
export function parseTps(text: string): TopicPartition[] {
  if (text === '') return [];
  return text.split(',').map((item) => {
    const colon = item.lastIndexOf(':');
    return tp(item.slice(0, colon), Number(item.slice(colon + 1)));
  });
}

export function formatTps(partitions: readonly TopicPartition[]): string {
  return partitions.map((p) => `${p.topic}:${p.partition}`).join(',');
}

export function sortedTps(partitions: readonly TopicPartition[]): string {
  return formatTps([...partitions].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition)));
}

export interface SubscriptionSpec {
  readonly owned?: string;
  readonly generation?: number;
  readonly userData?: Uint8Array | null;
  readonly instance?: string | null;
}

export function subscription(topics: readonly string[], spec: SubscriptionSpec = {}): MemberSubscription {
  return {
    topics,
    userData: spec.userData ?? null,
    ownedPartitions: parseTps(spec.owned ?? ''),
    generationId: spec.generation ?? -1,
    rackId: null,
    groupInstanceId: spec.instance ?? null,
  };
}

export function topicsOf(counts: Readonly<Record<string, number>>): Map<string, number> {
  return new Map(Object.entries(counts));
}

/** The assignment as { member: "t:p,..." } in the assignor's own list order. */
export function assignTable(
  assignor: PartitionAssignor,
  partitionsPerTopic: ReadonlyMap<string, number>,
  subscriptions: ReadonlyMap<string, MemberSubscription>,
): Record<string, string> {
  const result = assignor.assign(partitionsPerTopic, subscriptions);
  return Object.fromEntries([...result].map(([memberId, assignment]) => [memberId, formatTps(assignment.partitions)]));
}

/**
 * The interface's invariants: every member present; members get only partitions of topics they
 * subscribe to that exist; no partition twice; with `complete`, every partition of a subscribed
 * topic assigned.
 */
export function checkValidity(
  partitionsPerTopic: ReadonlyMap<string, number>,
  subscriptions: ReadonlyMap<string, MemberSubscription>,
  assignment: ReadonlyMap<string, readonly TopicPartition[]>,
  context: string,
  complete = true,
): void {
  expect([...assignment.keys()].sort(), `${context}: members`).toEqual([...subscriptions.keys()].sort());
  const seen = new Set<string>();
  for (const [memberId, partitions] of assignment) {
    const topics = subscriptions.get(memberId)!.topics;
    for (const p of partitions) {
      const key = `${p.topic}:${p.partition}`;
      expect(topics.includes(p.topic), `${context}: ${memberId} got ${key} without subscribing`).toBe(true);
      expect(p.partition >= 0 && p.partition < (partitionsPerTopic.get(p.topic) ?? 0), `${context}: ${key} exists`).toBe(true);
      expect(seen.has(key), `${context}: ${key} assigned twice`).toBe(false);
      seen.add(key);
    }
  }
  if (!complete) return;
  const subscribed = new Set([...subscriptions.values()].flatMap((s) => s.topics));
  for (const [topic, count] of partitionsPerTopic) {
    if (!subscribed.has(topic)) continue;
    for (let p = 0; p < count; p++) expect(seen.has(`${topic}:${p}`), `${context}: ${topic}:${p} unassigned`).toBe(true);
  }
}

export function loads(assignment: ReadonlyMap<string, readonly TopicPartition[]>): number[] {
  return [...assignment.values()].map((partitions) => partitions.length);
}

/** Kafka's getCanonicalName: prefix + i zero-padded to the digits of max ("t01" for 1 of 20). */
export function canonicalName(prefix: string, i: number, max: number): string {
  return prefix + String(i).padStart(String(max).length, '0');
}

/**
 * AbstractStickyAssignorTest.verifyValidityAndBalance: valid (see checkValidity, without
 * completeness), and any two members whose loads differ by two or more share no topic (else a
 * partition could have moved to the lighter one).
 */
export function verifyValidityAndBalance(
  partitionsPerTopic: ReadonlyMap<string, number>,
  subscriptions: ReadonlyMap<string, MemberSubscription>,
  assignment: ReadonlyMap<string, readonly TopicPartition[]>,
  context: string,
): void {
  checkValidity(partitionsPerTopic, subscriptions, assignment, context, false);
  const members = [...assignment.keys()].sort();
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      const mine = assignment.get(members[i]!)!;
      const other = assignment.get(members[j]!)!;
      if (Math.abs(mine.length - other.length) <= 1) continue;
      const otherTopics = new Set(other.map((p) => p.topic));
      for (const p of mine) {
        expect(otherTopics.has(p.topic), `${context}: ${members[i]} (${mine.length}) and ${members[j]} (${other.length}) share ${p.topic}`).toBe(false);
      }
    }
  }
}

export function isFullyBalanced(assignment: ReadonlyMap<string, readonly TopicPartition[]>): boolean {
  const sizes = loads(assignment);
  return sizes.length === 0 || Math.max(...sizes) - Math.min(...sizes) <= 1;
}

/** partitionsTransferringOwnership as "t:p=member,..." sorted, or null. */
export function formatTransferring(transferring: ReadonlyMap<string, { readonly partition: TopicPartition; readonly memberId: string }> | null): string | null {
  if (transferring === null) return null;
  return [...transferring.values()]
    .map(({ partition, memberId }) => `${partition.topic}:${partition.partition}=${memberId}`)
    .sort()
    .join(',');
}
