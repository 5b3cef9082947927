/**
 * A replica's console prints like a Spring Boot app's (so a learner finds the same lines as in the
 * seed's terminal) and keeps a bounded ring whose line numbers keep counting, so the UI asks for
 * what came after what it has and learns what it missed.
 */
import { describe, expect, it } from 'vitest';
import { abbreviateLogger, formatSpringLine, ReplicaLog } from '../../../engine/services/replica-log.js';
import { servicesLimits } from '../../../engine/services/services-limits.js';

describe('Spring Boot console lines', () => {
  it('follow the default pattern: date, level, PID, thread (15 chars, cut from the left), logger abbreviated to 39', () => {
    const line = formatSpringLine(Date.UTC(2024, 4, 1, 10, 0, 0, 7), 'INFO', 4001, 'org.springframework.kafka.KafkaListenerEndpointContainer#0-0-C-1', 'org.springframework.kafka.listener.KafkaMessageListenerContainer', 'inventory: partitions assigned: []');
    expect(line).toBe('2024-05-01 10:00:00.007  INFO 4001 --- [ntainer#0-0-C-1] o.s.k.l.KafkaMessageListenerContainer    : inventory: partitions assigned: []');
    expect(formatSpringLine(0, 'ERROR', 1, 'main', 'labshop.OrderApplication', 'x')).toBe('1970-01-01 00:00:00.000 ERROR 1 --- [           main] labshop.OrderApplication                 : x');
  });

  it('abbreviate package names left to right as logback does, never the class name', () => {
    expect(abbreviateLogger('org.apache.kafka.clients.consumer.internals.ConsumerCoordinator', 39)).toBe('o.a.k.c.c.internals.ConsumerCoordinator');
    expect(abbreviateLogger('org.apache.kafka.clients.producer.ProducerConfig', 39)).toBe('o.a.k.clients.producer.ProducerConfig');
    expect(abbreviateLogger('labshop.OrderApplication', 39)).toBe('labshop.OrderApplication');
  });
});

describe('ReplicaLog', () => {
  it('answers the lines after the ones the caller has', () => {
    const log = new ReplicaLog();
    for (const text of ['a', 'b', 'c']) log.append(text);
    expect(log.after(0)).toEqual({ firstLine: 0, lines: ['a', 'b', 'c'], totalLines: 3 });
    expect(log.after(2)).toEqual({ firstLine: 2, lines: ['c'], totalLines: 3 });
    expect(log.after(3)).toEqual({ firstLine: 3, lines: [], totalLines: 3 });
    expect(log.after(99)).toEqual({ firstLine: 3, lines: [], totalLines: 3 });
  });

  it('keeps the newest lines when the ring is full; numbers keep counting and the caller sees where its gap is', () => {
    const log = new ReplicaLog();
    const max = servicesLimits.logLinesPerReplicaMax;
    for (let n = 0; n < max + 25; n++) log.append(`line ${n}`);
    const all = log.after(0);
    expect(all.firstLine).toBe(25);
    expect(all.lines).toHaveLength(max);
    expect(all.lines[0]).toBe('line 25');
    expect(all.lines.at(-1)).toBe(`line ${max + 24}`);
    expect(log.after(max + 20)).toEqual({ firstLine: max + 20, lines: [20, 21, 22, 23, 24].map((k) => `line ${max + k}`), totalLines: max + 25 });
    // A caller whose last line was dropped gets the oldest kept one and sees the gap in firstLine.
    expect(log.after(10).firstLine).toBe(25);
  });

  it('cuts a line longer than the limit', () => {
    const log = new ReplicaLog();
    log.append('x'.repeat(servicesLimits.logLineCharsMax + 100));
    const [line] = log.after(0).lines;
    expect(line).toHaveLength(servicesLimits.logLineCharsMax);
    expect(line!.endsWith('...')).toBe(true);
  });
});
