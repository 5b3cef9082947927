/**
 * kafka-configs, as Apache Kafka 3.7.0's kafka.admin.ConfigCommand (core, Scala) runs it against a
 * cluster (--bootstrap-server): --describe [--all] and --alter --add-config k=v,k2=v2 /
 * --delete-config k for --entity-type topics|brokers (--entity-name, --entity-default, and the
 * --topic, --broker, --broker-defaults shortcuts), and users' SCRAM credentials for
 * --entity-type users (--user): --add-config 'SCRAM-SHA-256=[iterations=8192,password=p],SCRAM-SHA-512=[password=p]',
 * --delete-config SCRAM-SHA-512, and --describe, through the contract's upsertScramUser /
 * deleteScramUser / describeScramUsers.
 *
 * Output, as the real tool prints it:
 *   Dynamic configs for topic orders are:
 *     min.insync.replicas=2 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:min.insync.replicas=2, DEFAULT_CONFIG:min.insync.replicas=1}
 *   Default configs for brokers in the cluster are:
 *   Completed updating config for topic orders.
 *   Completed updating default config for brokers in the cluster.
 *   Completed updating config for user alice.
 *   SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=8192, SCRAM-SHA-512=iterations=4096
 * Entries are sorted by name; synonyms follow the broker's ConfigHelper (the topic override, then the
 * broker's dynamic default, then Kafka's static default of the broker synonym — with its dropWhile:
 * retention.ms has no DEFAULT_CONFIG synonym unless log.retention.ms is set, because Kafka's default
 * sits on log.retention.hours).
 *
 * Errors, as ConfigCommand.main prints them: IllegalArgumentException / InvalidConfigurationException
 * / jopt-simple's exceptions → the bare message on stderr, exit 1 ("Invalid config(s): k" when
 * deleting a config that is not set); anything else (a failed admin call, wrapped in the JVM's
 * ExecutionException) → "Error while executing config command with args '<args>'" and the exception
 * line on stderr, exit 1. Usage errors print the message and the help (printUsageAndExit).
 *
 * Where the workbench differs, said in one line rather than faked: it has no static broker configs
 * (server.properties) and no per-broker overrides — every broker shares the cluster-wide dynamic
 * defaults — so "Dynamic configs for broker 1 are:" lists nothing and altering one broker is refused
 * with a hint to use --entity-default; clients, ips, broker-loggers and client-metrics, and users'
 * quotas, are valid in Kafka but not modelled here. The legacy --zookeeper is accepted with the
 * shared one-line note (Kafka 3.7 would only allow users/brokers with it).
 *
 * SCRAM credentials: ConfigCommand's own checks (config names, --entity-default, the credential's
 * `[iterations=N,]password=P` syntax, iterations below the mechanism's 4096) print the bare message;
 * the admin client's and the broker's (an empty password, iterations above 16384, a mechanism both
 * added and deleted, deleting a credential the user does not have) print as a failed admin call.
 * Several mechanisms in one --add-config are one request, all or nothing for the user, as the
 * documented example and a ZooKeeper-mode broker (ZkAdminManager) take it; Kafka 3.7's KRaft
 * controller (ScramControlManager) would refuse a second alteration of the same user in one request
 * with DUPLICATE_RESOURCE — the workbench follows the documentation rather than that limitation.
 *
 * Invariants: every check (options, entity, config syntax, topic existence, configs to delete) runs
 * before the one contract command, so a refused command changes nothing.
 */
import { defaultMessageOf } from '../../core/kafka-error-info.js';
import { BROKER_CONFIGS } from '../../cluster/broker-configs.js';
import type { OptionSpec, ParsedOptions } from '../options.js';
import { ConsoleCallError, type ConsoleTool, type ToolContext } from '../tool-context.js';
import {
  bootstrapServerOf,
  checkInvalidArgs,
  failureOf,
  ILLEGAL_ARGUMENT,
  maybePrintHelpOrVersion,
  parseToolOptions,
  printUsageAndExit,
  runTool,
  ToolExit,
  ToolFailure,
  withDefaultOptions,
  ZOOKEEPER_SPEC,
} from './tool-support.js';

