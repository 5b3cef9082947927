/**
 * Seed 001's Windows session, line by line as the material prints it (prompt and `bin\windows\*.bat`
 * included; the material's line wrapped by cmd is typed whole): a console consumer on topic test,
 * a console producer with --broker-list sending "this is a message", the consumer printing it; then
 * the keyed pair with --property "parse.key=true" --property "key.separator=:" and a consumer with
 * "print.key=true" printing "key1:value1" and "key2:value2", as the material shows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCommandLine } from '../../../engine/console/console-runner.js';
import type { ToolContext } from '../../../engine/console/tool-context.js';
import { CONSOLE_TOOLS } from '../../../engine/console/tools/index.js';
import { runUntilSettled } from '../../../engine/core/scheduler.js';
import { consoleLab } from './console-lab.js';

const SEED = 1;
let lab: ReturnType<typeof consoleLab> | null = null;
afterEach(() => {
  lab?.close();
  lab = null;
});

/** A cmd.exe window: its own output, typed lines and Ctrl+C. */
function window(l: ReturnType<typeof consoleLab>, line: string, input: string[] = []) {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  const context: ToolContext = {
    output: { out: (text) => out.push(text), err: (text) => err.push(text) },
    engine: l.engine,
    files: {
      read: (path) => {
        throw new Error(`no file ${path}`);
      },
    },
    readLine: () => new Promise((resolve) => l.scheduler.after(10, () => resolve(input.length > 0 ? input.shift()! : null))),
    interrupt: controller.signal,
  };
  const run = runCommandLine(line, context, CONSOLE_TOOLS);
  return { out, err, run, interrupt: () => controller.abort() };
}

const wait = (l: ReturnType<typeof consoleLab>, ms: number) => runUntilSettled(l.scheduler, new Promise<void>((resolve) => l.scheduler.after(ms, resolve)), ms + 1);

describe(`seed 001: the Windows console session (seed ${SEED})`, () => {
  it('a consumer window prints what the producer window sends, then the keyed pair prints key1:value1', async () => {
    lab = consoleLab(SEED);
    const l = lab;
    const create = window(l, 'D:\\kafka\\kafka_2.13-2.6.0>bin\\windows\\kafka-topics.bat --create --zookeeper localhost:2181 --replication-factor 1 --partitions 1 --topic test');
    expect(await runUntilSettled(l.scheduler, create.run, 10_000)).toBe(0);
    expect(create.out).toEqual(['Created topic test.']);

    const consumer = window(l, 'D:\\kafka\\kafka_2.13-2.6.0>bin\\windows\\kafka-console-consumer.bat --bootstrap-server localhost:9092 --topic test');
    await wait(l, 6_000);
    const producer = window(l, 'D:\\kafka\\kafka_2.13-2.6.0>bin\\windows\\kafka-console-producer.bat --broker-list localhost:9092 --topic test', ['this is a message']);
    expect(await runUntilSettled(l.scheduler, producer.run, 30_000)).toBe(0);
    await wait(l, 3_000);
    expect(consumer.out).toEqual(['this is a message']);
    consumer.interrupt();
    await runUntilSettled(l.scheduler, consumer.run, 30_000);
    expect(consumer.err).toEqual(['Processed a total of 1 messages']);

    const keyedConsumer = window(l, 'D:\\kafka\\kafka_2.13-2.6.0>bin\\windows\\kafka-console-consumer.bat --bootstrap-server localhost:9092 --topic test --property "parse.key=true" --property "key.separator=:" --property "print.key=true"');
    await wait(l, 6_000);
    const keyedProducer = window(l, 'D:\\kafka\\kafka_2.13-2.6.0>bin\\windows\\kafka-console-producer.bat --broker-list localhost:9092 --topic test --property "parse.key=true" --property "key.separator=:"', ['key1:value1', 'key2:value2']);
    expect(await runUntilSettled(l.scheduler, keyedProducer.run, 30_000)).toBe(0);
    await wait(l, 3_000);
    expect(keyedConsumer.out).toEqual(['key1:value1', 'key2:value2']);
    keyedConsumer.interrupt();
    await runUntilSettled(l.scheduler, keyedConsumer.run, 30_000);
  });
});
