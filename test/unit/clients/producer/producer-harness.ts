/** Builds a producer on virtual time against the fake broker network, with a printed seed. */
import { KafkaProducer } from '../../../../engine/clients/producer/kafka-producer.js';
import type { ProducerConfigInput } from '../../../../engine/clients/producer/producer-config.js';
import type { ProducerError } from '../../../../engine/clients/producer/producer-errors.js';
import type { RecordMetadata, SendHandle } from '../../../../engine/clients/producer/producer-record.js';
import { stringSerializer } from '../../../../engine/clients/producer/serializers.js';
import { SeededPrng } from '../../../../engine/core/prng.js';
import { Scheduler } from '../../../../engine/core/scheduler.js';
import { FakeBrokerNetwork } from './fake-broker-network.js';

/** Override with PRODUCER_TEST_SEED=n to replay another stream. */
export const SEED = Number(process.env.PRODUCER_TEST_SEED ?? 20_240_611);
export const START_MS = 1_700_000_000_000;

export interface Outcome {
  readonly metadata: RecordMetadata;
  readonly error: ProducerError | null;
  readonly atMs: number;
}

export function setup(options: { config?: ProducerConfigInput; topics?: Record<string, { partitions: number; leaders?: (number | null)[] }>; seed?: number } = {}) {
  const seed = options.seed ?? SEED;
  const scheduler = new Scheduler(START_MS);
  const network = new FakeBrokerNetwork(scheduler, options.topics ?? { orders: { partitions: 3 } });
  const producer = new KafkaProducer<string, string>({
    config: options.config,
    keySerializer: stringSerializer,
    valueSerializer: stringSerializer,
    network,
    clock: scheduler,
    timers: scheduler,
    prng: new SeededPrng(seed),
  });
  const outcomes: Outcome[] = [];
  /** Sends and records the outcome (via the callback) in `outcomes`, in completion order. */
  const send = (topic: string, value: string | null, extra: { key?: string | null; partition?: number; timestampMs?: number } = {}): SendHandle & { outcome: () => Outcome | undefined } => {
    let mine: Outcome | undefined;
    const handle = producer.send({ topic, value, ...extra }, (metadata, error) => {
      mine = { metadata, error, atMs: scheduler.nowMs() };
      outcomes.push(mine);
    });
    return Object.assign(handle, { outcome: () => mine });
  };
  const run = (ms: number): void => {
    scheduler.runUntil(scheduler.nowMs() + ms);
  };
  const why = (extra = ''): string => `seed=${seed}${extra === '' ? '' : ` ${extra}`}`;
  return { seed, scheduler, network, producer, outcomes, send, run, why };
}
