/**
 * Command-line options as Kafka's tools parse them (jopt-simple, as configured by Kafka's
 * CommandDefaultOptions): long options only, written `--name value`, `--name=value` or with one
 * hyphen (`-partitions 2`, which the workshop material uses). Kafka's tools build their parser with
 * `new OptionParser(false)`: abbreviations are NOT allowed, so only the exact name is recognised
 * (`--partition` is refused where only `--partitions` exists; `abbreviations: true` restores
 * jopt-simple's unambiguous-prefix matching for a tool that wants it). A one-hyphen word that is not
 * an option's whole name is read by jopt-simple as a cluster of one-letter options, so it is refused
 * naming its first letter (`-zookeeper` → "z is not a recognized option"). An option with a required
 * argument takes the next word even when it starts with a hyphen; an optional argument does not.
 *
 * The help table follows jopt-simple's BuiltinHelpFormatter: "Option  Description" headers, each
 * option with its argument in angle brackets and its description wrapped beside it.
 */

export interface OptionSpec {
  /** The long name without hyphens: 'bootstrap-server'. */
  readonly name: string;
  /** What --help prints beside it (Kafka's own wording). */
  readonly description: string;
  /** The argument, as help prints it inside <...>: 'String: server to connect to'; absent for a flag. */
  readonly argument?: string;
  /** True when the argument may be left out (jopt-simple's withOptionalArg). */
  readonly optionalArgument?: boolean;
  /** Printed as "(default: ...)" after the description. */
  readonly defaultValue?: string;
}

export class OptionError extends Error {
  constructor(
    /** jopt-simple's exception class, as the JVM prints it ("joptsimple.UnrecognizedOptionException"). */
    readonly exceptionClass: string,
    message: string,
  ) {
    super(message);
    this.name = 'OptionError';
  }
}

export interface ParsedOptions {
  has(name: string): boolean;
  /** The last value given for the option (jopt-simple's valueOf). */
  value(name: string): string | undefined;
  /** Every value given, in order (--property a=1 --property b=2). */
  values(name: string): string[];
  /** Words that are not options or their arguments. */
  readonly positional: readonly string[];
}

/** Parses `args` against the tool's options; throws OptionError as jopt-simple would. */
export function parseOptions(args: readonly string[], specs: readonly OptionSpec[], settings: { abbreviations?: boolean } = {}): ParsedOptions {
  const values = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      positional.push(word);
      continue;
    }
    const body = word.replace(/^--?/, '');
    const equals = body.indexOf('=');
    const written = equals < 0 ? body : body.slice(0, equals);
    const spec = word.startsWith('--') ? resolveSpec(written, specs, settings.abbreviations === true) : resolveShortSpec(written, specs);
    const list = values.get(spec.name) ?? [];
    values.set(spec.name, list);
    if (spec.argument === undefined) {
      if (equals >= 0) throw new OptionError('joptsimple.OptionArgumentConversionException', `Option ${spec.name} does not take an argument`);
      continue;
    }
    if (equals >= 0) {
      list.push(body.slice(equals + 1));
      continue;
    }
    const next = args[i + 1];
    if (next !== undefined && (spec.optionalArgument !== true || !next.startsWith('-'))) {
      list.push(next);
      i += 1;
    } else if (spec.optionalArgument !== true) {
      throw new OptionError('joptsimple.OptionMissingRequiredArgumentException', `Option ${spec.name} requires an argument`);
    }
  }
  return {
    has: (name) => values.has(name),
    value: (name) => values.get(name)?.at(-1),
    values: (name) => [...(values.get(name) ?? [])],
    positional,
  };
}

/** A one-hyphen word: the option of that whole name, else jopt-simple's short-option cluster refusal (first letter). */
function resolveShortSpec(written: string, specs: readonly OptionSpec[]): OptionSpec {
  const exact = specs.find((s) => s.name === written);
  if (exact !== undefined) return exact;
  throw new OptionError('joptsimple.UnrecognizedOptionException', `${written.charAt(0)} is not a recognized option`);
}

/** The option a word names: an exact name, else (with abbreviations) the one option it is a prefix of. */
function resolveSpec(written: string, specs: readonly OptionSpec[], abbreviations: boolean): OptionSpec {
  const exact = specs.find((s) => s.name === written);
  if (exact !== undefined) return exact;
  const candidates = written === '' || !abbreviations ? [] : specs.filter((s) => s.name.startsWith(written));
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length > 1) {
    throw new OptionError('joptsimple.OptionException', `Option(s) [${candidates.map((c) => c.name).join(', ')}] ${written} is ambiguous`);
  }
  throw new OptionError('joptsimple.UnrecognizedOptionException', `${written} is not a recognized option`);
}

/** Description column width of jopt-simple's help formatter. */
const DESCRIPTION_COLUMN = 41;
const LINE_WIDTH = 80;

/** The help table, as `--help` prints it (options sorted by name, as jopt-simple does). */
export function formatHelp(specs: readonly OptionSpec[]): string[] {
  const rows = [...specs]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((spec) => {
      const argument = spec.argument === undefined ? '' : spec.optionalArgument === true ? ` [${spec.argument}]` : ` <${spec.argument}>`;
      const description = spec.defaultValue === undefined ? spec.description : `${spec.description} (default: ${spec.defaultValue})`;
      return { left: `--${spec.name}${argument}`, description };
    });
  const width = Math.min(DESCRIPTION_COLUMN - 1, Math.max('Option'.length, ...rows.map((r) => r.left.length)) + 1);
  const lines = [`${'Option'.padEnd(width)}Description`, `${'------'.padEnd(width)}-----------`];
  for (const row of rows) {
    const wrapped = wrap(row.description, LINE_WIDTH - width);
    if (row.left.length >= width) {
      lines.push(row.left);
      for (const part of wrapped) lines.push(`${''.padEnd(width)}${part}`);
    } else {
      wrapped.forEach((part, index) => lines.push(`${(index === 0 ? row.left : '').padEnd(width)}${part}`));
    }
  }
  return lines;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}
