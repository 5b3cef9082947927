/**
 * Bounds of the consumer-group code (coordinator, committed-offsets store, assignors), each with why
 * it has its value. Engine-wide bounds live in engine/core/limits.ts; these only matter under
 * engine/groups. Where Kafka itself has a bound (a STRING field's int16 length), it is quoted.
 */
import { limits } from '../core/limits.js';

export const groupLimits = {
  /**
   * Groups one coordinator holds (loaded or created). Kafka has no bound; here every group is a
   * live object in the worker and a row in the UI. 10,000 is far beyond any lab (a handful) and
   * any script that creates groups in a loop is stopped with COORDINATOR_NOT_AVAILABLE.
   */
  groupsPerCoordinatorMax: 10_000,
  /**
   * Members of one group, whatever group.max.size says (Kafka's default is Int.MaxValue: no bound).
   * A member is a client; the engine holds at most `limits.clientsMax` in-process clients, and
   * wire-protocol clients are far fewer. Past it: GROUP_MAX_SIZE_REACHED, as Kafka answers for
   * group.max.size.
   */
  membersPerGroupMax: limits.clientsMax,
  /**
   * Dynamic members that got MEMBER_ID_REQUIRED and have not rejoined yet (KIP-394). Each expires
   * after its session timeout; a client retrying JoinGroup with an empty member id in a tight loop
   * would otherwise grow the set without bound. Past it: GROUP_MAX_SIZE_REACHED.
   */
  pendingMembersPerGroupMax: limits.clientsMax,
  /**
   * Protocols (assignor names) one member may offer in JoinGroup. The Java consumer offers two by
   * default; 64 is more than every assignor that exists. Past it: INVALID_REQUEST.
   */
  protocolsPerMemberMax: 64,
  /**
   * Committed offsets one group may hold (one per topic-partition it commits). The cluster holds
   * at most topicsMax x partitionsPerTopicMax partitions; 100,000 covers a group consuming a
   * hundred 1,000-partition topics. Past it: INVALID_COMMIT_OFFSET_SIZE for the new partitions.
   */
  offsetsPerGroupMax: 100_000,
  /**
   * Topic-partitions in one OffsetCommit or OffsetFetch request: one group's worth of offsets.
   * Past it the whole request is refused: INVALID_COMMIT_OFFSET_SIZE for every partition of a
   * commit, INVALID_REQUEST for a fetch.
   */
  partitionsPerOffsetRequestMax: 100_000,
  /** Group ids in one DescribeGroups / DeleteGroups request: every group a coordinator can hold. */
  groupIdsPerRequestMax: 10_000,
  /**
   * Appends to __consumer_offsets waiting for the broker's acks=all callback. Each is an offset
   * commit or a group-metadata write whose response waits; a broker that never answers would
   * otherwise pile them up. Past it: COORDINATOR_NOT_AVAILABLE (retriable) for new commits.
   */
  appendsInFlightMax: 100_000,
  /**
   * Kafka's STRING fields (group id, topic, member id, client id, metadata) carry an int16 length,
   * so 32,767 UTF-8 bytes is the longest one the offsets-record codec can write.
   */
  stringBytesMax: 0x7fff,
  /** Members one GroupMetadataValue record may carry when it is decoded: the group bound itself. */
  membersPerRecordMax: limits.clientsMax,
  /**
   * Responses and events queued while one coordinator call runs, before they are delivered. One
   * call answers at most every member of a group plus its own request; 100,000 means a loop.
   */
  outboxMax: 100_000,
} as const;
