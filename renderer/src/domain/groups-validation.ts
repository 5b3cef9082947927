/**
 * The "Add consumer" form's checks: the ranges the contract accepts and the rules Java's consumer
 * applies at construction (heartbeat.interval.ms below session.timeout.ms), so a learner sees the
 * problem in their own language before anything is sent. What only the cluster can judge (a
 * session timeout outside the broker's group.min/max.session.timeout.ms, a fenced
 * group.instance.id) is left to the engine, whose answer comes back in Kafka's words.
 */
import type { CommandRequest } from '../../../engine/api/contract';
import { uiMessage, type UiMessage } from './messages';
import { parseWholeNumber } from './topic-validation';

export const ASSIGNORS = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'] as const;
export type AssignorName = (typeof ASSIGNORS)[number];
export type AutoOffsetReset = 'latest' | 'earliest' | 'none';

/** Kafka's consumer defaults, shown as placeholders: an empty field sends nothing and gets these. */
export const CONSUMER_DEFAULTS = {
  maxPollRecords: 500,
  sessionTimeoutMs: 45_000,
  heartbeatIntervalMs: 3_000,
  maxPollIntervalMs: 300_000,
  autoCommitIntervalMs: 5_000,
} as const;

/** The longest group.id, group.instance.id and client.id the contract takes. */
export const ID_MAX_LENGTH = 255;

const LIMITS = {
  maxPollRecords: { min: 1, max: 100_000 },
  sessionTimeoutMs: { min: 1, max: 1_800_000 },
  heartbeatIntervalMs: { min: 1, max: 1_800_000 },
  maxPollIntervalMs: { min: 1, max: 2_147_483_647 },
  autoCommitIntervalMs: { min: 0, max: 86_400_000 },
  processingMsPerRecord: { min: 0, max: 3_600_000 },
} as const;

const CONFIG_NAMES = {
  maxPollRecords: 'max.poll.records',
  sessionTimeoutMs: 'session.timeout.ms',
  heartbeatIntervalMs: 'heartbeat.interval.ms',
  maxPollIntervalMs: 'max.poll.interval.ms',
  autoCommitIntervalMs: 'auto.commit.interval.ms',
} as const;

type NumberField = keyof typeof CONFIG_NAMES;

/** What the dialog holds. Numbers arrive as typed; an empty one means "Kafka's default". */
/** How the in-app consumer commits: auto, commitSync after processing, or commitSync before processing. */
export type CommitMode = 'auto' | 'sync-after-processing' | 'before-processing';

export const COMMIT_MODES: readonly CommitMode[] = ['auto', 'sync-after-processing', 'before-processing'];

export interface AddConsumerForm {
  groupId: string;
  topics: string[];
  /** '' keeps Java's default list, [range, cooperative-sticky]. */
  assignor: '' | AssignorName;
  autoOffsetReset: AutoOffsetReset;
  commitMode: CommitMode;
  processingMsPerRecord: string | number;
  groupInstanceId: string;
  clientId: string;
  maxPollRecords: string | number;
  sessionTimeoutMs: string | number;
  heartbeatIntervalMs: string | number;
  maxPollIntervalMs: string | number;
  autoCommitIntervalMs: string | number;
}

export type AddConsumerProblems = Partial<Record<'groupId' | 'topics' | 'processingMsPerRecord' | 'groupInstanceId' | 'clientId' | NumberField, UiMessage>>;

export type AddConsumerValidation =
  | { readonly ok: true; readonly request: CommandRequest<'startConsumer'> }
  | { readonly ok: false; readonly problems: AddConsumerProblems };

export interface AddConsumerContext {
  /** The topics that exist now. */
  readonly topics: readonly string[];
  /** Client ids of the in-app consumers that are still running. */
  readonly runningClientIds: readonly string[];
}

export function emptyAddConsumerForm(groupId = '', topics: string[] = []): AddConsumerForm {
  return {
    groupId,
    topics,
    assignor: '',
    autoOffsetReset: 'latest',
    commitMode: 'auto',
    processingMsPerRecord: 0,
    groupInstanceId: '',
    clientId: '',
    maxPollRecords: '',
    sessionTimeoutMs: '',
    heartbeatIntervalMs: '',
    maxPollIntervalMs: '',
    autoCommitIntervalMs: '',
  };
}

