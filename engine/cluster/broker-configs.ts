/**
 * Cluster-wide dynamic broker configs (`kafka-configs --entity-type brokers --entity-default`):
 * the defaults every topic and every broker falls back on, with Kafka's names and defaults. A topic
 * override wins over them; they win over Kafka's built-in defaults. Per-broker overrides are not
 * modelled: every broker of the embedded cluster shares these (the UI says so).
 */
import { KafkaError } from '../core/kafka-errors.js';
import { TOPIC_CONFIGS, validateTopicConfigs } from './topic-configs.js';

interface BrokerConfigDef {
  readonly defaultValue: string;
  /** The topic config this broker config is the default of (log.retention.ms → retention.ms). */
  readonly topicConfig?: string;
  readonly validate: (value: string) => string | null;
}

const positiveInt = (min: number) => (value: string): string | null =>
  /^\d+$/.test(value) && Number(value) >= min && Number(value) <= Number.MAX_SAFE_INTEGER ? null : `Value must be a whole number of at least ${min}`;
const bool = (value: string): string | null => (value === 'true' || value === 'false' ? null : 'Expected value to be either true or false');
const viaTopic = (topicConfig: string) => (value: string): string | null => {
  try {
    validateTopicConfigs({ [topicConfig]: value });
    return null;
  } catch (error) {
    return (error as Error).message;
  }
};

export const BROKER_CONFIGS: Readonly<Record<string, BrokerConfigDef>> = {
  'auto.create.topics.enable': { defaultValue: 'true', validate: bool },
  'num.partitions': { defaultValue: '1', validate: positiveInt(1) },
  'default.replication.factor': { defaultValue: '1', validate: positiveInt(1) },
  'delete.topic.enable': { defaultValue: 'true', validate: bool },
  'min.insync.replicas': { defaultValue: '1', topicConfig: 'min.insync.replicas', validate: viaTopic('min.insync.replicas') },
  'unclean.leader.election.enable': { defaultValue: 'false', topicConfig: 'unclean.leader.election.enable', validate: viaTopic('unclean.leader.election.enable') },
  'log.retention.ms': { defaultValue: '604800000', topicConfig: 'retention.ms', validate: viaTopic('retention.ms') },
  'log.retention.bytes': { defaultValue: '-1', topicConfig: 'retention.bytes', validate: viaTopic('retention.bytes') },
  'log.segment.bytes': { defaultValue: '1073741824', topicConfig: 'segment.bytes', validate: viaTopic('segment.bytes') },
  'log.cleanup.policy': { defaultValue: 'delete', topicConfig: 'cleanup.policy', validate: viaTopic('cleanup.policy') },
  'message.max.bytes': { defaultValue: '1048588', topicConfig: 'max.message.bytes', validate: viaTopic('max.message.bytes') },
  'compression.type': { defaultValue: 'producer', topicConfig: 'compression.type', validate: viaTopic('compression.type') },
  /**
   * Replication throttle for replicas being added by a reassignment, in bytes/s (what
   * kafka-reassign-partitions --throttle sets). Kafka's default is Long.MAX_VALUE: no throttle.
   */
  'leader.replication.throttled.rate': { defaultValue: String(Number.MAX_SAFE_INTEGER), validate: positiveInt(1) },
  // The group coordinator's (static in Kafka, settable here so a lab can shorten the initial delay).
  'group.initial.rebalance.delay.ms': { defaultValue: '3000', validate: positiveInt(0) },
  'group.min.session.timeout.ms': { defaultValue: '6000', validate: positiveInt(0) },
  'group.max.session.timeout.ms': { defaultValue: '1800000', validate: positiveInt(0) },
  'group.max.size': { defaultValue: '2147483647', validate: positiveInt(1) },
  'offsets.retention.minutes': { defaultValue: '10080', validate: positiveInt(1) },
  'offsets.retention.check.interval.ms': { defaultValue: '600000', validate: positiveInt(1) },
  'offset.metadata.max.bytes': { defaultValue: '4096', validate: positiveInt(0) },
  'offsets.commit.timeout.ms': { defaultValue: '5000', validate: positiveInt(1) },
  /** Read when __consumer_offsets is created, on the first FindCoordinator. */
  'offsets.topic.num.partitions': { defaultValue: '50', validate: positiveInt(1) },
  /** Kafka's default is 3; a cluster with fewer brokers uses all it has (as single-broker dev setups configure). */
  'offsets.topic.replication.factor': { defaultValue: '3', validate: positiveInt(1) },
};