const HELP_MESSAGE = 'This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip or client-metrics';
const INVALID_CONFIGURATION = 'org.apache.kafka.common.errors.InvalidConfigurationException';
const TOPICS = 'topics';
const BROKERS = 'brokers';
const USERS = 'users';
/** ConfigType.all :+ broker-loggers :+ client-metrics: what Kafka accepts with --bootstrap-server. */
const KAFKA_ENTITY_TYPES = ['topics', 'clients', 'users', 'brokers', 'ips', 'broker-loggers', 'client-metrics'] as const;

const SPECS: readonly OptionSpec[] = withDefaultOptions([
  { name: 'bootstrap-server', description: 'The Kafka servers to connect to.', argument: 'String: server to connect to' },
  { name: 'bootstrap-controller', description: 'The Kafka controllers to connect to.', argument: 'String: controller to connect to' },
  { name: 'command-config', description: 'Property file containing configs to be passed to Admin Client. This is used only with --bootstrap-server option for describing and altering broker configs.', argument: 'String: command config property file' },
  { name: 'alter', description: 'Alter the configuration for the entity.' },
  { name: 'describe', description: 'List configs for the given entity.' },
  { name: 'all', description: 'List all configs for the given topic, broker, or broker-logger entity (includes static configuration when the entity type is brokers)' },
  { name: 'entity-type', description: 'Type of entity (topics/clients/users/brokers/broker-loggers/ips/client-metrics)', argument: 'String' },
  { name: 'entity-name', description: 'Name of entity (topic name/client id/user principal name/broker id/ip/client metrics)', argument: 'String' },
  { name: 'entity-default', description: 'Default entity name for clients/users/brokers/ips (applies to corresponding entity type in command line)' },
  {
    name: 'add-config',
    description:
      "Key Value pairs of configs to add. Square brackets can be used to group values which contain commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'. The workbench accepts the topic configs that --describe --all lists for a topic, and for --entity-type brokers --entity-default the cluster-wide defaults it lists for a broker.",
    argument: 'String',
  },
  { name: 'add-config-file', description: 'Path to a properties file with configs to add. See add-config for a list of valid configurations.', argument: 'String' },
  { name: 'delete-config', description: "config keys to remove 'k1,k2'", argument: 'String' },
  { name: 'force', description: 'Suppress console prompts' },
  { name: 'topic', description: "The topic's name.", argument: 'String' },
  { name: 'client', description: "The client's ID.", argument: 'String' },
  { name: 'client-defaults', description: 'The config defaults for all clients.' },
  { name: 'user', description: "The user's principal name.", argument: 'String' },
  { name: 'user-defaults', description: 'The config defaults for all users.' },
  { name: 'broker', description: "The broker's ID.", argument: 'String' },
  { name: 'broker-defaults', description: 'The config defaults for all brokers.' },
  { name: 'broker-logger', description: "The broker's ID for its logger config.", argument: 'String' },
  { name: 'ip-defaults', description: 'The config defaults for all IPs.' },
  { name: 'ip', description: 'The IP address.', argument: 'String' },
  { ...ZOOKEEPER_SPEC, argument: 'String: urls' },
]);

/** The specific entity flags and the type each stands for (ConfigCommandOptions.entityFlags). */
const ENTITY_FLAGS: readonly (readonly [string, string])[] = [
  ['topic', 'topics'],
  ['client', 'clients'],
  ['user', 'users'],
  ['broker', 'brokers'],
  ['broker-logger', 'broker-loggers'],
  ['ip', 'ips'],
];
const ENTITY_DEFAULT_FLAGS: readonly (readonly [string, string])[] = [
  ['client-defaults', 'clients'],
  ['user-defaults', 'users'],
  ['broker-defaults', 'brokers'],
  ['ip-defaults', 'ips'],
];

/**
 * Kafka's broker synonyms of each topic config the workbench knows (ServerTopicConfigSynonyms), and
 * the static defaults KafkaConfig gives them, in synonym order (a null default is left out, as
 * ConfigHelper's maybeAddSynonym leaves it out).
 */
const TOPIC_CONFIG_SYNONYMS: Readonly<Record<string, { readonly broker: string; readonly defaults: readonly (readonly [string, string])[] }>> = {
  'cleanup.policy': { broker: 'log.cleanup.policy', defaults: [['log.cleanup.policy', 'delete']] },
  'compression.type': { broker: 'compression.type', defaults: [['compression.type', 'producer']] },
  'delete.retention.ms': { broker: 'log.cleaner.delete.retention.ms', defaults: [['log.cleaner.delete.retention.ms', '86400000']] },
  'file.delete.delay.ms': { broker: 'log.segment.delete.delay.ms', defaults: [['log.segment.delete.delay.ms', '60000']] },
  'flush.messages': { broker: 'log.flush.interval.messages', defaults: [['log.flush.interval.messages', '9223372036854775807']] },
  'flush.ms': { broker: 'log.flush.interval.ms', defaults: [['log.flush.scheduler.interval.ms', '9223372036854775807']] },
  'index.interval.bytes': { broker: 'log.index.interval.bytes', defaults: [['log.index.interval.bytes', '4096']] },
  'max.compaction.lag.ms': { broker: 'log.cleaner.max.compaction.lag.ms', defaults: [['log.cleaner.max.compaction.lag.ms', '9223372036854775807']] },
  'max.message.bytes': { broker: 'message.max.bytes', defaults: [['message.max.bytes', '1048588']] },
  'message.timestamp.type': { broker: 'log.message.timestamp.type', defaults: [['log.message.timestamp.type', 'CreateTime']] },
  'min.cleanable.dirty.ratio': { broker: 'log.cleaner.min.cleanable.ratio', defaults: [['log.cleaner.min.cleanable.ratio', '0.5']] },
  'min.compaction.lag.ms': { broker: 'log.cleaner.min.compaction.lag.ms', defaults: [['log.cleaner.min.compaction.lag.ms', '0']] },
  'min.insync.replicas': { broker: 'min.insync.replicas', defaults: [['min.insync.replicas', '1']] },
  'retention.bytes': { broker: 'log.retention.bytes', defaults: [['log.retention.bytes', '-1']] },
  'retention.ms': { broker: 'log.retention.ms', defaults: [['log.retention.hours', '168']] },
  'segment.bytes': { broker: 'log.segment.bytes', defaults: [['log.segment.bytes', '1073741824']] },
  'segment.index.bytes': { broker: 'log.index.size.max.bytes', defaults: [['log.index.size.max.bytes', '10485760']] },
  'segment.ms': { broker: 'log.roll.ms', defaults: [['log.roll.hours', '168']] },
  'unclean.leader.election.enable': { broker: 'unclean.leader.election.enable', defaults: [['unclean.leader.election.enable', 'false']] },
};

/** Where Kafka's static default of a broker config sits when it is not on the config itself. */
const BROKER_DEFAULT_SYNONYMS: Readonly<Record<string, readonly [string, string]>> = {
  'log.retention.ms': ['log.retention.hours', '168'],
};

interface ConfigEntity {
  readonly type: string;
  /** The entity name; '' is the default entity (--entity-default); undefined describes every entity of the type. */
  readonly name: string | undefined;
}

interface Entry {
  readonly name: string;
  readonly value: string;
  readonly source: string;
}

export const kafkaConfigsTool: ConsoleTool = {
  name: 'kafka-configs',
  run: (args, context) => runTool(context, () => runConfigs(args, context)),
};

async function runConfigs(args: readonly string[], context: ToolContext): Promise<number> {
  const options = parseToolOptions(context, args, SPECS, 'scala');
  maybePrintHelpOrVersion(context, args, options, SPECS, HELP_MESSAGE);
  try {
    const entity = checkArgs(options, context);
    bootstrapServerOf(context, options, 'kafka-configs');
    if (options.has('alter')) await alterConfig(entity, options, context);
    else await describeConfig(entity, options.has('all'), context);
    return 0;
  } catch (error) {
    if (error instanceof ToolExit) throw error;
    return printConfigError(context, args, error);
  }
}

/** ConfigCommand.main's two catch clauses. */
function printConfigError(context: ToolContext, args: readonly string[], error: unknown): number {
  const { exceptionClass, message } = failureOf(error);
  if (error instanceof ToolFailure && (exceptionClass === ILLEGAL_ARGUMENT || exceptionClass === INVALID_CONFIGURATION)) {
    context.output.err(message);
    return 1;
  }
  context.output.err(`Error while executing config command with args '${args.join(' ')}'`);
  // A failed admin call surfaces from KafkaFuture.get() wrapped in an ExecutionException.
  const wrapped = error instanceof ConsoleCallError ? `java.util.concurrent.ExecutionException: ${exceptionClass}: ${message}` : `${exceptionClass}: ${message}`;
  context.output.err(wrapped);
  return 1;
}

