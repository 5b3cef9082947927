/** `kafka-lab sim` arguments: one seed or many, validated with messages that name the option. */
import { describe, expect, it } from 'vitest';
import { UsageError, parseCli } from '../../../cli/args.js';

function refusal(argv: string[]): string {
  try {
    parseCli(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

describe('kafka-lab sim arguments', () => {
  it('parses one seed with the defaults', () => {
    expect(parseCli(['sim', '--seed', '42'])).toEqual({ command: 'sim', mode: { kind: 'one', seed: 42 }, faultPhaseMs: 120_000, recordsPerSecond: 10, workers: 2, faults: true });
    expect(parseCli(['sim', '--seed', '42', '--no-faults'])).toMatchObject({ faults: false });
  });

  it('parses many seeds from a first seed, with duration, rate and workers', () => {
    expect(parseCli(['sim', '--seeds', '1000', '--from', '5000', '--duration', '60', '--rate', '20', '--workers', '1'])).toEqual({
      command: 'sim',
      mode: { kind: 'many', count: 1000, from: 5000 },
      faultPhaseMs: 60_000,
      recordsPerSecond: 20,
      workers: 1,
      faults: true,
    });
    expect(parseCli(['sim', '--seeds', '3'])).toMatchObject({ mode: { kind: 'many', count: 3, from: 1 } });
  });

  it.each([
    [['sim'], 'sim needs --seed N (one run) or --seeds N (many runs).'],
    [['sim', '--seed', '1', '--seeds', '2'], 'sim takes --seed N (one run) or --seeds N (many), not both.'],
    [['sim', '--seed', '1', '--from', '2'], '--from goes with --seeds; --seed already names the seed.'],
    [['sim', '--seed', '1', '--workers', '2'], '--workers goes with --seeds; one seed runs in one thread.'],
    [['sim', '--seed', 'x'], "--seed must be a whole number, got 'x'."],
    [['sim', '--seed=-3'], "--seed must be a whole number, got '-3'."],
    [['sim', '--seed', '2147483648'], '--seed must be between 0 and 2147483647, got 2147483648.'],
    [['sim', '--seeds', '0'], '--seeds must be between 1 and 100000, got 0.'],
    [['sim', '--seeds', '10', '--from', '2147483640'], '--from 2147483640 with --seeds 10 goes past the largest seed 2147483647.'],
    [['sim', '--seeds', '10', '--workers', '0'], '--workers must be between 1 and 16, got 0.'],
    [['sim', '--seed', '1', '--duration', '0'], '--duration must be between 1 and 3600, got 0.'],
    [['sim', '--seed', '1', '--rate', '5000'], '--rate must be between 1 and 1000, got 5000.'],
    [['sim', '--seed', '1', '--brokers', '3'], "Unknown option '--brokers'"],
    [['sim', '--seed', '1', '--no-faults=yes'], "Option '--no-faults' does not take an argument"],
  ])('refuses %j with a specific message', (argv, message) => {
    expect(refusal(argv)).toContain(message);
  });

  it('recognises Kafka tools by the names learners type, with --data and --brokers before them', () => {
    expect(parseCli(['kafka-topics', '--list'])).toEqual({ command: 'tool', dataDir: null, brokers: 3, words: ['kafka-topics', '--list'] });
    expect(parseCli(['--data', '/tmp/lab', '--brokers', '5', 'bin/kafka-topics.sh', '--describe'])).toEqual({ command: 'tool', dataDir: '/tmp/lab', brokers: 5, words: ['bin/kafka-topics.sh', '--describe'] });
    expect(parseCli(['bin\\windows\\kafka-console-producer.bat', '--broker-list', 'localhost:9092'])).toMatchObject({ command: 'tool', words: ['bin\\windows\\kafka-console-producer.bat', '--broker-list', 'localhost:9092'] });
    expect(() => parseCli(['--data'])).toThrow('--data needs a value.');
    expect(() => parseCli(['--brokers', '99', 'kafka-topics'])).toThrow(/--brokers/);
    expect(() => parseCli(['topics', '--list'])).toThrow("Unknown command 'topics'");
  });

  it('leaves serve, help and version as they were', () => {
    expect(parseCli(['serve', '--port', '0'])).toEqual({ command: 'serve', dataDir: null, port: 0, brokers: 3, seed: null, servicePorts: false, kafkaHost: '127.0.0.1' });
    expect(parseCli(['serve', '--service-ports'])).toMatchObject({ command: 'serve', servicePorts: true });
    expect(parseCli(['help'])).toEqual({ command: 'help' });
    expect(parseCli(['--version'])).toEqual({ command: 'version' });
    expect(refusal(['serve', '--seed', '1', '--seeds', '2'])).toContain("Unknown option '--seeds'");
  });
});
