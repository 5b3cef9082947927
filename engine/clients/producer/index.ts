/** The in-process producer's public surface (see kafka-producer.ts and producer-network.ts). */
export { KafkaProducer, type KafkaProducerOptions } from './kafka-producer.js';
export { resolveProducerConfig, ProducerConfigSchema, KAFKA_CONFIG_NAMES, type ProducerConfig, type ProducerConfigInput } from './producer-config.js';
export { ProducerError, isProducerError, type ProducerErrorName, type ProduceErrorName } from './producer-errors.js';
export type * from './producer-network.js';
export type { ProducerRecord, RecordMetadata, SendCallback, SendHandle } from './producer-record.js';
export type { ProducerMetricName, ProducerMetricsSnapshot } from './producer-metrics.js';
export { stringSerializer, bytesSerializer, jsonSerializer, serializerNamed, type Serializer, type SerializerName } from './serializers.js';
export { PartitionerConfigSchema, type PartitionerConfig } from '../partitioners/partitioner-config.js';