function illegal(message: string): ToolFailure {
  return new ToolFailure(ILLEGAL_ARGUMENT, message);
}

// ---------------------------------------------------------------------------------------------
// Arguments

function entityTypesOf(options: ParsedOptions): string[] {
  return [...options.values('entity-type'), ...[...ENTITY_FLAGS, ...ENTITY_DEFAULT_FLAGS].filter(([flag]) => options.has(flag)).map(([, type]) => type)];
}

function entityNamesOf(options: ParsedOptions): string[] {
  return [
    ...options.values('entity-name'),
    ...(options.has('entity-default') ? [''] : []),
    ...ENTITY_FLAGS.filter(([flag]) => options.has(flag)).map(([flag]) => options.value(flag)!),
    ...ENTITY_DEFAULT_FLAGS.filter(([flag]) => options.has(flag)).map(() => ''),
  ];
}

/** ConfigCommandOptions.checkArgs, in its order, then processCommand's check; returns the entity. */
function checkArgs(options: ParsedOptions, context: ToolContext): ConfigEntity {
  if (['alter', 'describe'].filter((a) => options.has(a)).length !== 1) {
    printUsageAndExit(context, SPECS, 'Command must include exactly one action: --describe, --alter');
  }
  checkInvalidArgs(context, SPECS, options, 'describe', ['alter', 'add-config', 'delete-config']);
  const types = entityTypesOf(options);
  const names = entityNamesOf(options);
  const duplicates = types.filter((t, i) => types.indexOf(t) !== i);
  if (duplicates.length > 0) throw illegal(`Duplicate entity type(s) specified: ${duplicates.join(',')}`);
  for (const type of types) {
    if (!(KAFKA_ENTITY_TYPES as readonly string[]).includes(type)) {
      throw illegal(`Invalid entity type ${type}, the entity type must be one of ${KAFKA_ENTITY_TYPES.join(', ')} with a --bootstrap-server or --bootstrap-controller argument`);
    }
  }
  if (types.length === 0) throw illegal('At least one entity type must be specified');
  if (types.length > 1 && !(types.length === 2 && types.includes('users') && types.includes('clients'))) {
    throw illegal("Only 'users' and 'clients' entity types may be specified together");
  }
  const generic = ['entity-name', 'entity-type', 'entity-default'].some((o) => options.has(o));
  if (generic && [...ENTITY_FLAGS, ...ENTITY_DEFAULT_FLAGS].some(([flag]) => options.has(flag))) {
    throw illegal('--entity-{type,name,default} should not be used in conjunction with specific entity flags');
  }
  checkConnectOptions(options);
  const hasName = names.some((n) => n !== '');
  const hasDefault = names.some((n) => n === '');
  if (hasName && (types.includes(BROKERS) || types.includes('broker-loggers'))) {
    for (const id of ['entity-name', 'broker', 'broker-logger'].filter((o) => options.has(o)).map((o) => options.value(o)!)) {
      if (!isJavaInt(id)) throw illegal(`The entity name for ${types[0]} must be a valid integer broker id, but it is: ${id}`);
    }
  }
  if (options.has('describe') && types.includes('broker-loggers') && !hasName) throw illegal(`an entity name must be specified with --describe of ${types.join(',')}`);
  if (options.has('alter')) checkAlterArgs(options, types, hasName, hasDefault);
  if (options.has('alter') && types.length !== names.length) throw illegal('An entity name must be specified for every entity type');
  const type = types[0]!;
  if (type === USERS && types.length === 1) return { type, name: names[0] };
  if (type !== TOPICS && type !== BROKERS) {
    throw illegal(`The workbench models topic and broker configs and users' SCRAM credentials only: --entity-type ${types.join(',')} is not supported here.`);
  }
  return { type, name: names[0] };
}

function checkConnectOptions(options: ParsedOptions): void {
  const connects = ['bootstrap-server', 'bootstrap-controller', ZOOKEEPER_SPEC.name].filter((o) => options.has(o)).length;
  // "--boostrap-controller" is spelled so in Kafka 3.7's messages.
  if (connects === 0) throw illegal('One of the required --bootstrap-server, --boostrap-controller, or --zookeeper arguments must be specified');
  if (connects > 1) throw illegal('Only one of --bootstrap-server, --boostrap-controller, and --zookeeper can be specified');
  if (options.has('all') && options.has(ZOOKEEPER_SPEC.name)) throw illegal('--bootstrap-server must be specified for --all');
}

