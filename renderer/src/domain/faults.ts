/**
 * Faults as the Faults view shows them: the catalogue grouped by what a fault targets (a broker,
 * a link between brokers, the metadata quorum, a client), the form of one fault kind turned into
 * an injectFault request (a target, a start and an optional duration), the live countdown of an
 * active fault (its endsAtMs against the engine clock's now), and preset runs with their steps.
 * Pure functions only: the store calls them from its getters, the tests call them directly.
 */
import type { CommandRequest } from '../../../engine/api/contract';
import type { FaultCatalogue, FaultKind, FaultStatus, FaultTarget, PresetId, PresetRun } from '../../../engine/api/faults-dto';
import { uiMessage, type UiMessage } from './messages';

export type FaultTargetType = FaultCatalogue['kinds'][number]['targetType'];
export type FaultKindInfo = FaultCatalogue['kinds'][number];
export type PresetInfo = FaultCatalogue['presets'][number];
export type FaultState = FaultStatus['state'];

export const TARGET_TYPES: readonly FaultTargetType[] = ['broker', 'link', 'quorum', 'client'];

/** Every kind and preset the contract names, for the i18n tables (kinds the engine adds later fall back to its text). */
export const FAULT_KINDS: readonly FaultKind[] = [
  'broker-crash',
  'broker-stop',
  'broker-power-loss',
  'broker-pause',
  'broker-isolate',
  'link-cut',
  'link-slow',
  'disk-slow',
  'disk-full',
  'disk-lying',
  'quorum-majority-lost',
  'client-crash',
  'client-pause',
  'client-slow',
  'client-clock-skew',
];

export const PRESET_IDS: readonly PresetId[] = [
  'acks1-failover-loss',
  'unclean-election-loss',
  'last-replica-standing',
  'quorum-majority-lost',
  'slow-consumer-poll-timeout',
  'consumer-crash-no-leave',
];

/** The most a start or a duration may be (InjectFaultRequest): one day of engine time. */
export const FAULT_TIME_MAX_MS = 86_400_000;

export interface KindGroup {
  readonly targetType: FaultTargetType;
  readonly kinds: readonly FaultKindInfo[];
}

/** The catalogue's kinds by target type, in the order broker, link, quorum, client; empty groups left out. */
export function kindGroups(catalogue: FaultCatalogue): KindGroup[] {
  return TARGET_TYPES.map((targetType) => ({ targetType, kinds: catalogue.kinds.filter((k) => k.targetType === targetType) })).filter((g) => g.kinds.length > 0);
}

// ---------------------------------------------------------------------------------------------
// Countdown

/** Engine ms until `atMs` (never below 0), or null when there is no such moment or no clock yet. */
export function remainingMs(atMs: number | null, nowMs: number | null): number | null {
  if (atMs === null || nowMs === null) return null;
  return Math.max(0, atMs - nowMs);
}

/** "0:09", "1:05", "1:02:03": whole seconds, rounded up so 0:00 shows only when it is over. */
export function formatCountdown(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/**
 * The engine time a countdown counts from: the clock bar's estimate, but never before the moment
 * the engine reported the fault active (the estimate between two status reports may trail the
 * engine by a frame or two, and a 30 s fault must not show 0:31).
 */
export function countdownNow(fault: FaultStatus, nowMs: number | null): number | null {
  if (nowMs === null) return null;
  return fault.state === 'active' && fault.startedAtMs !== null ? Math.max(nowMs, fault.startedAtMs) : nowMs;
}

/** The moment a fault's countdown runs to: its start while scheduled, its end while active. */
export function countdownTarget(fault: FaultStatus): number | null {
  if (fault.state === 'scheduled') return fault.startsAtMs;
  if (fault.state === 'active') return fault.endsAtMs;
  return null;
}

/** Scheduled and active faults, the soonest to change first. */
export function sortActiveFaults(faults: readonly FaultStatus[]): FaultStatus[] {
  const next = (f: FaultStatus): number => countdownTarget(f) ?? Number.MAX_SAFE_INTEGER;
  return [...faults].sort((a, b) => next(a) - next(b) || a.faultId - b.faultId);
}

export type FaultTone = 'success' | 'warning' | 'danger' | 'neutral' | 'accent';

export function faultStateTone(state: FaultState): FaultTone {
  switch (state) {
    case 'scheduled':
      return 'accent';
    case 'active':
      return 'danger';
    case 'undone':
      return 'success';
    case 'failed':
      return 'warning';
  }
}

/** The parameters a fault's label names: the broker, the link's ends, the client, and its numbers. */
export function targetParams(target: FaultTarget): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(target)) {
    if (name === 'kind' || value === undefined || value === null) continue;
    params[name] = name === 'lossRate' && typeof value === 'number' ? Math.round(value * 1000) / 10 : (value as string | number);
  }
  return params;
}

/**
 * A stretch of engine time as a learner reads it: "850 ms", "45 s", "11.1 s", "7 min", "1 min 10 s"
 * (a preset's length, a step's offset, how long a fault lasted).
 */
