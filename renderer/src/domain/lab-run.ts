/**
 * The lab sheet as the dock shows it, derived from the engine's sheet and the run's progress: a
 * line per step with its status, and the current step with each check's live state (passed, not
 * yet, or not evaluated yet) and which questions still wait for an answer. Pure: tested alone.
 */
import type { LabProgress, LabRunState, LabSheet, SheetStep, StepStatus } from '../../../engine/api/labs-dto';

export interface LocalizedText {
  readonly en: string;
  readonly ko: string;
}

export function textIn(locale: string, text: LocalizedText): string {
  return locale === 'ko' ? text.ko : text.en;
}

export interface StepLine {
  readonly index: number;
  readonly id: string;
  readonly title: LocalizedText;
  readonly status: StepStatus;
}

export type CheckState = 'passed' | 'failing' | 'pending';

export interface CheckView {
  readonly kind: string;
  readonly label: LocalizedText | null;
  readonly expected: string;
  readonly state: CheckState;
  /** What the cluster showed at the last evaluation, or null before the first. */
  readonly observed: string | null;
}

export interface CurrentStepView {
  readonly index: number;
  readonly total: number;
  readonly step: SheetStep;
  readonly status: StepStatus;
  readonly checks: readonly CheckView[];
  readonly answers: Readonly<Record<string, string>>;
  /** Every check passed at the last evaluation (a step without checks has none to pass). */
  readonly checksPassed: boolean;
  readonly unanswered: readonly string[];
}

export function stepViews(sheet: LabSheet, progress: LabProgress): StepLine[] {
  return sheet.steps.map((step, index) => ({ index, id: step.id, title: step.title, status: progress.steps[index]?.status ?? 'pending' }));
}

export function currentStepView(sheet: LabSheet, progress: LabProgress): CurrentStepView | null {
  const step = sheet.steps[progress.stepIndex];
  const stepProgress = progress.steps[progress.stepIndex];
  if (step === undefined || stepProgress === undefined) return null;
  // Results line up with the sheet's checks by position (the engine evaluates them in order).
  const checks = step.checks.map((check, i): CheckView => {
    const result = stepProgress.checks[i];
    return { kind: check.kind, label: check.label, expected: check.expected, state: result === undefined ? 'pending' : result.passed ? 'passed' : 'failing', observed: result?.observed ?? null };
  });
  return {
    index: progress.stepIndex,
    total: sheet.steps.length,
    step,
    status: stepProgress.status,
    checks,
    answers: stepProgress.answers,
    checksPassed: checks.every((c) => c.state === 'passed'),
    unanswered: step.questions.filter((q) => stepProgress.answers[q.id] === undefined).map((q) => q.id),
  };
}

/** Steps passed out of all, for the list and the finished summary. */
export function passedCount(progress: LabProgress): number {
  return progress.steps.filter((s) => s.status === 'passed').length;
}

/**
 * Whether `next` is an older view of the run `shown` shows. A command's answer carries the state
 * as the engine answered it, and events sent while the command was still finishing (a wait's
 * journal entry, then the step that passed after it) can arrive before that answer: applying it
 * would show the previous step again, and a click meant for the new step would go to the old one.
 * A run's journal only grows (entries kept plus entries dropped), so its length orders the states.
 */
export function isStaleRunState(next: LabRunState, shown: LabRunState | null): boolean {
  const a = next.progress;
  const b = shown?.progress ?? null;
  if (a === null || b === null || a.runId !== b.runId) return false;
  return a.journal.length + a.journalDropped < b.journal.length + b.journalDropped;
}
