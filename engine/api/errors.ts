/**
 * The error half of the contract: every failed request answers with one of these, named as Kafka
 * names the condition. The renderer receives it as data (it imports only types from here).
 */
import { z } from 'zod';
import { KAFKA_ERROR_NAMES, type KafkaErrorName } from '../core/kafka-errors.js';

export const ApiErrorSchema = z
  .object({
    name: z.enum(KAFKA_ERROR_NAMES),
    code: z.number().int(),
    message: z.string(),
    details: z.unknown().optional(),
  })
  .strict();

export type ApiError = z.infer<typeof ApiErrorSchema>;
export type { KafkaErrorName };

/** One answer to one request, on every transport. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };
