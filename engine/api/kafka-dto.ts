/**
 * The Kafka wire-protocol listeners as the UI shows them: where each running broker listens, the
 * real clients connected (client id, address, the APIs they used), per broker; the listeners'
 * security protocol (PLAINTEXT, or SASL_PLAINTEXT with PLAIN and SCRAM), and the SCRAM users of the
 * shown cluster — each with its mechanisms and iteration counts, never a password, salt or key.
 */
import { z } from 'zod';

/**
 * The cluster's SCRAM bounds (engine/cluster/scram-credentials.ts), repeated here so the contract —
 * which the preload script and the renderer's types load — does not pull in the engine's crypto; a
 * unit test keeps the two equal.
 */
export const SCRAM_CONTRACT_BOUNDS = {
  mechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-512'],
  iterationsMin: 4096,
  iterationsMax: 16384,
  userNameMaxLength: 255,
  passwordMaxBytes: 1024,
} as const;
const { mechanisms: SCRAM_MECHANISMS, userNameMaxLength: SCRAM_USER_NAME_MAX_LENGTH, passwordMaxBytes: SCRAM_PASSWORD_MAX_BYTES } = SCRAM_CONTRACT_BOUNDS;

/** The listener's security.protocol: PLAINTEXT (no authentication) or SASL_PLAINTEXT. */
export const KafkaSecurityProtocolSchema = z.enum(['PLAINTEXT', 'SASL_PLAINTEXT']);
export type KafkaSecurityProtocol = z.infer<typeof KafkaSecurityProtocolSchema>;

/** The SASL mechanisms a SASL_PLAINTEXT listener offers (sasl.enabled.mechanisms), in this order. */
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

export const ScramMechanismSchema = z.enum(SCRAM_MECHANISMS);

/** A SCRAM user name: non-empty, at most 255 characters, no control characters (the cluster's own check). */
export const ScramUserName = z
  .string()
  .min(1)
  .max(SCRAM_USER_NAME_MAX_LENGTH)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

/** A password: non-empty and bounded (the cluster counts UTF-8 bytes; this bounds characters first). */
const ScramPassword = z.string().min(1).max(SCRAM_PASSWORD_MAX_BYTES);

export const UpsertScramUserRequest = z
  .object({
    user: ScramUserName,
    mechanism: ScramMechanismSchema,
    password: ScramPassword,
    /** ScramMechanism's bounds; default 4096 (ConfigCommand's DefaultScramIterations). */
    iterations: z.number().int().min(SCRAM_CONTRACT_BOUNDS.iterationsMin).max(SCRAM_CONTRACT_BOUNDS.iterationsMax).optional(),
  })
  .strict();

export const DeleteScramUserRequest = z.object({ user: ScramUserName, mechanism: ScramMechanismSchema }).strict();

export const DescribeScramUsersRequest = z
  .object({
    /** Only these users (a user without credentials is left out, as Kafka's admin client leaves it out); all when omitted. */
    users: z.array(ScramUserName).max(64).optional(),
  })
  .strict();

export const ScramUserSchema = z
  .object({
    user: z.string(),
    mechanisms: z.array(z.object({ mechanism: ScramMechanismSchema, iterations: z.number().int() }).strict()),
  })
  .strict();

export const ScramUsersSchema = z.object({ users: z.array(ScramUserSchema) }).strict();

export const SetKafkaSecurityRequest = z.object({ protocol: KafkaSecurityProtocolSchema }).strict();

export const KafkaSecuritySchema = z.object({ protocol: KafkaSecurityProtocolSchema }).strict();

/** What changed in the listeners' security: the protocol (LabHost), or a SCRAM user of the shown cluster. */
export const KafkaSecurityEventSchema = z.object({ change: z.enum(['protocol', 'users']), protocol: KafkaSecurityProtocolSchema.nullable() }).strict();

export const KafkaListenersSchema = z
  .object({
    /** False when the app runs without listeners (kafka-lab serve --no-kafka). */
    enabled: z.boolean(),
    listeners: z.array(z.object({ brokerId: z.number().int(), host: z.string(), port: z.number().int().min(0).max(65_535) }).strict()),
    clients: z.array(
      z
        .object({
          brokerId: z.number().int(),
          address: z.string(),
          clientId: z.string().nullable(),
          apis: z.array(z.string()),
          /** The user a SASL_PLAINTEXT connection authenticated as; null on PLAINTEXT or before authentication. */
          principal: z.string().nullable(),
        })
        .strict(),
    ),
    /** The listeners' security.protocol; PLAINTEXT by default (the default listener needs no authentication). */
    securityProtocol: KafkaSecurityProtocolSchema,
    /** sasl.enabled.mechanisms while SASL_PLAINTEXT: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512; none with PLAINTEXT. */
    saslMechanisms: z.array(z.string()),
    /** The shown cluster's SCRAM users (kafka-configs --describe --entity-type users), by name. */
    users: z.array(ScramUserSchema),
  })
  .strict();

export type KafkaListenersDto = z.infer<typeof KafkaListenersSchema>;
export type ScramUsersDto = z.infer<typeof ScramUsersSchema>;
export type KafkaSecurityEvent = z.infer<typeof KafkaSecurityEventSchema>;
