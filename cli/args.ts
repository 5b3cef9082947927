/**
 * Argument parsing for `kafka-lab`. Every option is validated here with a message that names the
 * option and the value, before anything starts.
 */
import { parseArgs } from 'node:util';
import { limits } from '../engine/core/limits.js';
import { simLimits } from '../engine/sim/sim-limits.js';

export interface ServeArgs {
  readonly command: 'serve';
  readonly dataDir: string | null;
  readonly port: number;
  readonly brokers: number;
  readonly seed: number | null;
  /** --service-ports: the service replicas listen on 127.0.0.1 (order 8081, inventories 8082...) from the start. */
  readonly servicePorts: boolean;
  /** Where the brokers' Kafka listeners bind (--kafka-host, default 127.0.0.1); null with --no-kafka. */
  readonly kafkaHost: string | null;
  /** --kafka-security: the listeners' security protocol from this start on; absent: the one the data directory keeps. */
  readonly kafkaSecurity?: KafkaSecurityProtocolArg;
}

/** What --kafka-security takes. */
export const KAFKA_SECURITY_PROTOCOLS = ['PLAINTEXT', 'SASL_PLAINTEXT'] as const;
export type KafkaSecurityProtocolArg = (typeof KAFKA_SECURITY_PROTOCOLS)[number];

export interface SimArgs {
  readonly command: 'sim';
  /** One seed (`--seed N`): a full summary; or many (`--seeds N --from S`): progress and a tally. */
  readonly mode: { readonly kind: 'one'; readonly seed: number } | { readonly kind: 'many'; readonly count: number; readonly from: number };
  readonly faultPhaseMs: number;
  readonly recordsPerSecond: number;
  readonly workers: number;
  /** False with --no-faults: the workload alone, for measuring the simulation's speed. */
  readonly faults: boolean;
}

/** `kafka-lab [--data DIR] [--brokers N] kafka-topics ...`: one of Kafka's tools, on the workbench's cluster. */
export interface ToolArgs {
  readonly command: 'tool';
  readonly dataDir: string | null;
  readonly brokers: number;
  /** The tool's name and its arguments, as typed. */
  readonly words: readonly string[];
}

export interface LabArgs {
  readonly command: 'lab';
  readonly action: 'list' | 'run' | 'check';
  /** The labs directory (default: the app's own labs). */
  readonly labsDir: string | null;
  readonly labId: string;
  readonly seed: number;
  readonly json: boolean;
  /** `lab check` files (none: every file of the labs directory). */
  readonly files: readonly string[];
  /** `lab run --report FILE`: the run's report, in the format its extension names. */
  readonly report: ReportOutput | null;
  readonly participant: string;
  readonly lang: ReportLanguage;
}

export type ReportLanguage = 'en' | 'ko';
export type ReportFileFormat = 'html' | 'pdf' | 'json' | 'csv';
export interface ReportOutput {
  readonly format: ReportFileFormat;
  readonly file: string;
}

/** `kafka-lab report RUN --html F --pdf F --json F --csv F`: a run of the history, as report files. */
export interface ReportArgs {
  readonly command: 'report';
  readonly dataDir: string | null;
  /** A run id, or `list` for the history's runs. */
  readonly runId: string;
  readonly outputs: readonly ReportOutput[];
  readonly lang: ReportLanguage;
}

/** `kafka-lab summary REPORT.json... --csv F --html F`: the instructor's class table. */
export interface SummaryArgs {
  readonly command: 'summary';
  readonly files: readonly string[];
  readonly csv: string | null;
  readonly html: string | null;
  readonly lang: ReportLanguage;
}

export type CliArgs = ServeArgs | SimArgs | ToolArgs | LabArgs | ReportArgs | SummaryArgs | { readonly command: 'help' } | { readonly command: 'version' };

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const DEFAULT_SERVE_PORT = 7800;
/** Seed runs in parallel by default: the machines this runs on have two cores to share. */
export const DEFAULT_SIM_WORKERS = 2;
/** Worker threads one `sim` run may start: more than the cores only adds scheduling. */
const SIM_WORKERS_MAX = 16;