const isBlank = (value: string | number): boolean => typeof value === 'string' && value.trim() === '';

function idProblem(value: string, emptyKey: string | null, config: string): UiMessage | undefined {
  if (value.length === 0) return emptyKey === null ? undefined : uiMessage(emptyKey);
  if (value.trim().length === 0) return uiMessage('addConsumer.errors.idBlank', { config });
  if (value.length > ID_MAX_LENGTH) return uiMessage('addConsumer.errors.idTooLong', { config, max: ID_MAX_LENGTH, length: value.length });
  return undefined;
}

export function validateAddConsumer(form: AddConsumerForm, context: AddConsumerContext): AddConsumerValidation {
  const problems: AddConsumerProblems = {};

  const groupIdProblem = idProblem(form.groupId, 'addConsumer.errors.groupIdEmpty', 'group.id');
  if (groupIdProblem !== undefined) problems.groupId = groupIdProblem;

  const known = new Set(context.topics);
  const missing = form.topics.filter((t) => !known.has(t));
  if (form.topics.length === 0) problems.topics = uiMessage('addConsumer.errors.topicsEmpty');
  else if (missing.length > 0) problems.topics = uiMessage('addConsumer.errors.topicMissing', { topic: missing.join(', ') });

  const processing = parseWholeNumber(isBlank(form.processingMsPerRecord) ? 0 : form.processingMsPerRecord);
  if (processing === null || processing < LIMITS.processingMsPerRecord.min || processing > LIMITS.processingMsPerRecord.max) {
    problems.processingMsPerRecord = uiMessage('addConsumer.errors.processingRange', { max: LIMITS.processingMsPerRecord.max });
  }

  const instanceProblem = idProblem(form.groupInstanceId, null, 'group.instance.id');
  if (instanceProblem !== undefined) problems.groupInstanceId = instanceProblem;

  const clientProblem = idProblem(form.clientId, null, 'client.id');
  if (clientProblem !== undefined) problems.clientId = clientProblem;
  else if (form.clientId !== '' && context.runningClientIds.includes(form.clientId)) {
    problems.clientId = uiMessage('addConsumer.errors.clientIdInUse', { clientId: form.clientId });
  }

  const numbers: Partial<Record<NumberField, number>> = {};
  for (const field of Object.keys(CONFIG_NAMES) as NumberField[]) {
    const raw = form[field];
    if (isBlank(raw)) continue;
    const value = parseWholeNumber(raw);
    const { min, max } = LIMITS[field];
    if (value === null || value < min || value > max) {
      problems[field] = uiMessage('addConsumer.errors.numberRange', { config: CONFIG_NAMES[field], min, max });
    } else {
      numbers[field] = value;
    }
  }

  // Java's consumer refuses to start otherwise (Heartbeat: "Heartbeat must be set lower than the session timeout").
  if (problems.heartbeatIntervalMs === undefined && problems.sessionTimeoutMs === undefined) {
    const heartbeat = numbers.heartbeatIntervalMs ?? CONSUMER_DEFAULTS.heartbeatIntervalMs;
    const session = numbers.sessionTimeoutMs ?? CONSUMER_DEFAULTS.sessionTimeoutMs;
    if (heartbeat >= session) {
      const problem = uiMessage('addConsumer.errors.heartbeatTooHigh', { heartbeat, session });
      if (numbers.heartbeatIntervalMs !== undefined) problems.heartbeatIntervalMs = problem;
      else problems.sessionTimeoutMs = problem;
    }
  }

  if (Object.keys(problems).length > 0) return { ok: false, problems };

  const request: CommandRequest<'startConsumer'> = {
    groupId: form.groupId,
    topics: [...form.topics],
    autoOffsetReset: form.autoOffsetReset,
    enableAutoCommit: form.commitMode === 'auto',
    commitMode: form.commitMode,
    processingMsPerRecord: processing ?? 0,
    ...(form.assignor === '' ? {} : { assignor: form.assignor }),
    ...(form.groupInstanceId === '' ? {} : { groupInstanceId: form.groupInstanceId }),
    ...(form.clientId === '' ? {} : { clientId: form.clientId }),
    ...numbers,
  };
  return { ok: true, request };
}
