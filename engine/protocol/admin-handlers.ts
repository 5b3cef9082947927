/**
 * What a broker does with the admin requests a real client sends (CreateTopics, DeleteTopics,
 * CreatePartitions, DescribeConfigs, InitProducerId) and with a Metadata request that names a topic
 * the cluster does not have: Kafka's request-level checks (KafkaApis, ControllerApis), then the
 * shown cluster's own admin operations through `WireAdmin`, whose KafkaErrors become the per-topic
 * error code and message of the response.
 *
 * Every function takes a decoded request and answers a response body; none throws for a topic
 * that fails (that topic's result carries the error), only for a request that does not parse.
 */
import type { ConfigEntry } from '../cluster/broker-configs.js';
import { isKafkaError, KafkaError, type KafkaErrorName } from '../core/kafka-errors.js';
import {
  writeCreatePartitionsResponse,
  writeCreateTopicsResponse,
  writeDeleteTopicsResponse,
  writeDescribeConfigsResponse,
  writeInitProducerIdResponse,
  type WireCreatableTopic,
  type WireCreatePartitionsRequest,
  type WireCreateTopicsRequest,
  type WireDeleteTopicsRequest,
  type WireDescribeConfigsRequest,
  type WireDescribeConfigsResource,
  type WireDescribeConfigsResult,
  type WireInitProducerIdRequest,
  type WireTopicResult,
} from './admin-apis.js';
import type { WireAdmin } from './wire-admin.js';

/** KafkaApis' message for a topic named twice in one CreateTopics / CreatePartitions request. */
const DUPLICATE_TOPIC = 'Duplicate topic name.';
const DUPLICATE_PARTITIONS_TOPIC = 'Duplicate topic in request.';

/** The error a failed admin operation answers: a KafkaError's own name and message; anything else is the broker's fault. */
export function errorOf(error: unknown): { error: Exclude<KafkaErrorName, 'NONE'>; errorMessage: string } {
  if (isKafkaError(error)) return { error: error.errorName, errorMessage: error.message };
  return { error: 'UNKNOWN_SERVER_ERROR', errorMessage: (error as Error).message };
}

/** Runs one topic's operation; its KafkaError becomes that topic's result. */
function topicResult(name: string, apply: () => void): WireTopicResult {
  try {
    apply();
    return { name, error: 'NONE', errorMessage: null };
  } catch (error) {
    return { name, ...errorOf(error) };
  }
}

/** Names that occur more than once: Kafka answers every copy INVALID_REQUEST and acts on none. */
function duplicates(names: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const name of names) (seen.has(name) ? twice : seen).add(name);
  return twice;
}

export function createTopics(admin: WireAdmin, version: number, request: WireCreateTopicsRequest): Uint8Array {
  const twice = duplicates(request.topics.map((t) => t.name));
  const results = request.topics.map((topic): WireTopicResult => {
    if (twice.has(topic.name)) return { name: topic.name, error: 'INVALID_REQUEST', errorMessage: DUPLICATE_TOPIC };
    return topicResult(topic.name, () => admin.createTopic(topicSpecOf(topic), request.validateOnly));
  });
  return writeCreateTopicsResponse(version, results);
}

/** A CreatableTopic as the cluster's createTopic takes it, after the checks Kafka makes on the request itself. */
function topicSpecOf(topic: WireCreatableTopic): Parameters<WireAdmin['createTopic']>[0] {
  if (topic.nullConfigs.length > 0) throw new KafkaError('INVALID_CONFIG', `Null value not supported for topic configs: ${topic.nullConfigs.join(',')}`);
  if (topic.assignments.length === 0) return { name: topic.name, partitions: topic.numPartitions, replicationFactor: topic.replicationFactor, configs: topic.configs };
  if (topic.numPartitions !== -1 || topic.replicationFactor !== -1) {
    throw new KafkaError('INVALID_REQUEST', 'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.');
  }
  const ordered = [...topic.assignments].sort((a, b) => a.partition - b.partition);
  ordered.forEach((assignment, index) => {
    if (assignment.partition !== index) throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', 'Partitions should be consecutive and start from 0.');
  });
  return { name: topic.name, partitions: -1, replicationFactor: -1, configs: topic.configs, replicaAssignment: ordered.map((a) => a.brokerIds) };
}