export const USAGE = `Usage: kafka-lab <command> [options]

Commands:
  serve        Run the workbench headless and serve its UI on http://127.0.0.1
    --data DIR       data directory (default: the desktop app's, in the OS app-data folder)
    --port N         HTTP port on 127.0.0.1 (default ${DEFAULT_SERVE_PORT}; 0 picks a free one)
    --brokers N      brokers in the embedded cluster (default 3, 1 to ${limits.brokersMax})
    --seed N         seed for every random choice of this run (default: random, printed)
    --service-ports  the service replicas listen on 127.0.0.1 (order on 8081, inventories on
                     8082, 8083, ...) so the workshop's \`http :8081/orders ...\` commands work
    --kafka-host H   where the brokers' Kafka listeners bind (default 127.0.0.1; ports 9092, 9093, ...)
    --no-kafka       no Kafka listeners (real clients cannot connect)
    --kafka-security PLAINTEXT|SASL_PLAINTEXT
                     the listeners' security protocol, remembered in the data directory (default:
                     the remembered one; PLAINTEXT at first, which needs no authentication).
                     SASL_PLAINTEXT takes PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 logins of the users
                     kafka-configs --entity-type users (or the Cluster view) creates
  sim          Deterministic simulation: seeded workload + random faults + invariant checkers
    --seed N         run one seed and print its summary (faults, acks, losses, checks, trace hash)
    --seeds N        run N seeds (progress, then a one-line summary and a JSON line); exit 1 on
                     any invariant violation, naming each failing seed and its replay command
    --from S         first seed of --seeds (default 1)
    --duration SEC   virtual seconds of workload and faults per seed (default ${simLimits.faultPhaseMsDefault / 1000})
    --rate N         records per virtual second, all producers together (default ${simLimits.recordsPerSecondDefault})
    --workers N      worker threads for --seeds (default ${DEFAULT_SIM_WORKERS}, 1 to ${SIM_WORKERS_MAX})
    --no-faults      the workload alone, no faults (to measure the simulation's speed)
  lab list     The labs (labs/NN-id.yaml) and any problem in their files (file:line:column)
  lab run ID   Run a lab's autopilot on a fresh simulated cluster: each step's actions, then its
               checks; exit 1 if a check fails
    --seed N         seed of the run (default 1); the same seed replays the same run
    --json           last line: {"lab", "passed", "steps": [{"id", "passed", "checks"}]}
    --labs DIR       another labs directory (an instructor's own labs)
    --report FILE    write the run's report: FILE ends in .html, .pdf, .json or .csv
    --participant N  the name on the report (default: empty)
    --lang en|ko     the report's language (default en)
  lab check [FILE...]  Validate lab files (default: every file of the labs directory)
  report list  The runs in the history of the data directory (--data DIR)
  report RUN   A run of the history as report files (any of):
    --html FILE      self-contained HTML (no external request; prints well)
    --pdf FILE       PDF, printed by a locally installed Chromium (KAFKA_LAB_CHROMIUM to choose one)
    --json FILE      JSON (schema: docs/report-schema.v1.json)
    --csv FILE       the metric series as CSV
    --lang en|ko     the report's language (default en)
    --data DIR       data directory (default: the desktop app's)
  summary REPORT.json...  The class table of many JSON reports; unreadable or foreign files are
               listed with the reason and skipped
    --csv FILE       the table as CSV
    --html FILE      the table as HTML
    --lang en|ko     the HTML's language (default en)
  kafka-topics, kafka-configs, kafka-console-producer, kafka-console-consumer, kafka-consumer-groups,
  kafka-reassign-partitions, kafka-leader-election, kafka-metadata-quorum, kafka-get-offsets,
  kafka-producer-perf-test, kafka-consumer-perf-test   (also with .sh / .bat, bin/ or ./)
               Kafka's command-line tool, with Kafka's options and output, on the workbench's cluster:
               in the running 'kafka-lab serve' of the data directory, else on the directory itself.
               Put --data DIR (and --brokers N for a new directory) before the tool's name.
  help         Show this help
  version      Show the version
`;

export function parseCli(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === 'version' || command === '--version') return { command: 'version' };
  if (command === 'sim') return parseSim(rest);
  if (command === 'lab') return parseLab(rest);
  if (command === 'report') return parseReport(rest);
  if (command === 'summary') return parseSummary(rest);
  const tool = parseTool(argv);
  if (tool !== null) return tool;
  if (command !== 'serve') throw new UsageError(`Unknown command '${command}'. Run 'kafka-lab help' for the list.`);
  const values = parseOptions(rest, ['data', 'port', 'brokers', 'seed', 'kafka-host', 'kafka-security'], ['service-ports', 'no-kafka']);
  if (values['no-kafka'] === 'true' && values['kafka-host'] !== undefined) throw new UsageError('serve takes --kafka-host H or --no-kafka, not both.');
  const security = values['kafka-security'];
  return {
    command: 'serve',
    dataDir: values.data === undefined ? null : nonEmpty('--data', values.data),
    port: values.port === undefined ? DEFAULT_SERVE_PORT : integerIn('--port', values.port, 0, 65_535),
    brokers: values.brokers === undefined ? 3 : integerIn('--brokers', values.brokers, 1, limits.brokersMax),
    seed: values.seed === undefined ? null : integerIn('--seed', values.seed, 0, 0x7fff_ffff),
    servicePorts: values['service-ports'] === 'true',
    kafkaHost: values['no-kafka'] === 'true' ? null : values['kafka-host'] === undefined ? '127.0.0.1' : nonEmpty('--kafka-host', values['kafka-host']),
    ...(security === undefined ? {} : { kafkaSecurity: securityProtocol(security) }),
  };
}

