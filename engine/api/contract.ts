/**
 * The one contract between the engine and everything that talks to it (Electron IPC, WebSocket,
 * in-process). Each entry is declared once, with the runtime schema of what it accepts and what it
 * answers; transports validate every payload against it where the payload enters.
 *
 * - commands change the cluster (request -> response);
 * - queries read it (request -> response), never change it;
 * - events are streams the host pushes to subscribers.
 *
 * Changing this file changes the public surface: the snapshot test of the surface shows it in review.
 */
import { z } from 'zod';
import { limits } from '../core/limits.js';
import {
  BrokerId,
  ClockStateSchema,
  ClusterStatusSchema,
  HeaderSchema,
  Int32,
  StorageRecoverySchema,
  TimestampMs,
  TopicConfigs,
  TopicName,
  TopicStatusSchema,
} from './dto.js';
import {
  ConsumerList,
  ConsumerLogSchema,
  ConsumerRef,
  ConsumerStatusSchema,
  GroupDetailSchema,
  GroupList,
  GroupRef,
  GroupsSnapshotSchema,
  StartConsumerRequest,
  StopConsumerRequest,
} from './groups-dto.js';
import {
  ConfigureServicesRequest,
  PlaceOrdersRequest,
  PlaceOrdersResult,
  ReplicaActionRequest,
  ScaleServiceRequest,
  ServiceLogRequest,
  ServiceLogSchema,
  ServicesSnapshotSchema,
  SetReplicaProcessingRequest,
  SetServicePortsRequest,
  SetStockRequest,
} from './services-dto.js';
import { ApplyPresetRequest, FaultCatalogueSchema, FaultRef, FaultsSnapshotSchema, FaultStatusSchema, InjectFaultRequest, PresetRunRef, PresetRunSchema } from './faults-dto.js';
import {
  ConsoleEventSchema,
  ConsoleFileList,
  ConsoleFileRef,
  ConsoleFileSchema,
  ConsoleInputRequest,
  ConsoleOutputRequest,
  ConsoleOutputSchema,
  ConsoleRunRequest,
  ConsoleSessionRef,
  ConsoleSessionStateSchema,
  WriteConsoleFileRequest,
} from './console-dto.js';
import { MetricsDeltaSchema, MetricsSnapshotSchema, TimelineDeltaSchema, TimelineList, TimelineRequest } from './metrics-dto.js';
import { OffsetForTimestampRequest, OffsetForTimestampResult, ReadRecordsRequest, ReadRecordsResult } from './records-dto.js';
import {
  DeleteScramUserRequest,
  DescribeScramUsersRequest,
  KafkaListenersSchema,
  KafkaSecurityEventSchema,
  KafkaSecuritySchema,
  ScramUsersSchema,
  SetKafkaSecurityRequest,
  UpsertScramUserRequest,
} from './kafka-dto.js';
import {
  ExportedFileSchema,
  ExportReportRequest,
  InstructorSummaryRequest,
  InstructorSummarySchema,
  ParticipantSchema,
  ReportPreviewRequest,
  ReportPreviewSchema,
  RunHistoryRequest,
  RunHistorySchema,
  RunRef,
  SetParticipantRequest,
} from './reports-dto.js';
import { LabActionRequest, LabAnswerRequest, LabCatalogueSchema, LabRunStateSchema, LabSheetRequest, LabSheetSchema, LabStepRequest, StartLabRequest, WorkspaceSchema } from './labs-dto.js';

const Empty = z.object({}).strict();

const ReplicaList = z.array(BrokerId).min(1).max(limits.brokersMax);

export const CreateTopicRequest = z
  .object({
    name: TopicName,
    /** -1: the cluster's num.partitions, as Kafka's CreateTopics allows. */
    partitions: Int32,
    /** -1: the cluster's default.replication.factor. */
    replicationFactor: Int32,
    configs: TopicConfigs.default({}),
    /** Replicas per partition chosen by hand (kafka-topics --replica-assignment); partitions and RF then follow from it. */
    replicaAssignment: z.array(ReplicaList).max(limits.partitionsPerTopicMax).optional(),
  })
  .strict();

export const CreatePartitionsRequest = z
  .object({ name: TopicName, totalCount: Int32, replicaAssignment: z.array(ReplicaList).max(limits.partitionsPerTopicMax).optional() })
  .strict();

