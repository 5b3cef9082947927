/**
 * The Kafka listeners' admin port over a workbench: creations, deletions and partition increases
 * go through the workbench's own command handlers, so they reach the timeline ("Created topic
 * ...") and push the new status to the views exactly as the same change made in the app does.
 */
import type { WireAdmin } from '../protocol/wire-admin.js';
import type { Workbench } from './workbench.js';

/** The simulated network client real clients' InitProducerId travels as. */
const WIRE_CLIENT_ID = 'kafka-wire-listeners';

export function wireAdminOf(workbench: Workbench): WireAdmin {
  const handlers = workbench.commandHandlers;
  const cluster = workbench.cluster;
  return {
    createTopic: (spec, validateOnly) => {
      const request = { name: spec.name, partitions: spec.partitions, replicationFactor: spec.replicationFactor, configs: { ...spec.configs }, replicaAssignment: spec.replicaAssignment?.map((r) => [...r]) };
      if (validateOnly) cluster.validateCreateTopic(request);
      else void handlers.createTopic(request);
    },
    deleteTopic: (name) => void handlers.deleteTopic({ name }),
    createPartitions: (name, totalCount, assignment, validateOnly) => {
      const replicaAssignment = assignment?.map((r) => [...r]);
      if (validateOnly) cluster.validateCreatePartitions(name, totalCount, replicaAssignment);
      else void handlers.createPartitions({ name, totalCount, replicaAssignment });
    },
    describeConfigs: (resource) => (resource.type === 'topic' ? cluster.describeTopicConfigs(resource.name) : cluster.describeBrokerConfigs()),
    initProducerId: (done) => cluster.producerNetwork(WIRE_CLIENT_ID).initProducerId(done),
    autoCreate: (name) => {
      // As Kafka's auto-creation: the brokers' num.partitions and default.replication.factor.
      if (cluster.brokerConfig('auto.create.topics.enable') !== 'true') return false;
      handlers.createTopic({ name, partitions: -1, replicationFactor: -1, configs: {} });
      return true;
    },
  };
}
