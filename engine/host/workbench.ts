/**
 * The Workbench wires the engine's parts behind the contract: one handler per command and query,
 * and the event streams. It runs inside the engine worker (live) or in-process (tests); it never
 * validates payloads itself — the gateway does that where payloads enter — but it asserts the
 * shape of what it answers in debug runs through the gateway's response checks.
 */
import type { ClusterStatus } from '../api/dto.js';
import type { CommandName, EventName, EventPayload, LabCommandName, LabQueryName, OperationKind, ParsedRequestOf, QueryName, ResponseOf } from '../api/contract.js';
import type { Envelope } from '../api/errors.js';
import type { Clock } from '../core/clock.js';
import type { ClockState, TimeControl } from '../core/live-driver.js';
import { KafkaError } from '../core/kafka-errors.js';
import { limits } from '../core/limits.js';
import type { Prng } from '../core/prng.js';
import type { Timers, TimerHandle } from '../core/timers.js';
import { Cluster } from '../cluster/cluster.js';
import type { Disk } from '../storage/disk/disk.js';
import { clusterStatusOf, storageRecoveryOf, topicStatusOf } from './status.js';
import type { GroupsSnapshot } from '../api/groups-dto.js';
import { RebalanceTimeline } from '../metrics/rebalance-timeline.js';
import { ConsumerRegistry } from './consumer-registry.js';
import { coordinatorOf, describeGroup, listGroups } from './groups-view.js';
import { errorEnvelope } from './envelopes.js';
import { EventTimeline } from '../metrics/event-timeline.js';
import { ClusterTimeline } from '../metrics/cluster-timeline.js';
import { LastCommitTracker } from '../metrics/metrics-sources.js';
import { MetricsRecorder } from '../metrics/metrics-recorder.js';
import { clusterMetricsSources } from './cluster-metrics-sources.js';
import { Services } from '../services/services.js';
import { ServicePortBinding } from './service-ports.js';
import { FaultInjector } from '../faults/fault-injector.js';
import type { ClientControl, ClientDirectory } from '../faults/client-control.js';
import { FaultableDisk } from '../storage/disk/faultable-disk.js';
import { ConsoleSessions } from '../console/console-sessions.js';
import { runCommandLine } from '../console/console-runner.js';
import { CONSOLE_TOOLS } from '../console/tools/index.js';
import { HomeFiles } from '../console/home-files.js';
import { workbenchConsoleEngine } from '../console/workbench-console-engine.js';
import type { ConsoleEvent } from '../api/console-dto.js';
import type { ServicesSnapshot } from '../api/services-dto.js';
import type { ScramUsersDto } from '../api/kafka-dto.js';
import type { ScramMechanism } from '../cluster/scram-credentials.js';

/** org.apache.kafka.clients.admin.ScramMechanism's constant, as Kafka's log lines print it (SCRAM_SHA_512). */
function scramEnumName(mechanism: ScramMechanism): string {
  return mechanism.replaceAll('-', '_');
}

export interface WorkbenchOptions {
  readonly brokerCount: number;
  /** Where the cluster keeps its logs and metadata (NodeDisk live, MemoryDisk in tests). */
  readonly disk: Disk;
  readonly dataDir: string;
  /** Engine time: the scheduler's virtual clock, moved by a live or simulation driver. */
  readonly clock: Clock;
  readonly prng: Prng;
  /** Engine timers, on the same virtual time as `clock`. */
  readonly timers: Timers;
  /**
   * Real-time timers for pushing events to the UI: the view must update even while the engine's
   * clock is paused (a topic created during a pause still appears).
   */
  readonly uiTimers: Timers;
  /** Pause, speed, step and skip: the live driver in the app, SimulationTime in simulations. */
  readonly time: TimeControl;
  /**
   * One-way latency of every link between nodes, in engine ms. Default 1 ms, a LAN's round trip
   * scale: with no latency at all a rebalance's stop-the-world window and a produce's wait would
   * both read 0 ms, which no real cluster shows.
   */
  readonly linkLatencyMs?: number;
  /** Metadata quorum voters (the first N brokers); default min(3, brokerCount). */
  readonly quorumVoters?: number;
}