const ConfigNames = z.array(z.string().max(256)).max(64);

export const AlterTopicConfigsRequest = z.object({ name: TopicName, set: TopicConfigs.default({}), remove: ConfigNames.default([]) }).strict();
export const AlterBrokerConfigsRequest = z.object({ set: TopicConfigs.default({}), remove: ConfigNames.default([]) }).strict();

export const DescribeConfigsRequest = z
  .object({ resource: z.discriminatedUnion('type', [z.object({ type: z.literal('topic'), name: TopicName }).strict(), z.object({ type: z.literal('broker') }).strict()]) })
  .strict();

export const ConfigEntries = z
  .object({
    entries: z.array(
      z
        .object({ name: z.string(), value: z.string(), source: z.enum(['DYNAMIC_TOPIC_CONFIG', 'DYNAMIC_DEFAULT_BROKER_CONFIG', 'DEFAULT_CONFIG']) })
        .strict(),
    ),
  })
  .strict();

const PartitionRef = z.object({ topic: TopicName, partition: z.number().int().min(0).max(2_147_483_647) }).strict();

export const ReassignPartitionsRequest = z
  .object({ partitions: z.array(z.object({ topic: TopicName, partition: z.number().int().min(0), replicas: ReplicaList }).strict()).min(1).max(limits.partitionsPerTopicMax) })
  .strict();

export const CancelReassignmentsRequest = z.object({ partitions: z.array(PartitionRef).min(1).max(limits.partitionsPerTopicMax) }).strict();

export const ReassignmentList = z
  .object({
    reassignments: z.array(
      z.object({ topic: z.string(), partition: z.number().int().min(0), replicas: z.array(BrokerId), addingReplicas: z.array(BrokerId), removingReplicas: z.array(BrokerId) }).strict(),
    ),
  })
  .strict();

export const ElectLeadersRequest = z.object({ topic: TopicName, partition: z.number().int().min(0), electionType: z.enum(['preferred', 'unclean']) }).strict();

export const TopicRef = z.object({ name: TopicName }).strict();

/** acks as Kafka's producer config spells it: "0", "1" or "all" ("-1" is the same as "all"). */
export const Acks = z.enum(['0', '1', 'all', '-1']);

export const ProduceRequest = z
  .object({
    topic: TopicName,
    /** An explicit partition; without it the default partitioner chooses (murmur2 of the key). */
    partition: Int32.optional(),
    key: z.string().max(limits.maxMessageBytes).nullable(),
    value: z.string().max(limits.maxMessageBytes).nullable(),
    headers: z.array(HeaderSchema).max(limits.headersPerRecordMax).default([]),
    timestampMs: TimestampMs.optional(),
    acks: Acks.default('all'),
  })
  .strict();

export const ProduceResult = z
  .object({
    topic: z.string(),
    partition: z.number().int().min(0),
    /** -1 with acks=0, as Kafka's producer reports: the broker never answered. */
    offset: z.number().int().min(-1),
    timestampMs: TimestampMs,
  })
  .strict();

export const TopicList = z.object({ topics: z.array(z.string()) }).strict();
export const ListTopicsRequest = z.object({ includeInternal: z.boolean().default(false) }).strict();

export const DeleteTopicResult = z.object({ name: z.string() }).strict();

export const BrokerRef = z.object({ brokerId: BrokerId }).strict();

export const ClockSpeedRequest = z.object({ speed: z.number().min(limits.liveSpeedMin).max(limits.liveSpeedMax) }).strict();
export const SkipAheadRequest = z.object({ durationMs: z.number().int().min(1).max(limits.skipAheadMaxMs) }).strict();

interface Operation<Req extends z.ZodType, Res extends z.ZodType> {
  readonly request: Req;
  readonly response: Res;
  readonly summary: string;
}

function op<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res, summary: string): Operation<Req, Res> {
  return { request, response, summary };
}

