/**
 * The console tools' engine inside the workbench: contract calls validated against the contract's
 * schemas (defaults applied, bad input refused as the gateway refuses it) and answered by the
 * Workbench's handlers; console clients are Java-like clients on the cluster's network.
 */
import type { ZodType } from 'zod';
import { operationsOf, type OperationKind } from '../api/contract.js';
import { KafkaConsumer, stringDeserializer } from '../clients/consumer/index.js';
import { KafkaProducer, stringSerializer } from '../clients/producer/index.js';
import type { Clock } from '../core/clock.js';
import type { Prng } from '../core/prng.js';
import type { Timers } from '../core/timers.js';
import type { Workbench } from '../host/workbench.js';
import { ConsoleCallError, type ConsoleEngine } from './tool-context.js';

export interface WorkbenchConsoleEngineOptions {
  readonly workbench: Workbench;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly prng: Prng;
}

export function workbenchConsoleEngine(options: WorkbenchConsoleEngineOptions): ConsoleEngine {
  const { workbench, clock, timers, prng } = options;
  const call = async (kind: OperationKind, name: string, request: unknown): Promise<never> => {
    const schema = operationsOf(kind)[name]?.request as ZodType | undefined;
    if (schema === undefined) throw new ConsoleCallError('INVALID_REQUEST', `Unknown ${kind} '${name}'.`);
    const parsed = schema.safeParse(request);
    if (!parsed.success) throw new ConsoleCallError('INVALID_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`).join('; '));
    const envelope = await workbench.handle(kind, name, parsed.data);
    if (!envelope.ok) throw new ConsoleCallError(envelope.error.name, envelope.error.message);
    return envelope.value as never;
  };
  const brokerAddress = (id: number): string => {
    const broker = workbench.cluster.brokers.find((b) => b.id === id);
    return broker === undefined ? `broker-${id}:9092` : `${broker.host}:${broker.port}`;
  };
  return {
    command: (name, request) => call('command', name, request),
    query: (name, request) => call('query', name, request),
    consumer: (config) =>
      new KafkaConsumer<string | null, string | null>({
        config,
        keyDeserializer: stringDeserializer,
        valueDeserializer: stringDeserializer,
        network: workbench.cluster.consumerNetwork(String(config.clientId ?? 'console-consumer')),
        clock,
        timers,
        brokerAddress,
      }),
    producer: (config) =>
      new KafkaProducer<string | null, string | null>({
        config,
        keySerializer: stringSerializer as never,
        valueSerializer: stringSerializer as never,
        network: workbench.cluster.producerNetwork(String(config.clientId ?? 'console-producer')),
        clock,
        timers,
        prng,
      }),
    clock,
    timers,
    prng,
  };
}