/** See WorkbenchOptions.linkLatencyMs. */
const DEFAULT_LINK_LATENCY_MS = 1;

type CommandHandlers = { [N in Exclude<CommandName, LabCommandName>]: (request: ParsedRequestOf<'command', N>) => ResponseOf<'command', N> | Promise<ResponseOf<'command', N>> };
type QueryHandlers = { [N in Exclude<QueryName, LabQueryName>]: (request: ParsedRequestOf<'query', N>) => ResponseOf<'query', N> };

/** replica.high.watermark.checkpoint.interval.ms, Kafka's default. */
const CHECKPOINT_INTERVAL_MS = 5000;

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export class Workbench {
  readonly cluster: Cluster;
  private readonly listeners = new Set<EventListener>();
  private readonly timers: Timers;
  private readonly uiTimers: Timers;
  private readonly time: TimeControl;
  private checkpointTimer: TimerHandle | null = null;
  private progressTimer: TimerHandle | null = null;
  private readonly pushTimers = new Map<EventName, TimerHandle>();
  private streamTimer: TimerHandle | null = null;
  readonly timeline = new RebalanceTimeline();
  readonly consumers: ConsumerRegistry;
  /** The one timeline of events: faults, elections, ISR changes, rebalances, scaling, config changes, data loss. */
  readonly eventTimeline = new EventTimeline();
  private readonly clusterTimeline: ClusterTimeline;
  private readonly commits = new LastCommitTracker();
  readonly metrics: MetricsRecorder;
  readonly services: Services;
  /** The replicas' real 127.0.0.1 ports, when the learner turns them on. */
  private readonly servicePorts: ServicePortBinding;
  readonly faults: FaultInjector;
  /** The UI console's sessions (Kafka's command-line tools) and their home directory. */
  readonly console: ConsoleSessions;
  readonly homeFiles: HomeFiles;
  private readonly consoleChanged = new Set<string>();

  readonly commandHandlers: CommandHandlers = {
    createTopic: (request) => {
      const topic = this.cluster.createTopic(request);
      this.adminChange('topic.created', { topic: topic.name, partitions: topic.partitions.length, replicationFactor: topic.partitions[0]?.replicas.length ?? 0 }, `Created topic ${topic.name} with ${topic.partitions.length} partition(s) and replication factor ${topic.partitions[0]?.replicas.length ?? 0}.`);
      this.statusChanged();
      return topicStatusOf(this.cluster, topic);
    },
    deleteTopic: (request) => {
      this.cluster.deleteTopic(request.name);
      this.adminChange('topic.deleted', { topic: request.name }, `Deleted topic ${request.name}.`);
      this.statusChanged();
      return { name: request.name };
    },
    produceRecord: async (request) => {
      try {
        return await this.cluster.produce(request);
      } finally {
        this.statusChanged();
      }
    },
    killBroker: (request) => {
      this.cluster.killBroker(request.brokerId);
      this.statusChanged();
      return request;
    },
    stopBroker: (request) => {
      this.cluster.stopBroker(request.brokerId);
      this.statusChanged();
      return request;
    },
    startBroker: (request) => {
      this.cluster.restartBroker(request.brokerId);
      this.statusChanged();
      return request;
    },
    createPartitions: (request) =>
      this.changed(() => {
        const before = this.cluster.topic(request.name).partitions.length;
        const topic = this.cluster.createPartitions(request.name, request.totalCount, request.replicaAssignment);
        const after = topic.partitions.length;
        this.adminChange('topic.partitions-increased', { topic: request.name, from: before, to: after }, `Increased the partition count of topic ${request.name} from ${before} to ${after} (CreatePartitions).`);
        return topicStatusOf(this.cluster, topic);
      }),
    alterTopicConfigs: (request) =>
      this.changed(() => {
        const topic = this.cluster.alterTopicConfigs(request.name, request.set, request.remove);
        this.clusterTimeline.configChanged({ type: 'topic', name: request.name }, request.set, request.remove);
        return topicStatusOf(this.cluster, topic);
      }),
    alterBrokerConfigs: (request) =>
      this.changed(() => {
        this.cluster.alterBrokerConfigs(request.set, request.remove);
        this.clusterTimeline.configChanged({ type: 'broker', name: '' }, request.set, request.remove);
        return { entries: this.cluster.describeBrokerConfigs() };
      }),
    reassignPartitions: (request) =>
      this.changed(() => {
        this.cluster.reassignPartitions(request.partitions);
        return { reassignments: this.reassignmentList() };
      }),
    cancelReassignments: (request) =>
      this.changed(() => {
        this.cluster.cancelReassignments(request.partitions);
        return { reassignments: this.reassignmentList() };
      }),
    electLeaders: (request) =>
      this.changed(() => {
        this.cluster.electLeader(request.topic, request.partition, request.electionType);
        return topicStatusOf(this.cluster, this.cluster.topic(request.topic));
      }),
    pauseClock: () => this.clockCommand(() => this.time.pause()),
    resumeClock: () => this.clockCommand(() => this.time.resume()),
    setClockSpeed: (request) => this.clockCommand(() => this.time.setSpeed(request.speed)),
    stepClock: () => this.clockCommand(() => void this.time.step()),
    skipAhead: (request) => this.clockCommand(() => void this.time.skipAhead(request.durationMs)),
    startConsumer: (request) => this.consumers.start(request),
    stopConsumer: (request) => this.consumers.stop(request.clientId, request.mode),
    scaleService: (request) => this.servicesCommand(() => this.services.scale(request.service, request.replicas)),
    configureServices: (request) => this.servicesCommand(() => void this.services.configure(request)),
    replicaAction: (request) => this.servicesCommand(() => this.services.replicaAction(request.replicaId, request.action)),
    setReplicaProcessing: (request) => this.servicesCommand(() => this.services.setProcessing(request.replicaId, request.processingMsPerRecord)),
    placeOrders: (request) => {
      const orderIds = this.services.placeOrders(request);
      this.servicesChanged();
      return { orderIds };
    },
    setStock: (request) => this.servicesCommand(() => this.services.setStock(request.replicaId, request.productId, request.stock)),
    setServicePorts: async (request) => {
      if (request.enabled) await this.servicePorts.enable({ orderPort: request.orderPort, inventoryBasePort: request.inventoryBasePort });
      else await this.servicePorts.disable();
      this.servicesChanged();
      return this.services.snapshot();
    },
    injectFault: (request) => this.faultsCommand(() => this.faults.inject(request)),
    undoFault: (request) => this.faultsCommand(() => this.faults.undo(request.faultId)),
    applyPreset: (request) =>
      this.faultsCommand(() =>
        this.faults.applyPreset(request, {
          placeOrders: (count, intervalMs) => void this.services.placeOrders({ productId: 1, qty: 1, count, intervalMs }),
          defaultTopic: () => this.services.currentSettings().order.topic,
          clients: this.clients,
          inventoryClientIds: () => this.inventoryClientIds(),
        }),
      ),
    stopPreset: (request) => this.faultsCommand(() => this.faults.stopPreset(request.presetRunId)),
    consoleRun: (request) => this.consoleCommand(request.sessionId, () => this.console.run(request.sessionId, request.line)),
    consoleInput: (request) => this.consoleCommand(request.sessionId, () => this.console.input(request.sessionId, request.line)),
    consoleInterrupt: (request) => this.consoleCommand(request.sessionId, () => this.console.interrupt(request.sessionId)),
    consoleClose: (request) => {
      this.console.close(request.sessionId);
      return request;
    },
    writeConsoleFile: (request) => {
      this.homeFiles.write(request.path, request.text);
      return { path: request.path };
    },
    deleteConsoleFile: (request) => {
      this.homeFiles.remove(request.path);
      return request;
    },
    deleteGroup: (request) => {
      this.deleteGroup(request.groupId);
      this.groupsChanged();
      return request;
    },
    upsertScramUser: (request) => {
      const existed = this.cluster.scramCredential(request.user, request.mechanism) !== null;
      this.cluster.upsertScramCredential(request.user, request.mechanism, request.password, request.iterations);
      // The controller's log line (ScramControlManager.replay); the mechanism as the enum prints it.
      this.adminChange(
        existed ? 'user.scram-modified' : 'user.scram-created',
        { user: request.user, mechanism: request.mechanism },
        `Replayed UserScramCredentialRecord ${existed ? 'modifying existing' : 'creating new'} entry for ${request.user} with mechanism ${scramEnumName(request.mechanism)}.`,
      );
      this.scramUsersChanged();
      return this.scramUsers();
    },
    deleteScramUser: (request) => {
      this.cluster.deleteScramCredential(request.user, request.mechanism);
      this.adminChange('user.scram-removed', { user: request.user, mechanism: request.mechanism }, `Replayed RemoveUserScramCredentialRecord for ${request.user} with mechanism ${scramEnumName(request.mechanism)}.`);
      this.scramUsersChanged();
      return this.scramUsers();
    },
  };

  readonly queryHandlers: QueryHandlers = {
    storageRecovery: () => storageRecoveryOf(this.cluster),
    describeConfigs: (request) => ({
      entries: request.resource.type === 'topic' ? this.cluster.describeTopicConfigs(request.resource.name) : this.cluster.describeBrokerConfigs(),
    }),
    listReassignments: () => ({ reassignments: this.reassignmentList() }),
    clusterStatus: () => this.status(),
    listTopics: (request) => ({ topics: this.cluster.topicNames(request.includeInternal) }),
    describeTopic: (request) => topicStatusOf(this.cluster, this.cluster.topic(request.name)),
    readRecords: (request) => {
      const { records, batches, offsets } = this.cluster.read(request.topic, request.partition, request.offset, request.maxRecords);
      const last = records.at(-1);
      return {
        topic: request.topic,
        partition: request.partition,
        records: records.map((r) => ({
          offset: r.offset,
          timestampMs: r.timestampMs,
          key: r.key,
          value: r.value,
          headers: r.headers.map((h) => ({ ...h })),
          batchBaseOffset: r.batchBaseOffset,
          batchLastOffset: r.batchLastOffset,
        })),
        batches: batches.map((b) => ({ ...b })),
        logStartOffset: offsets.logStartOffset,
        highWatermark: offsets.highWatermark,
        nextOffset: last === undefined ? request.offset : last.offset + 1,
      };
    },
    offsetForTimestamp: (request) => {
      const { found, offsets } = this.cluster.offsetForTimestamp(request.topic, request.partition, request.timestampMs);
      return {
        topic: request.topic,
        partition: request.partition,
        offset: found?.offset ?? null,
        timestampMs: found?.timestampMs ?? null,
        logStartOffset: offsets.logStartOffset,
        highWatermark: offsets.highWatermark,
      };
    },
    listGroups: () => ({ groups: listGroups(this.cluster) }),
    describeGroup: (request) => describeGroup(this.cluster, this.timeline, request.groupId, this.consumers.positionLags(request.groupId)),
    listConsumers: () => ({ consumers: this.consumers.list() }),
    consumerLog: (request) => ({ clientId: request.clientId, lines: this.consumers.log(request.clientId) }),
    services: () => this.services.snapshot(),
    serviceLog: (request) => this.services.log(request.replicaId, request.afterLine),
    faultCatalogue: () => this.faults.catalogue(),
    faults: () => this.faults.snapshot(),
    consoleOutput: (request) => {
      const output = this.console.output(request.sessionId, request.afterLine);
      return { ...output, lines: output.lines.map((l) => ({ ...l })) };
    },
    consoleFiles: () => ({ files: this.homeFiles.list() }),
    readConsoleFile: (request) => ({ path: request.path, text: this.homeFiles.read(request.path) }),
    metricsSnapshot: () => this.metrics.snapshot(),
    timeline: (request) => this.eventTimeline.entriesAfter(request.afterId, request.limit),
    describeScramUsers: (request) => this.scramUsers(request.users),
  };

  constructor(options: WorkbenchOptions) {
    // Each broker's disk can be made full, slow or lying, or lose power, by a fault.
    const brokerDisks = new Map<number, FaultableDisk>();
    this.cluster = new Cluster({
      brokerCount: options.brokerCount,
      clock: options.clock,
      timers: options.timers,
      prng: options.prng,
      disk: options.disk,
      dataDir: options.dataDir,
      linkLatencyMs: options.linkLatencyMs ?? DEFAULT_LINK_LATENCY_MS,
      ...(options.quorumVoters === undefined ? {} : { quorumVoters: options.quorumVoters }),
      brokerDisk: (id) => {
        const disk = new FaultableDisk(options.disk);
        brokerDisks.set(id, disk);
        return disk;
      },
    });
    this.clusterTimeline = new ClusterTimeline({
      sink: this.eventTimeline,
      clock: options.clock,
      offsetsTopicPartitions: () => Number(this.cluster.brokerConfig('offsets.topic.num.partitions')),
    });
    // Every change inside the cluster (elections, ISR, fencing, truncation) shows in the status stream.
    this.cluster.onEvent((event) => {
      this.clusterTimeline.onClusterEvent(event);
      if (event.type === 'group') {
        this.commits.onCoordinatorEvent(event.event);
        if ('groupId' in event.event) this.timeline.onCoordinatorEvent(event.event);
        this.groupsChanged();
        return;
      }
      this.statusChanged();
    });
    this.consumers = new ConsumerRegistry(this.cluster, options.clock, options.timers, this.timeline, () => this.groupsChanged(), (clientId) => this.services.client(clientId) !== null);
    this.services = new Services({
      cluster: this.cluster,
      clock: options.clock,
      timers: options.timers,
      prng: options.prng,
      timeline: this.eventTimeline,
      stopTheWorld: this.timeline,
      onChange: () => this.servicesChanged(),
    });
    // An HTTP request from a terminal schedules engine work: run it now, not at the next wake-up.
    this.servicePorts = new ServicePortBinding({ services: this.services, clock: options.clock, afterRequest: () => this.time.kick() });
    this.faults = new FaultInjector({
      cluster: this.cluster,
      clock: options.clock,
      timers: options.timers,
      clients: this.clients,
      timeline: this.eventTimeline,
      onChange: () => {
        this.faultsChanged();
        this.servicesChanged();
        this.statusChanged();
      },
      brokerDisks: (id) => brokerDisks.get(id),
    });
    this.homeFiles = new HomeFiles(options.disk, options.dataDir);
    this.console = new ConsoleSessions(
      workbenchConsoleEngine({ workbench: this, clock: options.clock, timers: options.timers, prng: options.prng }),
      this.homeFiles,
      (line, context) => runCommandLine(line, context, CONSOLE_TOOLS),
      (sessionId) => this.consoleSessionChanged(sessionId),
    );
    this.metrics = new MetricsRecorder({
      sources: clusterMetricsSources(this.cluster, this.commits, {
        producers: () => this.services.producerStats(),
        services: () => [...this.services.processedTotals(), ...this.consumers.processedTotals()],
      }),
      clock: options.clock,
      timers: options.timers,
      timeline: this.eventTimeline,
    });
    this.timers = options.timers;
    this.uiTimers = options.uiTimers;
    this.time = options.time;
    this.scheduleCheckpoints();
    this.watchProgress();
    this.streamDeltas();
  }

  /**
   * The metrics and timeline streams carry what is new since their previous push, every
   * `statusEventMinIntervalMs` of real time while something is new (nothing while the clock is paused).
   */
  private streamDeltas(): void {
    const push = (): void => {
      const metrics = this.metrics.takeDelta();
      if (metrics !== null) this.emit('metrics', metrics);
      const timeline = this.eventTimeline.takeDelta();
      if (timeline !== null) this.emit('timeline', timeline);
      this.streamTimer = this.uiTimers.after(limits.statusEventMinIntervalMs, push);
    };
    this.streamTimer = this.uiTimers.after(limits.statusEventMinIntervalMs, push);
  }

  /**
   * Replication moves offsets without cluster events (a follower catching up); the status stream
   * picks that up by looking at the cluster's progress counter a few times a second.
   */
  private watchProgress(): void {
    let seen = this.cluster.progressCount;
    const look = (): void => {
      if (this.cluster.progressCount !== seen) {
        seen = this.cluster.progressCount;
        this.statusChanged();
        // Log end offsets moved: the groups' lag did too.
        if (this.timeline.groupIds().length > 0) this.groupsChanged();
      }
      this.progressTimer = this.uiTimers.after(limits.statusEventMinIntervalMs * 2, look);
    };
    this.progressTimer = this.uiTimers.after(limits.statusEventMinIntervalMs * 2, look);
  }

  /** Runs one already-validated request. Never rejects: failures come back as Kafka errors. */
  async handle(kind: OperationKind, name: string, payload: unknown): Promise<Envelope<unknown>> {
    const handlers: Record<string, ((request: never) => unknown) | undefined> = kind === 'command' ? this.commandHandlers : this.queryHandlers;
    const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
    if (handler === undefined) return errorEnvelope(new KafkaError('INVALID_REQUEST', `Unknown ${kind} '${name}'.`));
    try {
      return { ok: true, value: await handler(payload as never) };
    } catch (error) {
      return errorEnvelope(error);
    }
  }

  /** An admin change (kafka-topics, kafka-configs) on the timeline. */
  private adminChange(code: string, params: Record<string, string | number>, text: string): void {
    this.eventTimeline.add({ atMs: this.cluster.nowMs(), kind: 'config', severity: 'info', code, params, text });
  }

  /** Runs a change and pushes the new status. */
  private changed<T>(change: () => T): T {
    const result = change();
    this.statusChanged();
    return result;
  }

  private reassignmentList(): { topic: string; partition: number; replicas: number[]; addingReplicas: number[]; removingReplicas: number[] }[] {
    return this.cluster.reassignments().map((r) => ({ ...r, replicas: [...r.replicas], addingReplicas: [...r.addingReplicas], removingReplicas: [...r.removingReplicas] }));
  }

  /** Runs a clock-bar command; a refusal (stepping while running) comes back as INVALID_REQUEST. */
  private clockCommand(command: () => void): ClockState {
    try {
      command();
    } catch (error) {
      if (error instanceof RangeError) throw new KafkaError('INVALID_REQUEST', error.message);
      throw error;
    }
    this.statusChanged();
    return this.time.state();
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The snapshots a new viewer gets first. */
  initialEvents(): [EventName, unknown][] {
    return [
      ['clusterStatus', this.status()],
      ['groups', this.groups()],
      ['services', this.services.snapshot()],
      ['faults', this.faults.snapshot()],
    ];
  }

  status(): ClusterStatus {
    return clusterStatusOf(this.cluster, this.time.state());
  }

  /** Every group with members, lag and rebalance history (the `groups` event). */
  groups(): GroupsSnapshot {
    const groups = listGroups(this.cluster).map((g) => describeGroup(this.cluster, this.timeline, g.groupId, this.consumers.positionLags(g.groupId)));
    return { nowMs: this.cluster.nowMs(), groups };
  }

  /** The SCRAM users (all, or those of `users` that have a credential), by name, each mechanism with its iterations. */
  scramUsers(users?: readonly string[]): ScramUsersDto {
    const byUser = new Map<string, { mechanism: ScramMechanism; iterations: number }[]>();
    for (const info of this.cluster.describeScramCredentials(users)) {
      let mechanisms = byUser.get(info.user);
      if (mechanisms === undefined) {
        mechanisms = [];
        byUser.set(info.user, mechanisms);
      }
      mechanisms.push({ mechanism: info.mechanism, iterations: info.iterations });
    }
    return { users: [...byUser].map(([user, mechanisms]) => ({ user, mechanisms })) };
  }

  /** A SCRAM user changed: viewers of the Kafka listeners read them again (the event says which kind of change). */
  private scramUsersChanged(): void {
    this.emit('kafkaSecurity', { change: 'users', protocol: null });
  }

  /** kafka-consumer-groups --delete: only an empty group; its offsets are tombstoned. */
  private deleteGroup(groupId: string): void {
    const found = coordinatorOf(this.cluster, groupId);
    if (found === null) throw new KafkaError('COORDINATOR_NOT_AVAILABLE', `The coordinator of group ${groupId} is not available.`);
    const result = found.coordinator.handleDeleteGroups({ api: 'DeleteGroups', groupIds: [groupId] }).results[0];
    if (result === undefined || result.error === 'NONE') return;
    const messages: Partial<Record<string, string>> = {
      NON_EMPTY_GROUP: `Deleting group '${groupId}' failed: The group is not empty.`,
      GROUP_ID_NOT_FOUND: `Deleting group '${groupId}' failed: The group id does not exist.`,
    };
    throw new KafkaError(result.error, messages[result.error] ?? `Deleting group '${groupId}' failed: ${result.error}.`);
  }

  /** Stops timers and shuts the cluster down cleanly (checkpoints, clean-shutdown markers). */
  close(): void {
    for (const timer of this.pushTimers.values()) timer.cancel();
    this.pushTimers.clear();
    this.checkpointTimer?.cancel();
    this.checkpointTimer = null;
    this.progressTimer?.cancel();
    this.progressTimer = null;
    this.streamTimer?.cancel();
    this.streamTimer = null;
    this.metrics.close();
    this.listeners.clear();
    this.console.closeAll();
    this.faults.close();
    void this.servicePorts.close();
    this.services.close();
    this.consumers.crashAll();
    this.cluster.shutdown();
  }

  /**
   * Kafka checkpoints high watermarks every replica.high.watermark.checkpoint.interval.ms (5 s) and
   * recovery points every log.flush.offset.checkpoint.interval.ms (60 s); one 5 s schedule does both,
   * which only shortens the re-scan after a crash.
   */
  private scheduleCheckpoints(): void {
    this.checkpointTimer = this.timers.after(CHECKPOINT_INTERVAL_MS, () => {
      this.cluster.checkpoint();
      this.scheduleCheckpoints();
    });
  }

  /** Pushes the status event (see `pushSoon`). */
  private statusChanged(): void {
    this.pushSoon('clusterStatus', () => this.status());
  }

  private groupsChanged(): void {
    this.pushSoon('groups', () => this.groups());
  }

  /** Runs a console command and answers with the session's state. */
  private consoleCommand(sessionId: string, command: () => void): { sessionId: string; totalLines: number; running: string | null; lastExitCode: number | null } {
    command();
    return this.console.state(sessionId) ?? { sessionId, totalLines: 0, running: null, lastExitCode: null };
  }

  /** Marks a session changed; the console event names the changed sessions at most 10 times a second. */
  private consoleSessionChanged(sessionId: string): void {
    this.consoleChanged.add(sessionId);
    this.pushSoon('console', () => this.consoleEvent());
  }

  private consoleEvent(): ConsoleEvent {
    const sessions = [...this.consoleChanged].flatMap((sessionId) => {
      const state = this.console.state(sessionId);
      return state === null ? [] : [state];
    });
    this.consoleChanged.clear();
    return { sessions };
  }

  private faultsChanged(): void {
    this.pushSoon('faults', () => this.faults.snapshot());
  }

  /** Runs a faults command and pushes the faults snapshot. */
  private faultsCommand<T>(command: () => T): T {
    const result = command();
    this.faultsChanged();
    this.statusChanged();
    return result;
  }

  /** Every client process a fault can target: the service replicas and the in-app consumers. */
  private readonly clients: ClientDirectory = {
    client: (clientId: string): ClientControl | null => this.services.client(clientId) ?? this.consumers.client(clientId),
    clientIds: () => [...this.services.clientIds(), ...this.consumers.clientIds()],
  };

  private inventoryClientIds(): string[] {
    return this.services
      .replicaIds()
      .filter((r) => r.service === 'inventory')
      .map((r) => r.replicaId);
  }

  private servicesChanged(): void {
    this.pushSoon('services', () => this.services.snapshot());
  }

  /** Runs a services command and answers with the new snapshot. */
  private servicesCommand(command: () => void): ServicesSnapshot {
    command();
    this.servicesChanged();
    return this.services.snapshot();
  }

  /**
   * Pushes a snapshot event at most once per `statusEventMinIntervalMs`: a burst of changes becomes
   * one event carrying the latest state, so each stream's bandwidth stays bounded.
   */
  private pushSoon<E extends EventName>(event: E, build: () => EventPayload<E>): void {
    if (this.pushTimers.has(event)) return;
    this.pushTimers.set(
      event,
      this.uiTimers.after(limits.statusEventMinIntervalMs, () => {
        this.pushTimers.delete(event);
        this.emit(event, build());
      }),
    );
  }

  private emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(event, payload);
  }
}