export const commands = {
  createTopic: op(CreateTopicRequest, TopicStatusSchema, 'Create a topic (Kafka CreateTopics).'),
  deleteTopic: op(TopicRef, DeleteTopicResult, 'Delete a topic and its partitions (Kafka DeleteTopics).'),
  produceRecord: op(ProduceRequest, ProduceResult, 'Produce one record, as a producer with the given acks would.'),
  killBroker: op(BrokerRef, BrokerRef, "Kill a broker's process (kill -9): no controlled shutdown; what its OS wrote survives."),
  stopBroker: op(BrokerRef, BrokerRef, 'Stop a broker cleanly (kafka-server-stop): leadership moves away first.'),
  startBroker: op(BrokerRef, BrokerRef, 'Start a stopped broker: it recovers its logs, catches up and rejoins the ISR.'),
  createPartitions: op(CreatePartitionsRequest, TopicStatusSchema, 'Add partitions to a topic (kafka-topics --alter --partitions); never fewer.'),
  alterTopicConfigs: op(AlterTopicConfigsRequest, TopicStatusSchema, "Set and remove a topic's config overrides (kafka-configs --alter)."),
  alterBrokerConfigs: op(AlterBrokerConfigsRequest, ConfigEntries, 'Set and remove cluster-wide broker config defaults (kafka-configs --entity-default).'),
  reassignPartitions: op(ReassignPartitionsRequest, ReassignmentList, 'Move partitions to new replicas (kafka-reassign-partitions --execute).'),
  cancelReassignments: op(CancelReassignmentsRequest, ReassignmentList, 'Cancel running reassignments (kafka-reassign-partitions --cancel).'),
  electLeaders: op(ElectLeadersRequest, TopicStatusSchema, 'Elect the preferred leader, or any live replica when unclean (kafka-leader-election).'),
  pauseClock: op(Empty, ClockStateSchema, 'Pause engine time: timers, replication and timeouts stand still.'),
  resumeClock: op(Empty, ClockStateSchema, 'Resume engine time at the current speed.'),
  setClockSpeed: op(ClockSpeedRequest, ClockStateSchema, 'Run engine time at 0.25x to 10x real time.'),
  stepClock: op(Empty, ClockStateSchema, 'While paused: run the next engine event and stop again.'),
  skipAhead: op(SkipAheadRequest, ClockStateSchema, 'Run the next durationMs of engine time at once, every timer firing in order.'),
  startConsumer: op(StartConsumerRequest, ConsumerStatusSchema, 'Start an in-app consumer in a group: it joins, polls, processes and commits like a Java consumer.'),
  stopConsumer: op(StopConsumerRequest, ConsumerStatusSchema, 'Stop an in-app consumer: close (commits, LeaveGroup) or crash (no LeaveGroup; the group waits for session.timeout.ms).'),
  deleteGroup: op(GroupRef, GroupRef, 'Delete an empty group and its committed offsets (kafka-consumer-groups --delete).'),
  scaleService: op(ScaleServiceRequest, ServicesSnapshotSchema, 'Scale the order or inventory service to N replicas (new replicas start, the highest-numbered stop cleanly).'),
  configureServices: op(ConfigureServicesRequest, ServicesSnapshotSchema, 'Change the services\' settings (key, partitioner, acks, store, processing time, commit mode, dedupe, consumer configs); consumer configs apply to replicas started after.'),
  replicaAction: op(ReplicaActionRequest, ServicesSnapshotSchema, 'Crash, stop, restart, pause (GC-like) or resume one service replica.'),
  setReplicaProcessing: op(SetReplicaProcessingRequest, ServicesSnapshotSchema, 'Slow one inventory replica down (or speed it up): engine ms per OrderPlaced.'),
  placeOrders: op(PlaceOrdersRequest, PlaceOrdersResult, 'POST /orders to the order service, count times (http :8081/orders productId=1 qty=1).'),
  setStock: op(SetStockRequest, ServicesSnapshotSchema, 'POST /inventories on one inventory replica (per-replica store) or on the shared store.'),
  setServicePorts: op(SetServicePortsRequest, ServicesSnapshotSchema, 'Let each replica listen on 127.0.0.1 (order on 8081, inventories from 8082) with the seed\'s HTTP endpoints, or stop listening.'),
  injectFault: op(InjectFaultRequest, FaultStatusSchema, 'Inject a fault from the catalogue: a target, a start and an optional duration; it shows on the timeline.'),
  undoFault: op(FaultRef, FaultStatusSchema, 'Undo an active fault now (restart the broker, heal the link, resume the client, ...), or cancel a scheduled one.'),
  applyPreset: op(ApplyPresetRequest, PresetRunSchema, 'Replay a known incident or lesson as a timed sequence of faults and actions.'),
  stopPreset: op(PresetRunRef, PresetRunSchema, 'Stop a running preset: its pending steps are dropped and its active faults undone.'),
  consoleRun: op(ConsoleRunRequest, ConsoleSessionStateSchema, "Run a command line in a console session, as typed (kafka-topics --describe ...); its output is read with consoleOutput."),
  consoleInput: op(ConsoleInputRequest, ConsoleSessionStateSchema, "Type a line into the session's running tool (the console producer's records); null is Ctrl+D."),
  consoleInterrupt: op(ConsoleSessionRef, ConsoleSessionStateSchema, "Ctrl+C: stop the session's running tool (the console consumer prints its total and leaves its group)."),
  consoleClose: op(ConsoleSessionRef, ConsoleSessionRef, 'Close a console session, interrupting what runs in it.'),
  writeConsoleFile: op(WriteConsoleFileRequest, ConsoleFileRef, "Save a file in the console's home (a reassignment JSON, a topics-to-move JSON)."),
  deleteConsoleFile: op(ConsoleFileRef, ConsoleFileRef, "Delete a file from the console's home."),
  startLab: op(StartLabRequest, LabRunStateSchema, "Start a lab on a fresh cluster of its own (the learner's cluster is left as it is) and show it."),
  leaveLab: op(Empty, WorkspaceSchema, "Show the learner's own cluster again; the lab stays open (its clock paused) to return to."),
  returnToLab: op(Empty, WorkspaceSchema, "Show the open lab's cluster again."),
  resetLab: op(Empty, LabRunStateSchema, 'Start the open lab over, on a fresh cluster, with the same seed.'),
  endLab: op(Empty, WorkspaceSchema, "Close the open lab (its run is kept for the report) and show the learner's own cluster."),
  performLabAction: op(LabActionRequest, LabRunStateSchema, "Do one of the current step's actions (run its command in the console, or its engine command)."),
  answerLabQuestion: op(LabAnswerRequest, LabRunStateSchema, "Answer a question of the current step (a choice's id, or free text)."),
  nextLabStep: op(LabStepRequest, LabRunStateSchema, 'Move on from the current step now: passed if its checks pass, else skipped.'),
  rehearseLab: op(Empty, LabRunStateSchema, "The autopilot does the open lab's remaining steps on the live cluster (an instructor's rehearsal); progress streams on labRun."),
  exportReport: op(ExportReportRequest, ExportedFileSchema, "A run's report as an HTML, PDF, JSON or CSV file (its bytes); the history records the export."),
  deleteRun: op(RunRef, RunRef, 'Delete a run from the history, with its steps, events, samples and its lab cluster; an open run cannot be deleted.'),
  setParticipant: op(SetParticipantRequest, ParticipantSchema, "The learner's name, remembered for every run and report after it."),
  upsertScramUser: op(
    UpsertScramUserRequest,
    ScramUsersSchema,
    "Add or replace a user's SCRAM credential for one mechanism in the shown cluster (kafka-configs --alter --add-config 'SCRAM-SHA-512=[password=...]' --entity-type users); answers every user.",
  ),
  deleteScramUser: op(DeleteScramUserRequest, ScramUsersSchema, "Delete a user's SCRAM credential for one mechanism (kafka-configs --alter --delete-config SCRAM-SHA-512 --entity-type users); answers every user."),
  setKafkaSecurity: op(
    SetKafkaSecurityRequest,
    KafkaSecuritySchema,
    "The Kafka listeners' security.protocol: PLAINTEXT (no authentication) or SASL_PLAINTEXT (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 against the users' SCRAM credentials); remembered across restarts.",
  ),
} as const;

