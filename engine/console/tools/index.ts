/**
 * Every Kafka tool the console knows, by the name a learner types (without bin/, ./, .sh or .bat).
 */
import { toolRegistry, type ToolRegistry } from '../console-runner.js';
import { kafkaConfigsTool } from './kafka-configs.js';
import { kafkaConsoleConsumer } from './kafka-console-consumer.js';
import { kafkaConsoleProducer } from './kafka-console-producer.js';
import { kafkaConsumerGroupsTool } from './kafka-consumer-groups.js';
import { kafkaConsumerPerfTest } from './kafka-consumer-perf-test.js';
import { kafkaGetOffsetsTool } from './kafka-get-offsets.js';
import { kafkaLeaderElectionTool } from './kafka-leader-election.js';
import { kafkaMetadataQuorumTool } from './kafka-metadata-quorum.js';
import { kafkaProducerPerfTest } from './kafka-producer-perf-test.js';
import { kafkaReassignPartitionsTool } from './kafka-reassign-partitions.js';
import { kafkaTopicsTool } from './kafka-topics.js';

export const CONSOLE_TOOLS: ToolRegistry = toolRegistry([
  kafkaTopicsTool,
  kafkaConfigsTool,
  kafkaConsoleProducer,
  kafkaConsoleConsumer,
  kafkaConsumerGroupsTool,
  kafkaReassignPartitionsTool,
  kafkaLeaderElectionTool,
  kafkaMetadataQuorumTool,
  kafkaGetOffsetsTool,
  kafkaProducerPerfTest,
  kafkaConsumerPerfTest,
]);