/** --kafka-security's value, exactly as Kafka spells security.protocol. */
function securityProtocol(value: string): KafkaSecurityProtocolArg {
  const found = KAFKA_SECURITY_PROTOCOLS.find((p) => p === value);
  if (found !== undefined) return found;
  const hint = KAFKA_SECURITY_PROTOCOLS.find((p) => p === value.toUpperCase());
  const suggestion = hint === undefined ? '' : ` (did you mean ${hint}?)`;
  throw new UsageError(`--kafka-security must be PLAINTEXT or SASL_PLAINTEXT, not '${value}'${suggestion}; the listeners do not offer SSL or SASL_SSL.`);
}

/** A Kafka tool's name as typed: kafka-topics, kafka-topics.sh, bin/kafka-topics.sh, .\\bin\\windows\\kafka-topics.bat. */
const TOOL_NAME = /^(?:.*[\\/])?kafka-[a-z-]+(?:\.sh|\.bat)?$/;

/** `[--data DIR] [--brokers N] <kafka tool> args...`, or null when the line names no Kafka tool. */
function parseTool(argv: readonly string[]): ToolArgs | null {
  let dataDir: string | null = null;
  let brokers = 3;
  let i = 0;
  // Bounded by argv: each pass consumes one option and its value.
  while (i < argv.length && (argv[i] === '--data' || argv[i] === '--brokers')) {
    const value = argv[i + 1];
    if (value === undefined) throw new UsageError(`${argv[i]} needs a value.`);
    if (argv[i] === '--data') dataDir = nonEmpty('--data', value);
    else brokers = integerIn('--brokers', value, 1, limits.brokersMax);
    i += 2;
  }
  const name = argv[i];
  if (name === undefined || !TOOL_NAME.test(name)) return null;
  return { command: 'tool', dataDir, brokers, words: argv.slice(i) };
}

function parseLab(rest: readonly string[]): LabArgs {
  const [action, ...words] = rest;
  if (action !== 'list' && action !== 'run' && action !== 'check') throw new UsageError("lab needs 'list', 'run <id>' or 'check [FILE...]'.");
  const { positional, flags } = splitWords(words, ['seed', 'labs', 'report', 'participant', 'lang'], ['json'], `lab ${action}`);
  if (action === 'run' && positional.length !== 1) throw new UsageError('lab run needs one lab id, like: kafka-lab lab run first-topic');
  if (action === 'list' && positional.length > 0) throw new UsageError('lab list takes no arguments.');
  if (action !== 'run' && (flags.report !== undefined || flags.participant !== undefined)) throw new UsageError('--report and --participant go with lab run.');
  return {
    command: 'lab',
    action,
    labsDir: flags.labs === undefined ? null : nonEmpty('--labs', flags.labs),
    labId: action === 'run' ? positional[0]! : '',
    seed: flags.seed === undefined ? 1 : integerIn('--seed', flags.seed, 0, 0x7fff_ffff),
    json: flags.json === 'true',
    files: action === 'check' ? positional : [],
    report: flags.report === undefined ? null : reportOutput('--report', flags.report),
    participant: flags.participant === undefined ? '' : participantName(flags.participant),
    lang: language(flags.lang),
  };
}

const REPORT_FORMATS: readonly ReportFileFormat[] = ['html', 'pdf', 'json', 'csv'];

function parseReport(rest: readonly string[]): ReportArgs {
  const { positional, flags } = splitWords(rest, ['html', 'pdf', 'json', 'csv', 'lang', 'data'], [], 'report');
  if (positional.length !== 1) throw new UsageError("report needs one run id (or 'list'), like: kafka-lab report 20260302-103000-first-topic --html report.html");
  const runId = positional[0]!;
  const outputs = REPORT_FORMATS.flatMap((format) => (flags[format] === undefined ? [] : [{ format, file: nonEmpty(`--${format}`, flags[format]) }]));
  if (runId !== 'list' && outputs.length === 0) throw new UsageError('report needs at least one of --html FILE, --pdf FILE, --json FILE, --csv FILE.');
  if (runId !== 'list' && !/^[A-Za-z0-9._-]{1,64}$/.test(runId)) throw new UsageError(`'${runId}' is not a run id (letters, digits, dots, dashes, underscores; 'kafka-lab report list' shows them).`);
  return { command: 'report', dataDir: flags.data === undefined ? null : nonEmpty('--data', flags.data), runId, outputs, lang: language(flags.lang) };
}

