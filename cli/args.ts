/**
 * Argument parsing for `kafka-lab`. Every option is validated here with a message that names the
 * option and the value, before anything starts.
 */
import { parseArgs } from 'node:util';
import { limits } from '../engine/core/limits.js';

export interface ServeArgs {
  readonly command: 'serve';
  readonly dataDir: string | null;
  readonly port: number;
  readonly brokers: number;
  readonly seed: number | null;
}

export type CliArgs = ServeArgs | { readonly command: 'help' } | { readonly command: 'version' };

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const DEFAULT_SERVE_PORT = 7800;

export const USAGE = `Usage: kafka-lab <command> [options]

Commands:
  serve        Run the workbench headless and serve its UI on http://127.0.0.1
    --data DIR       data directory (default: the desktop app's, in the OS app-data folder)
    --port N         HTTP port on 127.0.0.1 (default ${DEFAULT_SERVE_PORT}; 0 picks a free one)
    --brokers N      brokers in the embedded cluster (default 3, 1 to ${limits.brokersMax})
    --seed N         seed for every random choice of this run (default: random, printed)
  help         Show this help
  version      Show the version
`;

export function parseCli(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === 'version' || command === '--version') return { command: 'version' };
  if (command !== 'serve') throw new UsageError(`Unknown command '${command}'. Run 'kafka-lab help' for the list.`);
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: [...rest],
      options: { data: { type: 'string' }, port: { type: 'string' }, brokers: { type: 'string' }, seed: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | undefined>;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. Run 'kafka-lab help' for the options.`);
  }
  return {
    command: 'serve',
    dataDir: values.data === undefined ? null : nonEmpty('--data', values.data),
    port: values.port === undefined ? DEFAULT_SERVE_PORT : integerIn('--port', values.port, 0, 65_535),
    brokers: values.brokers === undefined ? 3 : integerIn('--brokers', values.brokers, 1, limits.brokersMax),
    seed: values.seed === undefined ? null : integerIn('--seed', values.seed, 0, 0x7fff_ffff),
  };
}

function nonEmpty(option: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`${option} needs a directory.`);
  return value;
}

function integerIn(option: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${option} must be a whole number, got '${value}'.`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${option} must be between ${min} and ${max}, got ${n}.`);
  return n;
}
