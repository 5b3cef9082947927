/**
 * Kafka's StickyAssignor ("sticky", EAGER; org.apache.kafka.clients.consumer.StickyAssignor): the
 * sticky algorithm of abstract-sticky.ts with the eager protocol, so every member gives up all its
 * partitions before it rejoins and remembers what it had only in its subscription's user data.
 *
 * The user data is Kafka's StickyAssignorUserData schema (the old Struct encoding):
 *   v0: previous_assignment [topic STRING (int16 length + UTF-8), partitions [INT32]]
 *   v1: v0 + generation INT32
 * Kafka writes v1, with the topics in the order of the HashMap that groups them (computeIfAbsent
 * order, java-hash-order.ts); it reads v1 and falls back
 * to v0, and bytes that are neither count as "no previous assignment, generation -1". The
 * previous assignment comes only from the user data, never from the subscription's owned
 * partitions (an eager member owns nothing while it rejoins).
 *
 * Invariants: those of abstract-sticky.ts; decoding user data never throws and never allocates
 * more than the bytes hold.
 */
import type { MemberAssignment, MemberSubscription, PartitionAssignor, PreviousAssignment, RebalanceProtocol, TopicPartition } from './assignor.js';
import { assignSticky, DEFAULT_GENERATION, type StickyMemberData } from './abstract-sticky.js';
import { toMemberAssignments } from './assignor-support.js';
import { topicsInGroupByTopicOrder } from './java-hash-order.js';
import { ProtocolReader, ProtocolWriter, SchemaException } from '../consumer-protocol.js';

export const STICKY_ASSIGNOR_NAME = 'sticky';

export class StickyAssignor implements PartitionAssignor {
  readonly name = STICKY_ASSIGNOR_NAME;
  readonly supportedProtocols: readonly RebalanceProtocol[] = ['EAGER'];

  assign(partitionsPerTopic: ReadonlyMap<string, number>, subscriptions: ReadonlyMap<string, MemberSubscription>): Map<string, MemberAssignment> {
    return toMemberAssignments(assignSticky(partitionsPerTopic, subscriptions, stickyMemberData).assignment);
  }

  /** StickyAssignor.subscriptionUserData: nothing before the first assignment, then v1 user data. */
  subscriptionUserData(previous: PreviousAssignment | null): Uint8Array | null {
    return previous === null ? null : encodeStickyAssignorUserData(previous.partitions, previous.generationId);
  }
}

/** StickyAssignor.memberData: the previous assignment and generation, from the user data only. */
export function stickyMemberData(subscription: MemberSubscription): StickyMemberData {
  const userData = subscription.userData;
  if (userData === null || userData.length === 0) return { partitions: [], generation: null };
  return decodeStickyAssignorUserData(userData) ?? { partitions: [], generation: DEFAULT_GENERATION };
}

/**
 * StickyAssignor.serializeTopicPartitionAssignment: v1 with a generation; v0 (the pre-2.3 layout)
 * when `generation` is null, as old members sent it.
 */
export function encodeStickyAssignorUserData(partitions: readonly TopicPartition[], generation: number | null): Uint8Array {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    const list = byTopic.get(topic) ?? [];
    list.push(partition);
    byTopic.set(topic, list);
  }
  const writer = new ProtocolWriter();
  writer.array(topicsInGroupByTopicOrder(partitions), (topic) => {
    writer.string(topic, 'topic');
    writer.array(byTopic.get(topic)!, (partition) => writer.int32(partition));
  });
  if (generation !== null) writer.int32(generation);
  return writer.toBytes();
}

/** StickyAssignor.deserializeTopicPartitionAssignment: v1, else v0, else null (unreadable). */
export function decodeStickyAssignorUserData(bytes: Uint8Array): StickyMemberData | null {
  return readUserData(bytes, true) ?? readUserData(bytes, false);
}

function readUserData(bytes: Uint8Array, withGeneration: boolean): StickyMemberData | null {
  try {
    const reader = new ProtocolReader(bytes, 'StickyAssignorUserData');
    const groups = reader.array('previous_assignment', () => {
      const topic = reader.string('topic');
      return reader.array('partitions', () => reader.int32()).map((partition) => ({ topic, partition }));
    });
    const generation = withGeneration ? reader.int32() : null;
    return { partitions: groups.flat(), generation };
  } catch (error) {
    if (error instanceof SchemaException) return null;
    throw error;
  }
}
