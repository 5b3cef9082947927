/**
 * The client-side partition assignor interface, after Kafka's ConsumerPartitionAssignor: the group
 * leader's consumer runs the assignor chosen by the coordinator's protocol vote over every
 * member's subscription, and sends the result in SyncGroup. The coordinator never looks inside.
 *
 * Invariants every assignor keeps (checked by its tests): every partition of a subscribed topic
 * goes to exactly one member subscribed to that topic; a member gets only partitions of topics it
 * subscribed to; the same inputs give the same output (no randomness, no clock).
 */

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A member's subscription as the leader decodes it from ConsumerProtocolSubscription (v0–v3). */
export interface MemberSubscription {
  readonly topics: readonly string[];
  /** Assignor-specific bytes (the sticky assignor's v0 user data), null when none. */
  readonly userData: Uint8Array | null;
  /** Partitions the member owns now (v1+); what cooperative and sticky assignors keep stable. */
  readonly ownedPartitions: readonly TopicPartition[];
  /** The generation in which the owned partitions were assigned (v2+), -1 when unknown. */
  readonly generationId: number;
  readonly rackId: string | null;
  /**
   * The member's group.instance.id (static membership), which range and roundrobin sort by. Not
   * part of the subscription bytes: the leader takes it from the JoinGroup response member, as
   * Kafka's ConsumerCoordinator does (Subscription.setGroupInstanceId). Absent or null: dynamic.
   */
  readonly groupInstanceId?: string | null;
}

export interface MemberAssignment {
  readonly partitions: readonly TopicPartition[];
  readonly userData: Uint8Array | null;
}

/** EAGER: revoke everything before a rebalance. COOPERATIVE: revoke only what moves (KIP-429). */
export type RebalanceProtocol = 'EAGER' | 'COOPERATIVE';

export interface PartitionAssignor {
  /** The protocol name members vote with: "range", "roundrobin", "sticky", "cooperative-sticky". */
  readonly name: string;
  /**
   * The first is the one the assignor prefers. As in Kafka, cooperative-sticky supports both
   * (COOPERATIVE, EAGER) so that it can share a consumer's list with range; the consumer uses the
   * highest protocol every assignor in its list supports.
   */
  readonly supportedProtocols: readonly RebalanceProtocol[];
  /**
   * @param partitionsPerTopic partition count of every topic some member subscribes to (topics
   *   that do not exist are absent; their subscribers get nothing from them)
   * @param subscriptions by member id; iteration order is irrelevant (assignors sort)
   * @returns an assignment for every member in `subscriptions` (possibly empty)
   */
  assign(
    partitionsPerTopic: ReadonlyMap<string, number>,
    subscriptions: ReadonlyMap<string, MemberSubscription>,
  ): Map<string, MemberAssignment>;
  /**
   * The user data this assignor puts into its member's next subscription (Kafka's
   * subscriptionUserData after onAssignment), from the member's last assignment and the generation
   * it came with; `previous` is null before the first assignment. Absent: no user data.
   */
  subscriptionUserData?(previous: PreviousAssignment | null): Uint8Array | null;
}

/** What a member remembers of its last assignment, for the assignor's subscription user data. */
export interface PreviousAssignment {
  readonly partitions: readonly TopicPartition[];
  readonly generationId: number;
}
