/**
 * Every Kafka tool the console knows, by the name a learner types (without bin/, ./, .sh or .bat).
 */
import { toolRegistry, type ToolRegistry } from '../console-runner.js';
import { kafkaConsoleConsumer } from './kafka-console-consumer.js';
import { kafkaConsoleProducer } from './kafka-console-producer.js';
import { kafkaConsumerPerfTest } from './kafka-consumer-perf-test.js';
import { kafkaProducerPerfTest } from './kafka-producer-perf-test.js';
import { kafkaTopicsTool } from './kafka-topics.js';

export const CONSOLE_TOOLS: ToolRegistry = toolRegistry([kafkaTopicsTool, kafkaConsoleProducer, kafkaConsoleConsumer, kafkaProducerPerfTest, kafkaConsumerPerfTest]);
