/** The event trace: canonical lines hashed as appended, a bounded tail, and time that never goes back. */
import { describe, expect, it } from 'vitest';
import { EventTrace } from '../../../engine/sim/event-trace.js';
import { simLimits } from '../../../engine/sim/sim-limits.js';
import { fnv1a64Hex } from '../../../engine/sim/trace-hash.js';

const START_MS = 1_700_000_000_000;

describe('EventTrace', () => {
  it('hashes the canonical text form: "<ms since start> <kind> <details>" and a newline per line', () => {
    const trace = new EventTrace(START_MS);
    trace.append(START_MS + 5, 'fault', '#1 crash 2 for 5000ms');
    trace.append(START_MS + 5005, 'heal', '#1 crash 2');
    expect(trace.hashHex()).toBe(fnv1a64Hex('5 fault #1 crash 2 for 5000ms\n5005 heal #1 crash 2\n'));
    expect(trace.lines).toBe(2);
  });

  it('keeps only the last lines for reports, while the hash covers all of them', () => {
    const trace = new EventTrace(START_MS);
    for (let i = 0; i < simLimits.traceTailLines + 10; i++) trace.append(START_MS + i, 'ack', `p1-${i}`);
    expect(trace.tail()).toHaveLength(simLimits.traceTailLines);
    expect(trace.tail()[0]).toBe('10 ack p1-10');
    expect(trace.lines).toBe(simLimits.traceTailLines + 10);
  });

  it('refuses a line earlier than the previous one', () => {
    const trace = new EventTrace(START_MS);
    trace.append(START_MS + 10, 'ack', 'p1-0');
    expect(() => trace.append(START_MS + 9, 'ack', 'p1-1')).toThrow('trace line at 9 ms after one at 10 ms');
  });
});