function parseSummary(rest: readonly string[]): SummaryArgs {
  const { positional, flags } = splitWords(rest, ['csv', 'html', 'lang'], [], 'summary');
  if (positional.length === 0) throw new UsageError('summary needs the JSON reports to read, like: kafka-lab summary reports/*.json --csv class.csv');
  if (flags.csv === undefined && flags.html === undefined) throw new UsageError('summary needs --csv FILE, --html FILE or both.');
  return {
    command: 'summary',
    files: positional,
    csv: flags.csv === undefined ? null : nonEmpty('--csv', flags.csv),
    html: flags.html === undefined ? null : nonEmpty('--html', flags.html),
    lang: language(flags.lang),
  };
}

/** Positional words and `--name value` / `--switch` options; an unknown option is refused by name. */
function splitWords(words: readonly string[], valued: readonly string[], switches: readonly string[], what: string): { positional: string[]; flags: Record<string, string> } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  // Bounded by words: each pass consumes one word, or an option and its value.
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const name = word.slice(2);
    if (word.startsWith('--') && switches.includes(name)) flags[name] = 'true';
    else if (word.startsWith('--') && valued.includes(name)) {
      const value = words[i + 1];
      if (value === undefined) throw new UsageError(`${word} needs a value.`);
      flags[name] = value;
      i++;
    } else if (word.startsWith('--')) throw new UsageError(`Unknown option '${word}' for ${what}.`);
    else positional.push(word);
  }
  return { positional, flags };
}

function reportOutput(option: string, file: string): ReportOutput {
  const format = /\.(html|pdf|json|csv)$/i.exec(file)?.[1]?.toLowerCase() as ReportFileFormat | undefined;
  if (format === undefined) throw new UsageError(`${option} ${file}: the file must end in .html, .pdf, .json or .csv (that is the report's format).`);
  return { format, file };
}

function language(value: string | undefined): ReportLanguage {
  if (value === undefined) return 'en';
  if (value !== 'en' && value !== 'ko') throw new UsageError(`--lang ${value}: the report languages are en and ko.`);
  return value;
}

function participantName(value: string): string {
  const name = value.trim();
  if (name.length > 80 || /[\n\r\t]/.test(name)) throw new UsageError('--participant: a name is one line of at most 80 characters.');
  return name;
}

function parseSim(rest: readonly string[]): SimArgs {
  const values = parseOptions(rest, ['seed', 'seeds', 'from', 'duration', 'rate', 'workers'], ['no-faults']);
  if (values.seed !== undefined && values.seeds !== undefined) throw new UsageError('sim takes --seed N (one run) or --seeds N (many), not both.');
  if (values.seed === undefined && values.seeds === undefined) throw new UsageError('sim needs --seed N (one run) or --seeds N (many runs).');
  if (values.seed !== undefined && values.from !== undefined) throw new UsageError('--from goes with --seeds; --seed already names the seed.');
  if (values.seed !== undefined && values.workers !== undefined) throw new UsageError('--workers goes with --seeds; one seed runs in one thread.');
  const seedMax = simLimits.seedMax;
  const mode: SimArgs['mode'] =
    values.seed !== undefined
      ? { kind: 'one', seed: integerIn('--seed', values.seed, 0, seedMax) }
      : { kind: 'many', count: integerIn('--seeds', values.seeds!, 1, simLimits.seedsPerRunMax), from: values.from === undefined ? 1 : integerIn('--from', values.from, 0, seedMax) };
  if (mode.kind === 'many' && mode.from + mode.count - 1 > seedMax) {
    throw new UsageError(`--from ${mode.from} with --seeds ${mode.count} goes past the largest seed ${seedMax}.`);
  }
  const maxSeconds = simLimits.faultPhaseMsMax / 1000;
  return {
    command: 'sim',
    mode,
    faultPhaseMs: values.duration === undefined ? simLimits.faultPhaseMsDefault : integerIn('--duration', values.duration, 1, maxSeconds) * 1000,
    recordsPerSecond: values.rate === undefined ? simLimits.recordsPerSecondDefault : integerIn('--rate', values.rate, 1, simLimits.recordsPerSecondMax),
    workers: values.workers === undefined ? DEFAULT_SIM_WORKERS : integerIn('--workers', values.workers, 1, SIM_WORKERS_MAX),
    faults: values['no-faults'] !== 'true',
  };
}

/** String options by name; the boolean `flags` given appear as the string 'true'. */
function parseOptions(args: readonly string[], names: readonly string[], flags: readonly string[] = []): Record<string, string | undefined> {
  try {
    const options = Object.fromEntries([...names.map((name) => [name, { type: 'string' as const }]), ...flags.map((flag) => [flag, { type: 'boolean' as const }])]);
    const { values } = parseArgs({ args: [...args], options, strict: true, allowPositionals: false });
    return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, String(value)]));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. Run 'kafka-lab help' for the options.`);
  }
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
