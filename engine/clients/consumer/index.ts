/** The in-process consumer's public surface (see kafka-consumer.ts and consumer-network.ts). */
export { KafkaConsumer, type KafkaConsumerOptions, type ConsumerCallback, type ConsumerMetricsSnapshot, type PartitionMetrics } from './kafka-consumer.js';
export { resolveConsumerConfig, ConsumerConfigSchema, CONSUMER_CONFIG_NAMES, type ConsumerConfig, type ConsumerConfigInput, type OffsetResetStrategy } from './consumer-config.js';
export { ConsumerError, isConsumerError, COMMIT_FAILED_MESSAGE, type ConsumerErrorName } from './consumer-errors.js';
export type { MemberState, Generation } from './consumer-coordinator.js';
export type * from './consumer-network.js';
export {
  ConsumerRecords,
  tpString,
  type ConsumerRecord,
  type ConsumerRecordHeader,
  type ConsumerRebalanceListener,
  type ConsumerGroupMetadata,
  type OffsetAndMetadata,
  type OffsetCommitCallback,
  type TopicPartition,
  type TopicPartitionOffset,
} from './consumer-record.js';
export type { ConsumerLogLine, LogLevel } from './consumer-log.js';
export { formatLine as formatConsumerLogLine } from './consumer-log.js';
export type { ConsumerMetricName } from './consumer-metrics.js';
export { stringDeserializer, bytesDeserializer, jsonDeserializer, deserializerNamed, type Deserializer, type DeserializerName } from './deserializers.js';
export { consumerLimits } from './consumer-limits.js';
