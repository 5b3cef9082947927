/**
 * Evaluates a lab's declarative partitioner (partitioner-config.ts documents the rules). It decides
 * only what the rules decide: a matched rule or a `{ partition }` default yields a partition; the
 * 'builtIn' and 'murmur2' defaults hand the record back to Kafka's built-in path.
 *
 * Invariants: evaluation is pure (no state, no randomness) and bounded by the schema's limits; a
 * returned partition is a rule's or the default's number, unchecked against the topic here (the
 * producer checks it and names the rule in its error).
 */
import { assertNever } from '../../core/assert.js';
import type { PartitionerFallback, RulePartitionerConfig } from './partitioner-config.js';

export type RuleDecision =
  | { readonly kind: 'partition'; readonly partition: number; readonly rule: string }
  | { readonly kind: 'builtIn'; readonly forceKeyHash: boolean };

const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

export function evaluatePartitionerRule(config: RulePartitionerConfig, key: unknown, keyBytes: Uint8Array | null, value: unknown): RuleDecision {
  switch (config.kind) {
    case 'keyPrefix': {
      const keyText = typeof key === 'string' ? key : keyBytes === null ? null : utf8Decoder.decode(keyBytes);
      if (keyText !== null) {
        for (const [index, rule] of config.rules.entries()) {
          if (keyText.startsWith(rule.prefix)) return { kind: 'partition', partition: rule.partition, rule: `keyPrefix rule ${index} (prefix ${JSON.stringify(rule.prefix)})` };
        }
      }
      return fallback(config.default);
    }
    case 'field': {
      const fieldValue = readField(value, config.field);
      if (fieldValue !== undefined) {
        for (const [index, rule] of config.rules.entries()) {
          if (fieldValue === rule.equals) return { kind: 'partition', partition: rule.partition, rule: `field rule ${index} (${config.field} = ${JSON.stringify(rule.equals)})` };
        }
      }
      return fallback(config.default);
    }
    default:
      return assertNever(config, 'partitioner rule kind');
  }
}

function fallback(fallbackConfig: PartitionerFallback): RuleDecision {
  if (fallbackConfig === 'builtIn') return { kind: 'builtIn', forceKeyHash: false };
  if (fallbackConfig === 'murmur2') return { kind: 'builtIn', forceKeyHash: true };
  return { kind: 'partition', partition: fallbackConfig.partition, rule: 'the default partition' };
}

/** The value at a dotted path of a plain object (a JSON string is parsed first), or undefined. */
function readField(value: unknown, path: string): unknown {
  let current: unknown = value;
  if (typeof current === 'string') {
    try {
      current = JSON.parse(current) as unknown;
    } catch {
      return undefined;
    }
  }
  for (const name of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current) || current instanceof Uint8Array) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, name)) return undefined;
    current = (current as Record<string, unknown>)[name];
  }
  return current;
}