export const queries = {
  clusterStatus: op(Empty, ClusterStatusSchema, 'Brokers, controller, topics and partitions with leader, replicas and ISR.'),
  listTopics: op(ListTopicsRequest, TopicList, 'Topic names, as kafka-topics --list prints them.'),
  describeTopic: op(TopicRef, TopicStatusSchema, 'One topic with its partitions, as kafka-topics --describe shows it.'),
  readRecords: op(ReadRecordsRequest, ReadRecordsResult, 'Records of one partition from an offset, up to the high watermark, each with the record batch it is stored in.'),
  offsetForTimestamp: op(
    OffsetForTimestampRequest,
    OffsetForTimestampResult,
    'The earliest offset whose record timestamp is at or after a time, below the high watermark (Kafka ListOffsets, from the time index).',
  ),
  describeConfigs: op(DescribeConfigsRequest, ConfigEntries, 'Every config of a topic or of the brokers, with its value and source (kafka-configs --describe --all).'),
  listReassignments: op(Empty, ReassignmentList, 'Partitions being reassigned, with the replicas being added and removed (kafka-reassign-partitions --verify).'),
  storageRecovery: op(Empty, StorageRecoverySchema, "What each broker's log recovery found and did at start: after a crash, what was truncated and why."),
  listGroups: op(Empty, GroupList, 'Consumer groups with their state (kafka-consumer-groups --list --state).'),
  describeGroup: op(GroupRef, GroupDetailSchema, 'A group: members, assignment, offsets and lag per partition, rebalance history (kafka-consumer-groups --describe).'),
  listConsumers: op(Empty, ConsumerList, 'The in-app consumers, with their state and assignment.'),
  consumerLog: op(ConsumerRef, ConsumerLogSchema, "An in-app consumer's log, as its Java client would print it."),
  services: op(Empty, ServicesSnapshotSchema, 'The service replicas with their state, partitions, processed counts and stock, and the business figures.'),
  serviceLog: op(ServiceLogRequest, ServiceLogSchema, "A service replica's log lines after the ones the caller has (its console, as Spring Boot prints it)."),
  faultCatalogue: op(Empty, FaultCatalogueSchema, 'Every fault kind with its target and undo, and the presets with the lesson each teaches.'),
  faults: op(Empty, FaultsSnapshotSchema, 'Scheduled, active and recently ended faults, and preset runs.'),
  metricsSnapshot: op(Empty, MetricsSnapshotSchema, 'Every metric series with its points, and the lag status of every group; the metrics event continues from its seq.'),
  consoleOutput: op(ConsoleOutputRequest, ConsoleOutputSchema, "A console session's lines after the ones the caller has, and what runs in it."),
  consoleFiles: op(Empty, ConsoleFileList, "The files in the console's home."),
  readConsoleFile: op(ConsoleFileRef, ConsoleFileSchema, "One file of the console's home."),
  timeline: op(TimelineRequest, TimelineList, 'Timeline entries after an id: faults, elections, ISR changes, rebalances, scaling, config changes, data loss.'),
  labs: op(Empty, LabCatalogueSchema, "The labs with each one's last run, and any lab file's problems (file:line:column)."),
  labSheet: op(LabSheetRequest, LabSheetSchema, "A lab's sheet: texts in English and Korean, each step's actions, checks and questions."),
  labRun: op(Empty, LabRunStateSchema, "The open lab's run: its sheet, the step it is on, each check's observed vs expected, the journal."),
  workspace: op(Empty, WorkspaceSchema, "Which cluster the views show: the learner's own, or the open lab's."),
  runHistory: op(RunHistoryRequest, RunHistorySchema, 'The runs the history keeps, newest first, filtered by lab and participant.'),
  reportPreview: op(ReportPreviewRequest, ReportPreviewSchema, "A run's report as self-contained HTML, in a language, to show in the app."),
  participant: op(Empty, ParticipantSchema, "The learner's remembered name, or null before they gave it."),
  instructorSummary: op(InstructorSummaryRequest, InstructorSummarySchema, 'A class table (participant x step, time spent, answers) from many JSON reports; bad or foreign files are listed with the reason.'),
  kafkaListeners: op(
    Empty,
    KafkaListenersSchema,
    "Where each running broker's Kafka listener is, the real clients connected to it (client id, address, APIs used), the listeners' security protocol and SASL mechanisms, and the SCRAM users.",
  ),
  describeScramUsers: op(DescribeScramUsersRequest, ScramUsersSchema, 'SCRAM users with their mechanisms and iterations, never a password or key (kafka-configs --describe --entity-type users).'),
} as const;

