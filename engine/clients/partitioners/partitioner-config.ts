/**
 * The partitioner a producer uses, as data (a lab sheet chooses it in YAML; no code):
 *
 *   { kind: 'default' }        Kafka's built-in partitioner: murmur2 for keyed records, sticky
 *                              (KIP-794) for keyless ones; honours partitioner.ignore.keys.
 *   { kind: 'roundRobin' }     org.apache.kafka.clients.producer.RoundRobinPartitioner, with its
 *                              3.x skipping quirk (round-robin-partitioner.ts).
 *   { kind: 'keyPrefix', rules: [{ prefix: 'vip-', partition: 0 }, ...], default: ... }
 *                              The first rule whose prefix starts the key wins. The key compared is
 *                              the record's key when it is a string, otherwise its serialized bytes
 *                              read as UTF-8. A null key matches no rule.
 *   { kind: 'field', field: 'customer.tier', rules: [{ equals: 'gold', partition: 1 }, ...], default: ... }
 *                              The first rule whose `equals` is strictly equal to the value's field
 *                              (a dotted path of up to 4 names) wins. The value is the record's
 *                              value before serialization; a string value is parsed as JSON first;
 *                              anything that is not an object matches no rule.
 *
 * `default` says where a record no rule matched goes:
 *   'builtIn'          Kafka's built-in partitioner (murmur2 / sticky, honours partitioner.ignore.keys);
 *   'murmur2'          murmur2 of the key even when partitioner.ignore.keys is set; a keyless record
 *                      goes to the sticky partition;
 *   { partition: n }   partition n.
 *
 * The schema is closed (strict objects, a discriminated union) and bounded (rules, prefix and value
 * lengths, path depth), so a lab file cannot make partitioning unbounded. A rule's partition is
 * checked against the topic's partition count when a record is partitioned: out of range, the send
 * fails with an IllegalArgumentException-style ProducerError naming the rule.
 *
 * Invariants: a parsed config is one of the four kinds with no extra keys; every partition index
 * is in [0, limits.partitionsPerTopicMax).
 */
import { z } from 'zod';
import { limits } from '../../core/limits.js';

/** Rules in one custom partitioner: a lab needs a handful; 64 keeps evaluation trivially cheap. */
export const PARTITIONER_RULES_MAX = 64;
/** Longest prefix or string a rule compares with: keys in the labs are short identifiers. */
export const PARTITIONER_MATCH_LENGTH_MAX = 256;
/** Depth of a `field` path: enough for `order.customer.tier`, bounded so a lookup is O(1). */
export const PARTITIONER_FIELD_DEPTH_MAX = 4;

const PartitionIndexSchema = z
  .number()
  .int()
  .min(0)
  .max(limits.partitionsPerTopicMax - 1);

const FallbackSchema = z.union([z.literal('builtIn'), z.literal('murmur2'), z.object({ partition: PartitionIndexSchema }).strict()]);

const FIELD_PATH = new RegExp(`^[A-Za-z_$][A-Za-z0-9_$-]*(\\.[A-Za-z_$][A-Za-z0-9_$-]*){0,${PARTITIONER_FIELD_DEPTH_MAX - 1}}$`);

export const KeyPrefixPartitionerSchema = z
  .object({
    kind: z.literal('keyPrefix'),
    rules: z
      .array(z.object({ prefix: z.string().min(1).max(PARTITIONER_MATCH_LENGTH_MAX), partition: PartitionIndexSchema }).strict())
      .min(1)
      .max(PARTITIONER_RULES_MAX),
    default: FallbackSchema,
  })
  .strict();

export const FieldPartitionerSchema = z
  .object({
    kind: z.literal('field'),
    field: z.string().max(PARTITIONER_MATCH_LENGTH_MAX).regex(FIELD_PATH, `a dotted path of 1 to ${PARTITIONER_FIELD_DEPTH_MAX} names`),
    rules: z
      .array(
        z
          .object({
            equals: z.union([z.string().max(PARTITIONER_MATCH_LENGTH_MAX), z.number(), z.boolean()]),
            partition: PartitionIndexSchema,
          })
          .strict(),
      )
      .min(1)
      .max(PARTITIONER_RULES_MAX),
    default: FallbackSchema,
  })
  .strict();

export const PartitionerConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('default') }).strict(),
  z.object({ kind: z.literal('roundRobin') }).strict(),
  KeyPrefixPartitionerSchema,
  FieldPartitionerSchema,
]);

export type PartitionerConfig = z.infer<typeof PartitionerConfigSchema>;
export type RulePartitionerConfig = z.infer<typeof KeyPrefixPartitionerSchema> | z.infer<typeof FieldPartitionerSchema>;
export type PartitionerFallback = z.infer<typeof FallbackSchema>;