/** Validates a change to the cluster-wide broker configs; throws INVALID_CONFIG with Kafka's words. */
export function validateBrokerConfigs(set: Readonly<Record<string, string>>, remove: readonly string[]): void {
  for (const name of [...Object.keys(set), ...remove]) {
    if (BROKER_CONFIGS[name] === undefined) throw new KafkaError('INVALID_CONFIG', `Unknown broker config name: ${name}`);
  }
  for (const [name, value] of Object.entries(set)) {
    const problem = BROKER_CONFIGS[name]!.validate(value.trim());
    if (problem !== null) throw new KafkaError('INVALID_CONFIG', `Invalid value ${value} for configuration ${name}: ${problem}`);
  }
}

export function brokerConfig(overrides: Readonly<Record<string, string>>, name: string): string {
  const def = BROKER_CONFIGS[name];
  if (def === undefined) throw new KafkaError('INVALID_CONFIG', `Unknown broker config name: ${name}`);
  return overrides[name] ?? def.defaultValue;
}

/** topic config name → the broker config that is its cluster-wide default (retention.ms → log.retention.ms). */
const BROKER_CONFIG_FOR_TOPIC_CONFIG: ReadonlyMap<string, string> = new Map(
  Object.entries(BROKER_CONFIGS).flatMap(([name, def]) => (def.topicConfig === undefined ? [] : [[def.topicConfig, name] as const])),
);

/** The broker-level default for a topic config, when the cluster's broker configs set one. */
export function brokerDefaultForTopicConfig(overrides: Readonly<Record<string, string>>, topicConfig: string): string | undefined {
  const brokerName = BROKER_CONFIG_FOR_TOPIC_CONFIG.get(topicConfig);
  return brokerName === undefined ? undefined : overrides[brokerName];
}

export interface ConfigEntry {
  readonly name: string;
  readonly value: string;
  /** Where the value comes from, in Kafka's DescribeConfigs vocabulary. */
  readonly source: 'DYNAMIC_TOPIC_CONFIG' | 'DYNAMIC_DEFAULT_BROKER_CONFIG' | 'DEFAULT_CONFIG';
}

/** Every topic config with its effective value and source, as `kafka-configs --describe --all` lists it. */
export function describeTopicConfigs(topicOverrides: Readonly<Record<string, string>>, brokerOverrides: Readonly<Record<string, string>>): ConfigEntry[] {
  return Object.keys(TOPIC_CONFIGS)
    .sort()
    .map((name) => {
      if (topicOverrides[name] !== undefined) return { name, value: topicOverrides[name], source: 'DYNAMIC_TOPIC_CONFIG' as const };
      const brokerDefault = brokerDefaultForTopicConfig(brokerOverrides, name);
      if (brokerDefault !== undefined) return { name, value: brokerDefault, source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' as const };
      return { name, value: TOPIC_CONFIGS[name]!.defaultValue, source: 'DEFAULT_CONFIG' as const };
    });
}

export function describeBrokerConfigs(brokerOverrides: Readonly<Record<string, string>>): ConfigEntry[] {
  return Object.keys(BROKER_CONFIGS)
    .sort()
    .map((name) =>
      brokerOverrides[name] !== undefined
        ? { name, value: brokerOverrides[name], source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' as const }
        : { name, value: BROKER_CONFIGS[name]!.defaultValue, source: 'DEFAULT_CONFIG' as const },
    );
}