export const events = {
  clusterStatus: { payload: ClusterStatusSchema, summary: 'The cluster status, pushed on every change and once on subscribe.' },
  groups: { payload: GroupsSnapshotSchema, summary: 'Every consumer group with members, lag and rebalance history, at most 10 times a second and once on subscribe.' },
  services: { payload: ServicesSnapshotSchema, summary: 'The services snapshot, at most 10 times a second and once on subscribe.' },
  faults: { payload: FaultsSnapshotSchema, summary: 'Faults and preset runs, on every change (countdowns are computed by the viewer from endsAtMs) and once on subscribe.' },
  metrics: { payload: MetricsDeltaSchema, summary: 'Samples taken since the previous push, new and removed series, changed lag statuses; at most 10 times a second. Start from metricsSnapshot.' },
  console: { payload: ConsoleEventSchema, summary: 'Which console sessions have new lines or finished a command, at most 10 times a second; read the lines with consoleOutput.' },
  timeline: { payload: TimelineDeltaSchema, summary: 'Timeline entries added or changed since the previous push; at most 10 times a second. Start from the timeline query.' },
  workspace: { payload: WorkspaceSchema, summary: 'The workspace the views show, on every switch and once on subscribe; a new epoch means: read every stream from the start.' },
  labRun: { payload: LabRunStateSchema, summary: "The open lab's run, at most 10 times a second while it changes, and once on subscribe." },
  kafkaSecurity: {
    payload: KafkaSecurityEventSchema,
    summary: "The listeners' security protocol changed (with the new one) or a SCRAM user of the shown cluster did (protocol null); read kafkaListeners again.",
  },
} as const;