export function formatSpan(ms: number, locale: string): string {
  const number = (value: number, digits = 0) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
  if (ms < 1000) return `${number(ms)} ms`;
  if (ms < 60_000) return `${number(ms / 1000, 1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return seconds === 0 ? `${number(minutes)} min` : `${number(minutes)} min ${seconds} s`;
}

// ---------------------------------------------------------------------------------------------
// Preset runs

export function isPresetRunning(run: PresetRun): boolean {
  return run.endedAtMs === null;
}

/** Running runs first, then the newest. */
export function sortPresetRuns(runs: readonly PresetRun[]): PresetRun[] {
  return [...runs].sort((a, b) => Number(isPresetRunning(b)) - Number(isPresetRunning(a)) || b.startedAtMs - a.startedAtMs || b.presetRunId - a.presetRunId);
}

export interface StepCounts {
  readonly done: number;
  readonly failed: number;
  readonly pending: number;
}

export function stepCounts(run: PresetRun): StepCounts {
  let done = 0;
  let failed = 0;
  let pending = 0;
  for (const step of run.steps) {
    if (step.state === 'done') done++;
    else if (step.state === 'failed') failed++;
    else pending++;
  }
  return { done, failed, pending };
}

// ---------------------------------------------------------------------------------------------
// The form of one fault kind

export interface FaultForm {
  brokerId: string;
  from: string;
  to: string;
  clientId: string;
  /** The kind's numeric parameters by name (latencyMs, lossRate, processingMsPerRecord, skewMs). */
  params: Record<string, string>;
  /** Seconds of engine time until it starts; empty or 0: now. */
  startInS: string;
  /** Seconds of engine time it lasts; empty: until undone. */
  durationS: string;
}

export type FaultField = 'brokerId' | 'from' | 'to' | 'clientId' | 'startInS' | 'durationS' | `param:${string}`;

export interface FaultFormContext {
  readonly brokerIds: readonly number[];
  readonly clientIds: readonly string[];
}

/** Parameters that are fractions; every other one is a whole number. */
const FRACTIONAL_PARAMS: ReadonlySet<string> = new Set(['lossRate']);

/** The form with the kind's defaults: the first broker, the link from it to the next, the first client, 30 s. */
export function emptyFaultForm(kind: FaultKindInfo, context: FaultFormContext): FaultForm {
  const [first, second] = context.brokerIds;
  return {
    brokerId: first === undefined ? '' : String(first),
    from: first === undefined ? '' : String(first),
    to: second === undefined ? '' : String(second),
    clientId: context.clientIds[0] ?? '',
    params: Object.fromEntries(kind.params.map((p) => [p.name, String(p.defaultValue)])),
    startInS: '0',
    durationS: '30',
  };
}

/** Seconds as typed (a point or a comma for the fraction) to engine ms, or null. */
export function secondsToMs(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (!/^\d{1,6}(\.\d{1,3})?$/.test(trimmed)) return null;
  return Math.round(Number(trimmed) * 1000);
}

type FaultCheck = { ok: true; request: CommandRequest<'injectFault'> } | { ok: false; problems: Partial<Record<FaultField, UiMessage>> };

/** The injectFault request of the form, or its problems (in the learner's language). */
export function validateFaultForm(kind: FaultKindInfo, form: FaultForm, context: FaultFormContext): FaultCheck {
  const problems: Partial<Record<FaultField, UiMessage>> = {};
  const target: Record<string, string | number> = { kind: kind.kind };
  readTarget(kind, form, context, target, problems);
  for (const param of kind.params) {
    const value = readParam(form.params[param.name] ?? '', FRACTIONAL_PARAMS.has(param.name));
    if (value === null || value < param.min || value > param.max) {
      problems[`param:${param.name}`] = uiMessage('faults.errors.paramRange', { name: param.name, min: param.min, max: param.max });
    } else {
      target[param.name] = value;
    }
  }
  const startInMs = form.startInS.trim() === '' ? 0 : secondsToMs(form.startInS);
  if (startInMs === null || startInMs > FAULT_TIME_MAX_MS) problems.startInS = uiMessage('faults.errors.startIn');
  const durationMs = form.durationS.trim() === '' ? null : secondsToMs(form.durationS);
  if (form.durationS.trim() !== '' && (durationMs === null || durationMs < 1 || durationMs > FAULT_TIME_MAX_MS)) problems.durationS = uiMessage('faults.errors.duration');
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  // The target's fields follow the catalogue's kind and were checked above, so it fits FaultTarget.
  return { ok: true, request: { target: target as unknown as FaultTarget, startInMs: startInMs ?? 0, durationMs } };
}

function readTarget(kind: FaultKindInfo, form: FaultForm, context: FaultFormContext, target: Record<string, string | number>, problems: Partial<Record<FaultField, UiMessage>>): void {
  switch (kind.targetType) {
    case 'broker': {
      const id = readBroker(form.brokerId, context);
      if (id === null) problems.brokerId = uiMessage('faults.errors.chooseBroker');
      else target.brokerId = id;
      return;
    }
    case 'link': {
      const from = readBroker(form.from, context);
      const to = readBroker(form.to, context);
      if (from === null) problems.from = uiMessage('faults.errors.chooseBroker');
      if (to === null) problems.to = uiMessage('faults.errors.chooseBroker');
      else if (from !== null && from === to) problems.to = uiMessage('faults.errors.sameBroker');
      if (from !== null && to !== null && from !== to) Object.assign(target, { from, to });
      return;
    }
    case 'client':
      if (form.clientId === '' || !context.clientIds.includes(form.clientId)) problems.clientId = uiMessage('faults.errors.chooseClient');
      else target.clientId = form.clientId;
      return;
    case 'quorum':
      return;
  }
}

function readBroker(text: string, context: FaultFormContext): number | null {
  if (!/^\d+$/.test(text)) return null;
  const id = Number(text);
  return context.brokerIds.includes(id) ? id : null;
}

function readParam(text: string, fractional: boolean): number | null {
  const trimmed = text.trim().replace(',', '.');
  const pattern = fractional ? /^-?\d+(\.\d+)?$/ : /^-?\d{1,10}$/;
  return pattern.test(trimmed) ? Number(trimmed) : null;
}
