/**
 * Durable cluster metadata: the cluster id, the brokers, every topic with its id, configs and
 * partition assignment (replicas, leader, leader epoch, ISR), and the users' SCRAM credentials. It
 * is what a KRaft controller keeps in `__cluster_metadata`; until the metadata quorum arrives it is
 * one JSON snapshot, replaced atomically (temporary file + rename) on every change, so a crash
 * leaves the old or the new snapshot, never a mix.
 *
 * File: `<dataDir>/metadata/cluster-metadata.json`, format version 1. A file that does not match the
 * schema is refused with its path and the first problems; nothing in the data directory is changed.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { limits } from '../core/limits.js';
import type { Disk } from '../storage/disk/disk.js';

export const METADATA_FORMAT_VERSION = 1;

const BrokerIdSchema = z.number().int().min(0).max(2_147_483_647);

const PartitionMetadataSchema = z
  .object({
    replicas: z.array(BrokerIdSchema).min(1),
    leader: BrokerIdSchema.nullable(),
    leaderEpoch: z.number().int().min(0),
    isr: z.array(BrokerIdSchema),
    addingReplicas: z.array(BrokerIdSchema).optional(),
    removingReplicas: z.array(BrokerIdSchema).optional(),
  })
  .strict()
  .refine((p) => p.isr.every((id) => p.replicas.includes(id)), 'ISR must be a subset of the replicas')
  .refine((p) => p.leader === null || p.isr.includes(p.leader), 'the leader must be in the ISR');

const TopicMetadataSchema = z
  .object({
    name: z.string().min(1).max(249),
    topicId: z.string().min(1),
    configs: z.record(z.string(), z.string()),
    partitions: z.array(PartitionMetadataSchema).min(1),
  })
  .strict();

/** Standard base64 (RFC 4648 §4, padded), as Kafka's Base64.getEncoder() writes it. */
const Base64Schema = z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'must be base64');

/** Base64 length of each SCRAM mechanism's hash (SHA-256: 32 bytes, SHA-512: 64 bytes). */
const SCRAM_KEY_BASE64_LENGTH = { 'SCRAM-SHA-256': 44, 'SCRAM-SHA-512': 88 } as const;

/**
 * One user's SCRAM credential for one mechanism, as Kafka's UserScramCredentialRecord keeps it
 * (RFC 5802): the salt, the iteration count, StoredKey and ServerKey — never the password. The
 * iteration bounds are ScramMechanism's (4096 to 16384).
 */
const ScramCredentialMetadataSchema = z
  .object({
    user: z.string().min(1).max(255),
    mechanism: z.enum(['SCRAM-SHA-256', 'SCRAM-SHA-512']),
    salt: Base64Schema.min(1),
    iterations: z.number().int().min(4096).max(16384),
    storedKey: Base64Schema,
    serverKey: Base64Schema,
  })
  .strict()
  .refine(
    (c) => c.storedKey.length === SCRAM_KEY_BASE64_LENGTH[c.mechanism] && c.serverKey.length === SCRAM_KEY_BASE64_LENGTH[c.mechanism],
    "storedKey and serverKey must be as long as the mechanism's hash",
  );

export const ClusterMetadataSchema = z
  .object({
    version: z.literal(METADATA_FORMAT_VERSION),
    clusterId: z.string().min(1),
    brokerIds: z.array(BrokerIdSchema).min(1),
    topics: z.array(TopicMetadataSchema),
    /** Cluster-wide dynamic broker configs (kafka-configs --entity-default). */
    brokerConfigs: z.record(z.string(), z.string()).optional(),
    /** The next producer id InitProducerId hands out. */
    nextProducerId: z.number().int().min(0).optional(),
    /** SCRAM credentials of the cluster's users (kafka-configs --entity-type users), at most one per user and mechanism. */
    scramCredentials: z
      .array(ScramCredentialMetadataSchema)
      .max(limits.scramUsersMax * 2)
      .refine((list) => new Set(list.map((c) => `${c.user}\u0000${c.mechanism}`)).size === list.length, 'a user has at most one credential per mechanism')
      .optional(),
  })
  .strict();

export type ClusterMetadata = z.infer<typeof ClusterMetadataSchema>;
export type TopicMetadata = z.infer<typeof TopicMetadataSchema>;
export type ScramCredentialMetadata = z.infer<typeof ScramCredentialMetadataSchema>;

export class MetadataFileError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`The cluster metadata in ${path} cannot be used: ${reason}. Nothing in the data directory was changed; move it aside or start with another --data directory.`);
    this.name = 'MetadataFileError';
  }
}

export class MetadataStore {
  readonly path: string;

  constructor(
    private readonly disk: Disk,
    dataDir: string,
  ) {
    this.path = join(dataDir, 'metadata', 'cluster-metadata.json');
  }

  /** The stored metadata, or null when the data directory has none yet. */
  load(): ClusterMetadata | null {
    if (!this.disk.exists(this.path)) return null;
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(this.disk.readFile(this.path)));
    } catch (error) {
      throw new MetadataFileError(this.path, `it is not valid JSON (${(error as Error).message})`);
    }
    const parsed = ClusterMetadataSchema.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
      throw new MetadataFileError(this.path, problems.join('; '));
    }
    return parsed.data;
  }

  save(metadata: ClusterMetadata): void {
    this.disk.mkdirp(join(this.path, '..'));
    this.disk.writeFileAtomic(this.path, new TextEncoder().encode(`${JSON.stringify(metadata, null, 2)}\n`));
  }
}