export const contract = { commands, queries, events } as const;

export type Commands = typeof commands;
export type Queries = typeof queries;
export type Events = typeof events;
export type CommandName = keyof Commands;
export type QueryName = keyof Queries;
export type EventName = keyof Events;
export type OperationKind = 'command' | 'query';

type OpsOf<K extends OperationKind> = K extends 'command' ? Commands : Queries;
export type OperationName<K extends OperationKind> = keyof OpsOf<K> & string;

/** What a caller passes (defaults may be omitted). */
export type RequestOf<K extends OperationKind, N extends OperationName<K>> = OpsOf<K>[N] extends Operation<infer Req, z.ZodType> ? z.input<Req> : never;
/** What a handler receives, after validation and defaults. */
export type ParsedRequestOf<K extends OperationKind, N extends OperationName<K>> = OpsOf<K>[N] extends Operation<infer Req, z.ZodType> ? z.output<Req> : never;
export type ResponseOf<K extends OperationKind, N extends OperationName<K>> = OpsOf<K>[N] extends Operation<z.ZodType, infer Res> ? z.output<Res> : never;
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>;

export type CommandRequest<N extends CommandName> = RequestOf<'command', N>;
export type CommandResponse<N extends CommandName> = ResponseOf<'command', N>;
export type QueryRequest<N extends QueryName> = RequestOf<'query', N>;
export type QueryResponse<N extends QueryName> = ResponseOf<'query', N>;

/** The operations the lab host answers itself (engine/host/lab-host.ts); every other one goes to the shown workbench. */
export const labCommandNames = [
  'startLab',
  'leaveLab',
  'returnToLab',
  'resetLab',
  'endLab',
  'performLabAction',
  'answerLabQuestion',
  'nextLabStep',
  'rehearseLab',
  'exportReport',
  'deleteRun',
  'setParticipant',
  'setKafkaSecurity',
] as const satisfies readonly CommandName[];
export const labQueryNames = [
  'labs',
  'labSheet',
  'labRun',
  'workspace',
  'runHistory',
  'reportPreview',
  'participant',
  'instructorSummary',
  'kafkaListeners',
] as const satisfies readonly QueryName[];
export type LabCommandName = (typeof labCommandNames)[number];
export type LabQueryName = (typeof labQueryNames)[number];

export const commandNames = Object.keys(commands) as CommandName[];
export const queryNames = Object.keys(queries) as QueryName[];
export const eventNames = Object.keys(events) as EventName[];

export function operationsOf(kind: OperationKind): Record<string, Operation<z.ZodType, z.ZodType>> {
  return kind === 'command' ? commands : queries;
}