function checkAlterArgs(options: ParsedOptions, types: readonly string[], hasName: boolean, hasDefault: boolean): void {
  if (types.some((t) => ['users', 'clients', 'brokers', 'ips'].includes(t))) {
    if (!hasName && !hasDefault) throw illegal('an entity-name or default entity must be specified with --alter of users, clients, brokers or ips');
  } else if (!hasName) {
    throw illegal(`an entity name must be specified with --alter of ${types.join(',')}`);
  }
  if (options.has('add-config') && options.has('add-config-file')) throw illegal('Only one of --add-config or --add-config-file must be specified');
  if (!options.has('add-config') && !options.has('add-config-file') && !options.has('delete-config')) {
    throw illegal('At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter');
  }
}

/** Scala's String.toInt (Integer.parseInt). */
function isJavaInt(text: string): boolean {
  if (!/^[+-]?\d+$/.test(text)) return false;
  const value = Number(text);
  return value >= -2_147_483_648 && value <= 2_147_483_647;
}

/**
 * parseConfigsToBeAdded: --add-config split on the commas outside [...], each pair on '=' (spaces
 * around it allowed), brackets removed from values; then --add-config-file's properties first.
 */
function configsToBeAdded(options: ParsedOptions, context: ToolContext): Record<string, string> {
  const configs: Record<string, string> = {};
  const file = options.value('add-config-file');
  if (file !== undefined) Object.assign(configs, loadProperties(context.files.read(file)));
  const text = options.value('add-config');
  if (text !== undefined) {
    const outsideBrackets = '(?=[^\\]]*(?:\\[|$))';
    const items = text.split(new RegExp(`,${outsideBrackets}`));
    while (items.length > 1 && items.at(-1) === '') items.pop(); // Java's split drops trailing empty strings
    const pairs = items.map((item) => item.split(new RegExp(`\\s*=\\s*${outsideBrackets}`)));
    if (!pairs.every((pair) => pair.length === 2)) throw illegal('requirement failed: Invalid entity config: all configs to be added must be in the format "key=val".');
    for (const [key, value] of pairs) configs[key!.trim()] = value!.replace(/[[\]]/g, '').trim();
  }
  for (const key of Object.keys(configs)) {
    if (!/^[a-zA-Z0-9._-]*$/.test(key)) throw illegal(`Invalid character found for config key: ${key}`);
  }
  return configs;
}

/** Utils.loadProps for the simple files a learner writes: `key=value` or `key: value`, '#'/'!' comments. */
function loadProperties(text: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const separator = line.search(/[=:]/);
    if (separator < 0) properties[line] = '';
    else properties[line.slice(0, separator).trim()] = line.slice(separator + 1).trim();
  }
  return properties;
}

/** parseConfigsToBeDeleted: every --delete-config, split on ',' (withValuesSeparatedBy), trimmed. */
function configsToBeDeleted(options: ParsedOptions): string[] {
  return options.values('delete-config').flatMap((v) => v.split(',')).map((k) => k.trim());
}

// ---------------------------------------------------------------------------------------------
// Actions

async function alterConfig(entity: ConfigEntity, options: ParsedOptions, context: ToolContext): Promise<void> {
  const name = entity.name!;
  const added = configsToBeAdded(options, context);
  const deleted = configsToBeDeleted(options);
  if (entity.type === USERS) {
    await alterUserConfig(name, added, deleted, context);
    context.output.out(name !== '' ? `Completed updating config for user ${name}.` : 'Completed updating default config for users in the cluster.');
    return;
  }
  if (entity.type === BROKERS && name !== '') {
    throw illegal(`The workbench's brokers share one configuration: per-broker configs are not supported here; use --entity-default (or --broker-defaults) to change the cluster-wide defaults.`);
  }
  const current = await resourceConfig(entity.type, name, false, context);
  // As ConfigCommand: fail if any config to delete is not set on the entity.
  const invalid = deleted.filter((key) => !current.some((e) => e.name === key));
  if (invalid.length > 0) throw new ToolFailure(INVALID_CONFIGURATION, `Invalid config(s): ${invalid.join(',')}`);
  if (entity.type === TOPICS) await context.engine.command('alterTopicConfigs', { name, set: added, remove: deleted });
  else await context.engine.command('alterBrokerConfigs', { set: added, remove: deleted });
  if (name !== '') context.output.out(`Completed updating config for ${entity.type.slice(0, -1)} ${name}.`);
  else context.output.out(`Completed updating default config for ${entity.type} in the cluster.`);
}

