/**
 * The Kafka wire-protocol listeners as the UI shows them: where each running broker listens, and
 * the real clients connected (client id, address, the APIs they used), per broker.
 */
import { z } from 'zod';

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
        })
        .strict(),
    ),
  })
  .strict();

export type KafkaListenersDto = z.infer<typeof KafkaListenersSchema>;
