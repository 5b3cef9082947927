/**
 * Topic-level configs the workbench understands, with Kafka's defaults and validation. A config
 * Kafka does not know is refused with Kafka's words; a known one with a bad value likewise. Only
 * overrides are stored on a topic; describe shows them as kafka-topics does ("Configs: a=b,c=d").
 */
import { KafkaError } from '../core/kafka-errors.js';

type ConfigType = 'long' | 'int' | 'boolean' | 'list' | 'string' | 'double';

interface ConfigDef {
  readonly type: ConfigType;
  readonly defaultValue: string;
  /** Smallest accepted value for numbers. */
  readonly min?: number;
  /** The accepted values for enumerated strings and lists. */
  readonly validValues?: readonly string[];
}

const LONG_MAX = Number.MAX_SAFE_INTEGER;

export const TOPIC_CONFIGS: Readonly<Record<string, ConfigDef>> = {
  'cleanup.policy': { type: 'list', defaultValue: 'delete', validValues: ['delete', 'compact'] },
  'compression.type': { type: 'string', defaultValue: 'producer', validValues: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] },
  'delete.retention.ms': { type: 'long', defaultValue: '86400000', min: 0 },
  'file.delete.delay.ms': { type: 'long', defaultValue: '60000', min: 0 },
  'flush.messages': { type: 'long', defaultValue: String(LONG_MAX), min: 1 },
  'flush.ms': { type: 'long', defaultValue: String(LONG_MAX), min: 0 },
  'index.interval.bytes': { type: 'int', defaultValue: '4096', min: 0 },
  'max.compaction.lag.ms': { type: 'long', defaultValue: String(LONG_MAX), min: 1 },
  'max.message.bytes': { type: 'int', defaultValue: '1048588', min: 0 },
  'message.timestamp.type': { type: 'string', defaultValue: 'CreateTime', validValues: ['CreateTime', 'LogAppendTime'] },
  'min.cleanable.dirty.ratio': { type: 'double', defaultValue: '0.5', min: 0 },
  'min.compaction.lag.ms': { type: 'long', defaultValue: '0', min: 0 },
  'min.insync.replicas': { type: 'int', defaultValue: '1', min: 1 },
  'retention.bytes': { type: 'long', defaultValue: '-1' },
  'retention.ms': { type: 'long', defaultValue: '604800000', min: -1 },
  'segment.bytes': { type: 'int', defaultValue: '1073741824', min: 14 },
  'segment.index.bytes': { type: 'int', defaultValue: '10485760', min: 4 },
  'segment.ms': { type: 'long', defaultValue: '604800000', min: 1 },
  'unclean.leader.election.enable': { type: 'boolean', defaultValue: 'false' },
};

/** Checks every override and returns them normalised; throws INVALID_CONFIG on the first bad one. */
export function validateTopicConfigs(configs: Readonly<Record<string, string>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, rawValue] of Object.entries(configs)) {
    const def = TOPIC_CONFIGS[name];
    if (def === undefined) throw new KafkaError('INVALID_CONFIG', `Unknown topic config name: ${name}`);
    const value = rawValue.trim();
    const problem = valueProblem(def, value);
    if (problem !== null) throw new KafkaError('INVALID_CONFIG', `Invalid value ${rawValue} for configuration ${name}: ${problem}`);
    result[name] = value;
  }
  return result;
}

function valueProblem(def: ConfigDef, value: string): string | null {
  switch (def.type) {
    case 'int':
    case 'long': {
      if (!/^-?\d+$/.test(value)) return `Not a number of type ${def.type.toUpperCase()}`;
      const n = Number(value);
      const max = def.type === 'int' ? 2_147_483_647 : LONG_MAX;
      if (n > max) return `Not a number of type ${def.type.toUpperCase()}`;
      if (def.min !== undefined && n < def.min) return `Value must be at least ${def.min}`;
      return null;
    }
    case 'double': {
      const n = Number(value);
      if (value === '' || !Number.isFinite(n)) return 'Not a number of type DOUBLE';
      if (def.min !== undefined && n < def.min) return `Value must be at least ${def.min}`;
      return null;
    }
    case 'boolean':
      return value === 'true' || value === 'false' ? null : 'Expected value to be either true or false';
    case 'list': {
      const items = value.split(',').map((item) => item.trim());
      const bad = items.find((item) => !def.validValues?.includes(item));
      return bad === undefined ? null : `String must be one of: ${def.validValues?.join(', ')}`;
    }
    case 'string':
      return def.validValues === undefined || def.validValues.includes(value)
        ? null
        : `String must be one of: ${def.validValues.join(', ')}`;
  }
}

/** The effective value of a config on a topic: its override, else Kafka's default. */
export function effectiveTopicConfig(overrides: Readonly<Record<string, string>>, name: string): string {
  const def = TOPIC_CONFIGS[name];
  if (def === undefined) throw new KafkaError('INVALID_CONFIG', `Unknown topic config name: ${name}`);
  return overrides[name] ?? def.defaultValue;
}
