/**
 * The port between the Kafka listeners and the shown cluster's admin side: what CreateTopics,
 * DeleteTopics, CreatePartitions, DescribeConfigs and InitProducerId need, reduced to the
 * operations the workbench already has (the host implements it over the workbench, so a topic a
 * real client creates shows on the timeline and in the views like one made in the app).
 *
 * Contract: every operation applies Kafka's checks and throws a KafkaError (its Kafka error name
 * and message go back to the client) when one fails; with `validateOnly` nothing changes.
 */
import type { InitProducerIdAnswer } from '../clients/producer/producer-network.js';
import type { ConfigEntry } from '../cluster/broker-configs.js';

export interface WireTopicSpec {
  readonly name: string;
  /** -1: the cluster's num.partitions. */
  readonly partitions: number;
  /** -1: the cluster's default.replication.factor. */
  readonly replicationFactor: number;
  readonly configs: Readonly<Record<string, string>>;
  readonly replicaAssignment?: readonly (readonly number[])[] | undefined;
}

export interface WireAdmin {
  createTopic(spec: WireTopicSpec, validateOnly: boolean): void;
  deleteTopic(name: string): void;
  createPartitions(name: string, totalCount: number, assignment: readonly (readonly number[])[] | undefined, validateOnly: boolean): void;
  /** Every config of a topic, or of the brokers (one cluster-wide set, as the workbench keeps them). */
  describeConfigs(resource: { readonly type: 'topic'; readonly name: string } | { readonly type: 'broker' }): readonly ConfigEntry[];
  /** A producer id for an idempotent producer (InitProducerId without a transactional id). */
  initProducerId(done: (answer: InitProducerIdAnswer) => void): void;
  /** Creates a topic a Metadata request names, when auto.create.topics.enable allows; false when it does not exist after. */
  autoCreate(name: string): boolean;
}
