/**
 * Metadata (API key 3), versions 0-8 (none flexible): the brokers, the cluster id (v2+), the
 * controller (v1+), and each topic with its partitions' leader, leader epoch (v7+), replicas, ISR
 * and offline replicas (v5+), from the cluster status the workbench keeps. A killed or stopped
 * broker is not listed, as a real controller leaves it out of the metadata it serves; its
 * partitions show their leader as -1 and error LEADER_NOT_AVAILABLE when none is elected.
 *
 * Request: v0 topics is an array (empty: every topic; v1+: null means every topic, an empty array
 * none); v4+ allow_auto_topic_creation; v8+ include_cluster/topic_authorized_operations.
 */
import type { ClusterStatus } from '../api/dto.js';
import { WireWriter, type WireReader } from './wire.js';

export const UNKNOWN_TOPIC_OR_PARTITION = 3;
export const LEADER_NOT_AVAILABLE = 5;
export const INVALID_TOPIC_EXCEPTION = 17;

export interface MetadataRequest {
  /** null: every topic. */
  readonly topics: readonly string[] | null;
  readonly allowAutoTopicCreation: boolean;
}

/** Where clients reach a broker: the address its listener advertises. */
export interface AdvertisedBroker {
  readonly id: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
}

export function readMetadataRequest(reader: WireReader, version: number): MetadataRequest {
  const count = reader.arrayLength('topics', 2);
  const topics: string[] = [];
  for (let i = 0; i < (count ?? 0); i++) topics.push(reader.string('topics.name'));
  const allowAutoTopicCreation = version >= 4 ? reader.boolean('allow_auto_topic_creation') : true;
  if (version >= 8) {
    reader.boolean('include_cluster_authorized_operations');
    reader.boolean('include_topic_authorized_operations');
  }
  // v0: an empty list asks for every topic; v1+: null does, and an empty list asks for none.
  const all = count === null || (version === 0 && count === 0);
  return { topics: all ? null : topics, allowAutoTopicCreation };
}

/**
 * `justCreated`: topics this request auto-created. Kafka answers them LEADER_NOT_AVAILABLE with no
 * partitions this once (KafkaApis' createTopic path); the client asks again and finds the leaders.
 */
export function writeMetadataResponse(version: number, request: MetadataRequest, status: ClusterStatus, brokers: readonly AdvertisedBroker[], justCreated: ReadonlySet<string> = new Set()): Uint8Array {
  const out = new WireWriter(512);
  if (version >= 3) out.int32(0); // throttle_time_ms
  out.int32(brokers.length);
  for (const broker of brokers) {
    out.int32(broker.id).nullableString(broker.host).int32(broker.port);
    if (version >= 1) out.nullableString(broker.rack);
  }
  if (version >= 2) out.nullableString(status.clusterId);
  if (version >= 1) out.int32(status.controllerId ?? -1);

  const known = new Map(status.topics.map((topic) => [topic.name, topic]));
  const names = request.topics ?? status.topics.filter((t) => !t.internal || version >= 1).map((t) => t.name);
  out.int32(names.length);
  for (const name of names) {
    const topic = known.get(name);
    if (topic === undefined || justCreated.has(name)) {
      out.int16(topic === undefined ? UNKNOWN_TOPIC_OR_PARTITION : LEADER_NOT_AVAILABLE).nullableString(name);
      if (version >= 1) out.boolean(false);
      out.int32(0);
      if (version >= 8) out.int32(-2147483648);
      continue;
    }
    out.int16(0).nullableString(topic.name);
    if (version >= 1) out.boolean(topic.internal);
    out.int32(topic.partitions.length);
    for (const partition of topic.partitions) {
      const leader = partition.leader ?? -1;
      out.int16(leader === -1 ? LEADER_NOT_AVAILABLE : 0).int32(partition.partition).int32(leader);
      if (version >= 7) out.int32(partition.leaderEpoch);
      writeInt32Array(out, partition.replicas);
      writeInt32Array(out, partition.isr);
      if (version >= 5) {
        const alive = new Set(brokers.map((b) => b.id));
        writeInt32Array(
          out,
          partition.replicas.filter((id) => !alive.has(id)),
        );
      }
    }
    if (version >= 8) out.int32(-2147483648); // topic_authorized_operations: not computed
  }
  if (version >= 8) out.int32(-2147483648); // cluster_authorized_operations: not computed
  return out.finish();
}

function writeInt32Array(out: WireWriter, values: readonly number[]): void {
  out.int32(values.length);
  for (const value of values) out.int32(value);
}
