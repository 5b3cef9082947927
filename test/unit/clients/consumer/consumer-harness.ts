/**
 * Builds consumers on virtual time against the fake cluster, and drives the scheduler so that
 * promise-based application loops (await poll(); process; commit) make progress between timer
 * events, the way a live or simulation driver does.
 */
import { KafkaConsumer, type KafkaConsumerOptions } from '../../../../engine/clients/consumer/kafka-consumer.js';
import type { ConsumerConfigInput } from '../../../../engine/clients/consumer/consumer-config.js';
import type { ConsumerRecord, ConsumerRebalanceListener, TopicPartition } from '../../../../engine/clients/consumer/consumer-record.js';
import { stringDeserializer } from '../../../../engine/clients/consumer/deserializers.js';
import { Scheduler } from '../../../../engine/core/scheduler.js';
import { FakeCluster } from './fake-cluster.js';

export const START_MS = 1_700_000_000_000;

export type StringConsumer = KafkaConsumer<string, string>;

export function setup(options: { topics?: Record<string, number>; brokers?: number } = {}) {
  const scheduler = new Scheduler(START_MS);
  const cluster = new FakeCluster(scheduler, options.topics ?? { orders: 2 }, { brokers: options.brokers });
  const consumers: StringConsumer[] = [];

  const consumer = (config: ConsumerConfigInput = {}, extra: Partial<KafkaConsumerOptions<string, string>> = {}): StringConsumer => {
    const created = new KafkaConsumer<string, string>({
      config,
      keyDeserializer: stringDeserializer,
      valueDeserializer: stringDeserializer,
      network: cluster,
      clock: scheduler,
      timers: scheduler,
      ...extra,
    });
    consumers.push(created);
    return created;
  };

  /** Lets promise callbacks run (several turns: chains of awaits need more than one). */
  const flush = async (): Promise<void> => {
    for (let i = 0; i < 25; i++) await Promise.resolve();
  };

  /** Moves virtual time forward by `ms`, firing timers one by one with promise turns in between. */
  const advance = async (ms: number): Promise<void> => {
    const targetMs = scheduler.nowMs() + ms;
    await flush();
    for (let due = scheduler.nextDueMs(); due !== null && due <= targetMs; due = scheduler.nextDueMs()) {
      scheduler.step();
      await flush();
    }
    scheduler.runUntil(targetMs);
    await flush();
  };

  /** Awaits `promise` while driving the scheduler (at most `maxMs` of virtual time). */
  const settle = async <T>(promise: Promise<T>, maxMs = 3_600_000): Promise<T> => {
    let settled = false;
    const observed = promise.finally(() => {
      settled = true;
    });
    observed.catch(() => undefined);
    const deadlineMs = scheduler.nowMs() + maxMs;
    await flush();
    while (!settled) {
      const due = scheduler.nextDueMs();
      if (due === null || due > deadlineMs) throw new Error(`still waiting at ${scheduler.nowMs() - START_MS} ms (next timer ${due === null ? 'none' : due - START_MS})`);
      scheduler.step();
      await flush();
    }
    return observed;
  };

  /** poll(timeoutMs), driven to its result. */
  const poll = async (c: StringConsumer, timeoutMs = 1000): Promise<ConsumerRecord<string, string>[]> => [...(await settle(c.poll(timeoutMs)))];

  /** Polls until `count` records came back or `maxMs` passed. */
  const pollUntil = async (c: StringConsumer, count: number, maxMs = 60_000): Promise<ConsumerRecord<string, string>[]> => {
    const out: ConsumerRecord<string, string>[] = [];
    const endMs = scheduler.nowMs() + maxMs;
    while (out.length < count && scheduler.nowMs() < endMs) out.push(...(await poll(c, 500)));
    return out;
  };

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => scheduler.after(ms, resolve));

  const elapsed = (): number => scheduler.nowMs() - START_MS;

  return { scheduler, cluster, consumer, consumers, flush, advance, settle, poll, pollUntil, sleep, elapsed };
}

export type Harness = ReturnType<typeof setup>;

/**
 * An application loop: poll, "process" each record for `processMsPerRecord` of virtual time, then
 * commit (or not). Runs until stopped or the consumer closes; records what it processed.
 */
export function runApp(
  t: Harness,
  c: StringConsumer,
  options: { processMsPerRecord?: number; commit?: 'sync' | 'none' | 'before-processing'; pollTimeoutMs?: number; onError?: (error: unknown) => void } = {},
) {
  const processed: ConsumerRecord<string, string>[] = [];
  const errors: unknown[] = [];
  let running = true;
  const loop = (async () => {
    while (running && !c.isClosed) {
      try {
        const records = [...(await c.poll(options.pollTimeoutMs ?? 100))];
        if (options.commit === 'before-processing' && records.length > 0) await c.commitSync();
        for (const record of records) {
          if ((options.processMsPerRecord ?? 0) > 0) await t.sleep(options.processMsPerRecord!);
          if (c.isClosed) return;
          processed.push(record);
        }
        if (options.commit === 'sync' && records.length > 0) await c.commitSync();
      } catch (error) {
        if (c.isClosed) return;
        errors.push(error);
        options.onError?.(error);
        await t.sleep(100);
      }
    }
  })();
  return {
    processed,
    errors,
    values: () => processed.map((r) => r.value),
    /** Ends the loop after its current iteration, driving virtual time until it has. */
    stop: async () => {
      running = false;
      await t.settle(loop);
    },
  };
}

/** A listener that records its calls as "revoked:[...]" / "assigned:[...]" / "lost:[...]". */
export function recordingListener(calls: string[], name = ''): ConsumerRebalanceListener {
  const fmt = (tps: readonly TopicPartition[]) => `[${tps.map((tp) => `${tp.topic}-${tp.partition}`).join(', ')}]`;
  const prefix = name === '' ? '' : `${name} `;
  return {
    onPartitionsRevoked: (tps) => void calls.push(`${prefix}revoked:${fmt(tps)}`),
    onPartitionsAssigned: (tps) => void calls.push(`${prefix}assigned:${fmt(tps)}`),
    onPartitionsLost: (tps) => void calls.push(`${prefix}lost:${fmt(tps)}`),
  };
}

export function logMessages(c: StringConsumer): string[] {
  return c.logLines().map((l) => l.message);
}