async function describeConfig(entity: ConfigEntity, describeAll: boolean, context: ToolContext): Promise<void> {
  if (entity.type === USERS) {
    await describeUserScramCredentials(entity.name, context);
    return;
  }
  for (const name of await entitiesToDescribe(entity, context)) {
    if (name === '') context.output.out(`Default configs for ${entity.type} in the cluster are:`);
    else context.output.out(`${describeAll ? 'All' : 'Dynamic'} configs for ${entity.type.slice(0, -1)} ${name} are:`);
    const entries = await resourceConfig(entity.type, name, describeAll, context);
    const brokerDefaults = await dynamicBrokerDefaults(context);
    for (const entry of entries) {
      const synonyms = synonymsOf(entity.type, name, entry, brokerDefaults);
      context.output.out(`  ${entry.name}=${entry.value} sensitive=false synonyms={${synonyms.join(', ')}}`);
    }
  }
}

/** The named entity, or every topic (internal ones too), or every live broker then the cluster default. */
async function entitiesToDescribe(entity: ConfigEntity, context: ToolContext): Promise<string[]> {
  if (entity.name !== undefined) return [entity.name];
  if (entity.type === TOPICS) return [...(await context.engine.query('listTopics', { includeInternal: true })).topics].sort();
  const status = await context.engine.query('clusterStatus', {});
  const live = status.brokers.filter((b) => b.state === 'running' && !b.fenced).map((b) => b.id);
  return [...live.sort((a, b) => a - b).map(String), ''];
}