export function deleteTopics(admin: WireAdmin, version: number, request: WireDeleteTopicsRequest): Uint8Array {
  const results = request.topicNames.map((name) => {
    const result = topicResult(name, () => admin.deleteTopic(name));
    return { name, error: result.error };
  });
  return writeDeleteTopicsResponse(version, results);
}

export function createPartitions(admin: WireAdmin, request: WireCreatePartitionsRequest): Uint8Array {
  const twice = duplicates(request.topics.map((t) => t.name));
  const results = request.topics.map((topic): WireTopicResult => {
    if (twice.has(topic.name)) return { name: topic.name, error: 'INVALID_REQUEST', errorMessage: DUPLICATE_PARTITIONS_TOPIC };
    return topicResult(topic.name, () => admin.createPartitions(topic.name, topic.count, topic.assignments ?? undefined, request.validateOnly));
  });
  return writeCreatePartitionsResponse(results);
}

/** DescribeConfigs on broker `brokerId`: topic configs, and this broker's (the cluster-wide set the workbench keeps). */
export function describeConfigs(admin: WireAdmin, version: number, brokerId: number, request: WireDescribeConfigsRequest): Uint8Array {
  const results = request.resources.map((resource): WireDescribeConfigsResult => {
    const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
    try {
      const entries = configsOf(admin, brokerId, resource);
      const wanted = resource.configurationKeys === null || resource.configurationKeys.length === 0 ? null : new Set(resource.configurationKeys);
      const configs = entries
        .filter((entry) => wanted === null || wanted.has(entry.name))
        .map((entry) => ({ name: entry.name, value: entry.value, source: entry.source, ...(request.includeSynonyms ? { synonyms: [{ name: entry.name, value: entry.value, source: entry.source }] } : {}) }));
      return { ...base, error: 'NONE', errorMessage: null, configs };
    } catch (error) {
      return { ...base, ...errorOf(error), configs: [] };
    }
  });
  return writeDescribeConfigsResponse(version, results);
}

function configsOf(admin: WireAdmin, brokerId: number, resource: WireDescribeConfigsResource): readonly ConfigEntry[] {
  switch (resource.kind) {
    case 'topic':
      return admin.describeConfigs({ type: 'topic', name: resource.resourceName });
    case 'broker':
      // ConfigHelper: a broker answers for itself or for the cluster-wide defaults ("").
      if (resource.resourceName !== '' && resource.resourceName !== String(brokerId)) {
        throw new KafkaError('INVALID_REQUEST', `Unexpected broker id, expected ${brokerId} or empty string, but received ${resource.resourceName}`);
      }
      return admin.describeConfigs({ type: 'broker' });
    case 'brokerLogger':
      throw new KafkaError('INVALID_REQUEST', 'The workbench keeps no broker log4j loggers: BROKER_LOGGER configs cannot be described.');
    case null:
      throw new KafkaError('INVALID_REQUEST', `Unsupported resource type: ${resource.resourceType}`);
  }
}

/** InitProducerId for an idempotent producer; a transactional id needs a transaction coordinator, which the workbench has none of. */
export function initProducerId(admin: WireAdmin, request: WireInitProducerIdRequest): Promise<Uint8Array> {
  if (request.transactionalId !== null) return Promise.resolve(writeInitProducerIdResponse({ error: 'COORDINATOR_NOT_AVAILABLE' }));
  return new Promise((resolve) =>
    admin.initProducerId((answer) =>
      resolve(
        answer.ok
          ? writeInitProducerIdResponse({ error: 'NONE', producerId: answer.producerIdAndEpoch.producerId, producerEpoch: answer.producerIdAndEpoch.producerEpoch })
          : writeInitProducerIdResponse({ error: answer.error }),
      ),
    ),
  );
}

/**
 * A Metadata request for topics the cluster lacks: each is created when the client allows it and
 * auto.create.topics.enable does (`admin.autoCreate` decides). Returns the ones created now, which
 * Kafka answers LEADER_NOT_AVAILABLE this once (the client asks again and finds the leaders).
 */
export function autoCreateTopics(admin: WireAdmin, requested: readonly string[] | null, allowAutoTopicCreation: boolean, existing: ReadonlySet<string>): Set<string> {
  const created = new Set<string>();
  if (requested === null || !allowAutoTopicCreation) return created;
  for (const name of requested) {
    if (existing.has(name) || created.has(name)) continue;
    try {
      if (admin.autoCreate(name)) created.add(name);
    } catch {
      // An invalid name or a cluster that cannot create now: the topic stays unknown, as in Kafka.
    }
  }
  return created;
}
