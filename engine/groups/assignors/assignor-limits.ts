/**
 * Bounds of the partition assignors, each with why it has its value. The group-wide bounds are in
 * engine/groups/group-limits.ts and the engine-wide ones in engine/core/limits.ts; these only
 * matter while the group leader computes an assignment.
 */
import { limits } from '../../core/limits.js';
import { groupLimits } from '../group-limits.js';

export const assignorLimits = {
  /** Members one assignment covers: a group never has more (groupLimits.membersPerGroupMax). */
  membersPerAssignmentMax: groupLimits.membersPerGroupMax,
  /**
   * Topic-partitions one assignment covers: every partition the cluster can hold
   * (topicsMax x partitionsPerTopicMax = 1,000,000, also the size of Kafka's own largest
   * assignor test).
   */
  partitionsPerAssignmentMax: limits.topicsMax * limits.partitionsPerTopicMax,
  /**
   * Partition moves one sticky balancing run may make (AbstractStickyAssignor's
   * performReassignments loop, which Kafka does not bound). A run moves each partition a few times
   * at most; ten million (ten per partition of the largest assignment) means the loop does not
   * converge, and the assertion stops it instead of hanging the engine worker.
   */
  stickyBalanceMovesMax: 10_000_000,
} as const;
