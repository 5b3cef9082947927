/**
 * The workshop's pair: a console consumer in group g with print.key=true runs while a console
 * producer with parse.key=true and key.separator=: sends "k1:v1", "k2:v2"; the consumer prints
 * "k1\tv1" and "k2\tv2", and Ctrl+C ends it with "Processed a total of 2 messages".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaConsoleConsumer } from '../../../engine/console/tools/kafka-console-consumer.js';
import { kafkaConsoleProducer } from '../../../engine/console/tools/kafka-console-producer.js';
import type { ToolContext } from '../../../engine/console/tool-context.js';
import { runUntilSettled } from '../../../engine/core/scheduler.js';
import { consoleLab } from './console-lab.js';

const SEED = 7303;
let lab: ReturnType<typeof consoleLab> | null = null;
afterEach(() => {
  lab?.close();
  lab = null;
});

/** A tool context of its own (one console tab): its lines, its typed input, its Ctrl+C. */
function tab(l: ReturnType<typeof consoleLab>, input: string[] = []) {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  const context: ToolContext = {
    output: { out: (line) => out.push(line), err: (line) => err.push(line) },
    engine: l.engine,
    files: { read: (path) => { throw new Error(`no file ${path}`); } },
    readLine: () => new Promise((resolve) => l.scheduler.after(10, () => resolve(input.length > 0 ? input.shift()! : null))),
    interrupt: controller.signal,
  };
  return { out, err, context, interrupt: () => controller.abort() };
}

describe(`console producer and consumer side by side (seed ${SEED})`, () => {
  it('keyed lines typed into the producer arrive at the consumer with print.key=true', async () => {
    lab = consoleLab(SEED);
    const l = lab;
    await l.engine.command('createTopic', { name: 'inventory', partitions: 1, replicationFactor: 3 });
    l.advance(1_000);
    const consumerTab = tab(l);
    const consumerRun = kafkaConsoleConsumer.run(['--bootstrap-server', 'localhost:9092', '--topic', 'inventory', '--group', 'g', '--property', 'print.key=true'], consumerTab.context);
    let consumerCode: number | null = null;
    void consumerRun.then((code) => (consumerCode = code));
    // The consumer joins group g and is assigned the partition (latest offset) before anything is typed.
    await runUntilSettled(l.scheduler, new Promise<void>((resolve) => l.scheduler.after(6_000, resolve)), 10_000);
    const producerTab = tab(l, ['k1:v1', 'k2:v2']);
    const producerCode = await runUntilSettled(l.scheduler, kafkaConsoleProducer.run(['--broker-list', 'localhost:9092', '--topic', 'inventory', '--property', 'parse.key=true', '--property', 'key.separator=:'], producerTab.context), 30_000);
    expect(producerCode).toBe(0);
    await runUntilSettled(l.scheduler, new Promise<void>((resolve) => l.scheduler.after(3_000, resolve)), 10_000);
    expect(consumerTab.out).toEqual(['k1\tv1', 'k2\tv2']);
    consumerTab.interrupt();
    expect(await runUntilSettled(l.scheduler, consumerRun, 60_000)).toBe(130);
    expect(consumerCode).toBe(130);
    expect(consumerTab.err).toEqual(['Processed a total of 2 messages']);
  });
});
