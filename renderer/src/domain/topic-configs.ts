/**
 * The topic configs the config editor knows, with the types and bounds Kafka's LogConfig gives
 * them (the engine's engine/cluster/topic-configs.ts holds the same table and has the last word),
 * so a learner sees a bad value explained in their own language before anything is sent.
 */
import { uiMessage, type UiMessage } from './messages';

type ConfigType = 'long' | 'int' | 'boolean' | 'list' | 'string' | 'double';

export interface TopicConfigRule {
  readonly type: ConfigType;
  /** Smallest accepted value of a number. */
  readonly min?: number;
  /** The accepted values of an enumerated string, or the items of a list. */
  readonly validValues?: readonly string[];
}

const INT_MAX = 2_147_483_647;
const LONG_MAX = Number.MAX_SAFE_INTEGER;

export const TOPIC_CONFIG_RULES: Readonly<Record<string, TopicConfigRule>> = {
  'cleanup.policy': { type: 'list', validValues: ['delete', 'compact'] },
  'compression.type': { type: 'string', validValues: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] },
  'delete.retention.ms': { type: 'long', min: 0 },
  'file.delete.delay.ms': { type: 'long', min: 0 },
  'flush.messages': { type: 'long', min: 1 },
  'flush.ms': { type: 'long', min: 0 },
  'index.interval.bytes': { type: 'int', min: 0 },
  'max.compaction.lag.ms': { type: 'long', min: 1 },
  'max.message.bytes': { type: 'int', min: 0 },
  'message.timestamp.type': { type: 'string', validValues: ['CreateTime', 'LogAppendTime'] },
  'min.cleanable.dirty.ratio': { type: 'double', min: 0 },
  'min.compaction.lag.ms': { type: 'long', min: 0 },
  'min.insync.replicas': { type: 'int', min: 1 },
  'retention.bytes': { type: 'long' },
  'retention.ms': { type: 'long', min: -1 },
  'segment.bytes': { type: 'int', min: 14 },
  'segment.index.bytes': { type: 'int', min: 4 },
  'segment.ms': { type: 'long', min: 1 },
  'unclean.leader.election.enable': { type: 'boolean' },
};

/** The configs a learner meets first; the topic list shows these when a topic overrides them. */
export const MAIN_TOPIC_CONFIGS = ['cleanup.policy', 'retention.ms', 'retention.bytes', 'min.insync.replicas', 'segment.bytes', 'max.message.bytes', 'unclean.leader.election.enable'] as const;

/** The choices of a config with a fixed set of values (a select in the editor), else null. */
export function configChoices(name: string): readonly string[] | null {
  const rule = TOPIC_CONFIG_RULES[name];
  if (rule === undefined) return null;
  if (rule.type === 'boolean') return ['true', 'false'];
  if (rule.type === 'string' && rule.validValues !== undefined) return rule.validValues;
  if (rule.type === 'list' && rule.validValues !== undefined) return [...rule.validValues, rule.validValues.join(',')];
  return null;
}

function numberProblem(rule: TopicConfigRule, value: string): UiMessage | undefined {
  if (rule.type === 'double') {
    const n = Number(value);
    if (value === '' || !Number.isFinite(n)) return uiMessage('browser.configs.errors.notNumber');
    return rule.min !== undefined && n < rule.min ? uiMessage('browser.configs.errors.atLeast', { min: rule.min }) : undefined;
  }
  if (!/^-?\d+$/.test(value)) return uiMessage('browser.configs.errors.notWhole');
  const n = Number(value);
  const max = rule.type === 'int' ? INT_MAX : LONG_MAX;
  if (n > max) return uiMessage('browser.configs.errors.atMost', { max });
  return rule.min !== undefined && n < rule.min ? uiMessage('browser.configs.errors.atLeast', { min: rule.min }) : undefined;
}

/** What is wrong with `value` for config `name`, in Kafka's terms; undefined when Kafka accepts it. */
export function configValueProblem(name: string, rawValue: string): UiMessage | undefined {
  const rule = TOPIC_CONFIG_RULES[name];
  if (rule === undefined) return uiMessage('browser.configs.errors.unknown', { name });
  const value = rawValue.trim();
  if (value === '') return uiMessage('browser.configs.errors.empty');
  switch (rule.type) {
    case 'int':
    case 'long':
    case 'double':
      return numberProblem(rule, value);
    case 'boolean':
      return value === 'true' || value === 'false' ? undefined : uiMessage('browser.configs.errors.boolean');
    case 'list':
    case 'string': {
      const items = rule.type === 'list' ? value.split(',').map((item) => item.trim()) : [value];
      const ok = rule.validValues === undefined || items.every((item) => rule.validValues!.includes(item));
      return ok ? undefined : uiMessage('browser.configs.errors.oneOf', { values: rule.validValues!.join(', ') });
    }
  }
}

/**
 * What a valid value will do that a learner may not expect: Kafka accepts these, and the lesson is
 * in what follows (acks=all producers refused, an unclean leader losing records).
 */
export function configValueWarning(name: string, rawValue: string, replicationFactor: number): UiMessage | undefined {
  const value = rawValue.trim();
  if (name === 'min.insync.replicas' && Number(value) > replicationFactor) {
    return uiMessage('browser.configs.warnings.minIsrAboveRf', { value, rf: replicationFactor });
  }
  if (name === 'unclean.leader.election.enable' && value === 'true') return uiMessage('browser.configs.warnings.unclean');
  if (name === 'retention.ms' && value === '-1') return uiMessage('browser.configs.warnings.retentionForever');
  return undefined;
}

/** A config's value in words a learner reads faster: 604800000 ms is "7 d". Null when there is nothing to add. */
export function configValueHint(name: string, value: string): { readonly unit: 'ms' | 'bytes'; readonly amount: number } | null {
  if (!/^\d+$/.test(value)) return null;
  const n = Number(value);
  if (name.endsWith('.ms') && n >= 1000 && n < LONG_MAX) return { unit: 'ms', amount: n };
  if (name.endsWith('.bytes') && n >= 1024 && n < LONG_MAX) return { unit: 'bytes', amount: n };
  return null;
}

/** 604800000 → "7 d", 3600000 → "1 h", 90000 → "1.5 min"; the largest unit with a value of at least 1. */
export function humanDuration(ms: number): string {
  const units: readonly [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['min', 60_000], ['s', 1000]];
  for (const [unit, size] of units) if (ms >= size) return `${trimNumber(ms / size)} ${unit}`;
  return `${ms} ms`;
}

/** 1073741824 → "1 GiB", 1048588 → "1 MiB". */
export function humanBytes(bytes: number): string {
  const units: readonly [string, number][] = [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]];
  for (const [unit, size] of units) if (bytes >= size) return `${trimNumber(bytes / size)} ${unit}`;
  return `${bytes} B`;
}

function trimNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1).replace(/\.?0+$/, '');
}