/** getResourceConfig: the entity's entries, sorted by name, only the dynamic ones unless --all. */
async function resourceConfig(type: string, name: string, describeAll: boolean, context: ToolContext): Promise<Entry[]> {
  let entries: Entry[];
  if (type === TOPICS) {
    if (name === '') throw new ConsoleCallError('INVALID_TOPIC_EXCEPTION', "Topic name is illegal, it can't be empty");
    const { topics } = await context.engine.query('listTopics', { includeInternal: true });
    // Kafka's broker answers an unknown topic with the bare error code: the default message.
    if (!topics.includes(name)) throw new ConsoleCallError('UNKNOWN_TOPIC_OR_PARTITION', defaultMessageOf('UNKNOWN_TOPIC_OR_PARTITION'));
    entries = (await context.engine.query('describeConfigs', { resource: { type: 'topic', name } })).entries;
    if (!describeAll) entries = entries.filter((e) => e.source === 'DYNAMIC_TOPIC_CONFIG');
  } else {
    await requireBroker(name, context);
    entries = (await context.engine.query('describeConfigs', { resource: { type: 'broker' } })).entries;
    // The default entity holds only the dynamic defaults; one broker has no per-broker (DYNAMIC_BROKER_CONFIG) entries here.
    if (name === '') entries = entries.filter((e) => e.source === 'DYNAMIC_DEFAULT_BROKER_CONFIG');
    else if (!describeAll) entries = [];
  }
  return [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A broker id that is not in the cluster: Kafka's admin client would wait 30 s for the node; the workbench says so at once. */
async function requireBroker(name: string, context: ToolContext): Promise<void> {
  if (name === '') return;
  const { brokers } = await context.engine.query('clusterStatus', {});
  if (!brokers.some((b) => b.id === Number(name))) {
    throw illegal(`Broker ${name} is not in the cluster (brokers: ${brokers.map((b) => b.id).join(', ')}); Kafka's admin client would time out waiting for it.`);
  }
}

async function dynamicBrokerDefaults(context: ToolContext): Promise<ReadonlyMap<string, string>> {
  const { entries } = await context.engine.query('describeConfigs', { resource: { type: 'broker' } });
  return new Map(entries.filter((e) => e.source === 'DYNAMIC_DEFAULT_BROKER_CONFIG').map((e) => [e.name, e.value]));
}

/** ConfigHelper's synonyms of one entry, printed as SOURCE:name=value. */
function synonymsOf(type: string, name: string, entry: Entry, brokerDefaults: ReadonlyMap<string, string>): string[] {
  if (type === TOPICS) {
    const known = TOPIC_CONFIG_SYNONYMS[entry.name];
    const own = entry.source === 'DYNAMIC_TOPIC_CONFIG' ? [`DYNAMIC_TOPIC_CONFIG:${entry.name}=${entry.value}`] : [];
    return known === undefined ? own : [...own, ...brokerSynonyms(known.broker, brokerDefaults, known.defaults)];
  }
  const dynamic = brokerDefaults.get(entry.name);
  // The default entity lists only its dynamic default (perBrokerConfig = false keeps DYNAMIC_DEFAULT_BROKER_CONFIG only).
  if (name === '') return dynamic === undefined ? [] : [`DYNAMIC_DEFAULT_BROKER_CONFIG:${entry.name}=${dynamic}`];
  const staticDefault = BROKER_DEFAULT_SYNONYMS[entry.name] ?? [entry.name, BROKER_CONFIGS[entry.name]?.defaultValue ?? entry.value];
  return brokerSynonyms(entry.name, brokerDefaults, [staticDefault]);
}

/** The broker-level synonyms: dynamic default, then static defaults, dropped up to the first one named `broker` (ConfigHelper's dropWhile). */
function brokerSynonyms(broker: string, brokerDefaults: ReadonlyMap<string, string>, defaults: readonly (readonly [string, string])[]): string[] {
  const all: (readonly [string, string])[] = [];
  const dynamic = brokerDefaults.get(broker);
  if (dynamic !== undefined) all.push([`DYNAMIC_DEFAULT_BROKER_CONFIG:${broker}`, dynamic]);
  for (const [configName, value] of defaults) all.push([`DEFAULT_CONFIG:${configName}`, value]);
  const first = all.findIndex(([label]) => label.endsWith(`:${broker}`));
  return first < 0 ? [] : all.slice(first).map(([label, value]) => `${label}=${value}`);
}

// ---------------------------------------------------------------------------------------------
// Users: SCRAM credentials

const SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
type ScramMechanismName = (typeof SCRAM_MECHANISMS)[number];
/** ScramMechanism's minIterations and maxIterations (the same for both), and ConfigCommand's DefaultScramIterations. */
const SCRAM_MIN_ITERATIONS = 4096;
const SCRAM_MAX_ITERATIONS = 16384;
const DEFAULT_SCRAM_ITERATIONS = 4096;
/** QuotaConfigs.isClientOrUserQuotaConfig. */
const USER_QUOTA_CONFIGS = ['producer_byte_rate', 'consumer_byte_rate', 'request_percentage', 'controller_mutation_rate'];
/** The whole credential value, as ConfigCommand's pattern matches it (Scala's full match). */
const CREDENTIAL_PATTERN = /^(?:iterations=(-?[0-9]*),)?password=(.*)$/;

function isScram(name: string): name is ScramMechanismName {
  return (SCRAM_MECHANISMS as readonly string[]).includes(name);
}

/** A failed admin call as KafkaFuture.get() throws it (the broker's or the admin client's exception, wrapped). */
function adminCallFailure(exception: string, message: string): ToolFailure {
  return new ToolFailure(`java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.${exception}`, message);
}

interface ScramUpsertion {
  readonly mechanism: ScramMechanismName;
  readonly iterations: number;
  readonly password: string;
}

/**
 * alterConfig's users case, then alterUserScramCredentialConfigs: every check — ConfigCommand's,
 * the admin client's, the broker's — before the first change, so a refused command changes nothing.
 */
async function alterUserConfig(name: string, added: Readonly<Record<string, string>>, deleted: readonly string[], context: ToolContext): Promise<void> {
  const addedNames = Object.keys(added);
  const unknownAdded = addedNames.filter((k) => !isScram(k) && !USER_QUOTA_CONFIGS.includes(k));
  const unknownDeleted = deleted.filter((k) => !isScram(k) && !USER_QUOTA_CONFIGS.includes(k));
  // Scala's toString of the two collections: an immutable Set of the added names, an ArrayBuffer of the deleted ones.
  if (unknownAdded.length > 0) throw illegal(`Only quota and SCRAM credential configs can be added for 'users' using --bootstrap-server. Unexpected config names: ${scalaSet(unknownAdded)}`);
  if (unknownDeleted.length > 0) {
    throw illegal(`Only quota and SCRAM credential configs can be deleted for 'users' using --bootstrap-server. Unexpected config names: ArrayBuffer(${unknownDeleted.join(', ')})`);
  }
  const scramAdded = addedNames.filter(isScram);
  const scramDeleted = deleted.filter(isScram);
  const quotas = [...addedNames, ...deleted].some((k) => USER_QUOTA_CONFIGS.includes(k));
  if (scramAdded.length > 0 || scramDeleted.length > 0) {
    if (name === '') throw illegal('The use of --entity-default or --user-defaults is not allowed with User SCRAM Credentials using --bootstrap-server.');
    if (quotas) throw illegal("Cannot alter both quota and SCRAM credential configs simultaneously for 'users' using --bootstrap-server.");
  }
  if (quotas) throw illegal('The workbench does not model client quotas: producer_byte_rate, consumer_byte_rate, request_percentage and controller_mutation_rate are not supported here.');

  const upsertions = scramAdded.map((mechanism) => scramUpsertion(mechanism, added[mechanism]!));
  // The admin client's own check, then the broker's (ZkAdminManager.alterUserScramCredentials, in its order).
  if (upsertions.some((u) => u.password === '')) throw adminCallFailure('UnacceptableCredentialException', 'Password must not be empty');
  if (upsertions.some((u) => u.iterations > SCRAM_MAX_ITERATIONS)) throw adminCallFailure('UnacceptableCredentialException', 'Too many iterations');
  if (scramDeleted.some((m, i) => scramDeleted.indexOf(m) !== i || scramAdded.includes(m))) {
    throw adminCallFailure('DuplicateResourceException', 'A user credential cannot be altered twice in the same request');
  }
  if (scramDeleted.length > 0) {
    const { users } = await context.engine.query('describeScramUsers', { users: [name] });
    const has = new Set(users.flatMap((u) => u.mechanisms.map((m) => m.mechanism)));
    if (scramDeleted.some((m) => !has.has(m))) throw adminCallFailure('ResourceNotFoundException', 'Attempt to delete a user credential that does not exist');
  }
  for (const mechanism of scramDeleted) await context.engine.command('deleteScramUser', { user: name, mechanism });
  for (const u of upsertions) await context.engine.command('upsertScramUser', { user: name, mechanism: u.mechanism, password: u.password, iterations: u.iterations });
}

/** iterationsAndPasswordBytes: `[iterations=N,]password=P` (brackets already removed); -1 or none is 4096. */
function scramUpsertion(mechanism: ScramMechanismName, value: string): ScramUpsertion {
  const match = CREDENTIAL_PATTERN.exec(value);
  // $mechanism is the internal ScramMechanism enum: it prints its constant's name.
  if (match === null) throw illegal(`Invalid credential property ${mechanism.replaceAll('-', '_')}=${value}`);
  const [, iterationsText, password] = match;
  const iterations = iterationsText === undefined || iterationsText === '-1' ? DEFAULT_SCRAM_ITERATIONS : javaToInt(iterationsText);
  if (iterations < SCRAM_MIN_ITERATIONS) throw illegal(`Iterations ${iterations} is less than the minimum ${SCRAM_MIN_ITERATIONS} required for ${mechanism}`);
  return { mechanism, iterations, password: password! };
}

/** Scala's String.toInt: Integer.parseInt, whose NumberFormatException (an IllegalArgumentException) ConfigCommand prints bare. */
function javaToInt(text: string): number {
  if (!isJavaInt(text)) throw illegal(`For input string: "${text}"`);
  return Number(text);
}

/** Scala's toString of a small immutable Set: Set(a, b) (a HashSet past four elements). */
function scalaSet(items: readonly string[]): string {
  const unique = [...new Set(items)];
  return `${unique.length > 4 ? 'HashSet' : 'Set'}(${unique.join(', ')})`;
}

/**
 * describeClientQuotaAndUserScramCredentialConfigs: the quotas (none are modelled: nothing printed),
 * then — unless the default user is described — one line per user with credentials, all users when
 * none is named; a named user without credentials prints nothing, as the admin client's users() leaves it out.
 */
async function describeUserScramCredentials(name: string | undefined, context: ToolContext): Promise<void> {
  if (name === '') return;
  const { users } = await context.engine.query('describeScramUsers', name === undefined ? {} : { users: [name] });
  for (const user of users) {
    const text = user.mechanisms.map((m) => `${m.mechanism}=iterations=${m.iterations}`).join(', ');
    context.output.out(`SCRAM credential configs for user-principal '${user.user}' are ${text}`);
  }
}
