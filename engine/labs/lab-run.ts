/**
 * One run of a lab: which step the learner is on, what they did (every action with its outcome),
 * what the checks showed (observed vs expected, with engine time), their answers — the journal a
 * report is made from. Steps advance when all their checks pass, or on demand.
 *
 * Invariants: exactly the steps before `stepIndex` are finished (passed, failed or skipped); the
 * journal only grows, in engine-time order, and holds at most labLimits.journalEntriesMax entries
 * (a longer run keeps its first entries and counts the rest as dropped). The run's state is plain
 * data (`LabProgress`), saved after every change, so a run resumes after the app restarts.
 */
import type { CheckOutcome, JournalEntry, LabProgress, StepProgress, StepStatus } from '../api/labs-dto.js';
import { assert, assertFailed } from '../core/assert.js';
import { KafkaError } from '../core/kafka-errors.js';
import { evaluateCheck, parsePerfSummary, type RecordedOutcome } from './lab-checks.js';
import { contractFacts, type LabEngine, type RunMemory } from './lab-engine.js';
import { labLimits } from './lab-limits.js';
import { errorsInToolOutput } from './tool-errors.js';
import { isConsoleAction, isEngineAction, type Lab, type LabAction, type LabStep } from './lab-schema.js';

export type { CheckOutcome, JournalEntry, LabProgress, StepProgress, StepStatus };

export function newProgress(lab: Lab, runId: string, seed: number, startedAtMs: number): LabProgress {
  return {
    runId,
    labId: lab.id,
    labVersion: lab.version,
    seed,
    startedAtMs,
    endedAtMs: null,
    stepIndex: 0,
    steps: lab.steps.map((s, i) => ({ id: s.id, status: i === 0 ? 'active' : 'pending', startedAtMs: i === 0 ? startedAtMs : null, endedAtMs: null, checks: [], answers: {}, consoleBaseline: null })),
    journal: [],
    journalDropped: 0,
    recorded: {},
    actionErrors: [],
  };
}

export function actionText(action: LabAction): string {
  if (isConsoleAction(action)) return action.console;
  if (isEngineAction(action)) return `${action.do} ${JSON.stringify(action.with ?? {})}`;
  return `wait ${action.waitMs} ms`;
}

export class LabRun implements RunMemory {
  constructor(
    readonly lab: Lab,
    readonly progress: LabProgress,
    private readonly engine: LabEngine,
    /** Called after every change, to save the progress. */
    private readonly onChange: (progress: LabProgress) => void = () => {},
  ) {
    if (!(progress.labId === lab.id)) assertFailed(`progress of ${progress.labId} given to lab ${lab.id}`);
    assert(progress.steps.length === lab.steps.length, 'progress steps match the lab');
  }

  get startedAtMs(): number {
    return this.progress.startedAtMs;
  }

  get finished(): boolean {
    return this.progress.stepIndex >= this.lab.steps.length;
  }

  get currentStep(): LabStep | null {
    return this.lab.steps[this.progress.stepIndex] ?? null;
  }

  actionErrors(): readonly string[] {
    return this.progress.actionErrors;
  }

  recorded(name: string): RecordedOutcome | undefined {
    return this.progress.recorded[name];
  }

  /** Performs one action of the current step, as its button (or the autopilot) does. */
  async perform(actionIndex: number): Promise<JournalEntry> {
    const step = this.requireStep();
    const action = step.actions[actionIndex];
    if (action === undefined) throw new KafkaError('INVALID_REQUEST', `Step '${step.id}' has no action ${actionIndex}.`);
    const { outcome, detail, value, errors } = await this.execute(action);
    this.progress.actionErrors.push(...errors);
    const recordAs = 'recordAs' in action ? action.recordAs : undefined;
    if (recordAs !== undefined) this.progress.recorded[recordAs] = { outcome, value };
    const entry: JournalEntry = { atMs: this.engine.nowMs(), type: 'action', stepId: step.id, action: actionText(action), outcome, detail };
    this.log(entry);
    return entry;
  }

  /** Records an action the learner did outside the sheet's buttons (typed in the console, a click in a view). */
  noteAction(action: string, outcome: string, detail: string): void {
    const step = this.currentStep;
    this.log({ atMs: this.engine.nowMs(), type: 'action', stepId: step?.id ?? '', action, outcome, detail });
  }

  /**
   * Marks where the current step's console output starts (see StepProgress.consoleBaseline); the
   * runner calls it when a step becomes active, before the learner or the autopilot acts.
   */
  async beginStep(): Promise<void> {
    const step = this.requireStep();
    const progress = this.progress.steps[this.progress.stepIndex]!;
    if (progress.consoleBaseline !== null) return;
    const baseline: Record<string, number> = {};
    // Every session open now (the learner may type in any tab), and the ones the step names.
    for (const session of new Set([...this.engine.consoleSessionIds(), ...consoleSessionsOf(step)])) {
      const output = await this.engine.call('query', 'consoleOutput', { sessionId: session, afterLine: 0 });
      baseline[session] = output.ok ? (output.value as SessionState).totalLines : 0;
    }
    progress.consoleBaseline = baseline;
    this.onChange(this.progress);
  }

  /** Evaluates the current step's checks; when all pass, the step is passed and the next one starts. */
  async evaluate(): Promise<readonly CheckOutcome[]> {
    const step = this.requireStep();
    const baseline = this.progress.steps[this.progress.stepIndex]!.consoleBaseline ?? {};
    const facts = contractFacts(this.engine, this, (session) => baseline[session] ?? 0);
    const atMs = this.engine.nowMs();
    const results: CheckOutcome[] = [];
    for (const check of step.checks) results.push({ check: check.check, atMs, ...(await evaluateCheck(check, facts)) });
    const progress = this.progress.steps[this.progress.stepIndex]!;
    const changed = JSON.stringify(progress.checks.map((c) => [c.passed, c.observed])) !== JSON.stringify(results.map((c) => [c.passed, c.observed]));
    progress.checks = results;
    // The journal keeps evaluations whose outcome changed, not every tick of an unchanged picture.
    if (changed) this.log({ atMs, type: 'checks', stepId: step.id, results });
    return results;
  }

  answer(questionId: string, answer: string): void {
    const step = this.requireStep();
    const question = step.questions.find((q) => q.id === questionId);
    if (question === undefined) throw new KafkaError('INVALID_REQUEST', `Step '${step.id}' has no question '${questionId}'.`);
    if (answer.length > labLimits.answerCharsMax) throw new KafkaError('INVALID_REQUEST', `An answer is at most ${labLimits.answerCharsMax} characters.`);
    if (question.choices !== undefined && !question.choices.some((c) => c.id === answer)) {
      throw new KafkaError('INVALID_REQUEST', `'${answer}' is not a choice of question '${questionId}' (${question.choices.map((c) => c.id).join(', ')}).`);
    }
    this.progress.steps[this.progress.stepIndex]!.answers[questionId] = answer;
    this.log({ atMs: this.engine.nowMs(), type: 'answer', stepId: step.id, questionId, answer });
  }

  /** Ends the current step (passed when its checks passed, else as given) and starts the next. */
  finishStep(status: 'passed' | 'failed' | 'skipped'): void {
    const step = this.requireStep();
    const nowMs = this.engine.nowMs();
    const progress = this.progress.steps[this.progress.stepIndex]!;
    progress.status = status;
    progress.endedAtMs = nowMs;
    this.log({ atMs: nowMs, type: 'step', stepId: step.id, status });
    this.progress.stepIndex++;
    const next = this.progress.steps[this.progress.stepIndex];
    if (next !== undefined) {
      next.status = 'active';
      next.startedAtMs = nowMs;
      this.log({ atMs: nowMs, type: 'step', stepId: next.id, status: 'active' });
    } else {
      this.progress.endedAtMs = nowMs;
    }
    this.onChange(this.progress);
  }

  private requireStep(): LabStep {
    const step = this.currentStep;
    if (step === null) throw new KafkaError('INVALID_REQUEST', `Lab '${this.lab.id}' is finished.`);
    return step;
  }

  private log(entry: JournalEntry): void {
    if (this.progress.journal.length < labLimits.journalEntriesMax) this.progress.journal.push(entry);
    else this.progress.journalDropped++;
    this.onChange(this.progress);
  }

  private async execute(action: LabAction): Promise<{ outcome: string; detail: string; value: unknown; errors: string[] }> {
    if (isEngineAction(action)) {
      const answer = await this.engine.call('command', action.do, action.with ?? {});
      if (answer.ok) return { outcome: 'ok', detail: summarize(answer.value), value: answer.value, errors: [] };
      return { outcome: answer.error.name, detail: answer.error.message, value: null, errors: [answer.error.name] };
    }
    if (isConsoleAction(action)) return runConsoleAction(this.engine, action);
    await this.engine.skip(action.waitMs);
    return { outcome: 'ok', detail: `${action.waitMs} ms of engine time passed`, value: null, errors: [] };
  }
}

/** The console sessions a step types into or checks. */
export function consoleSessionsOf(step: LabStep): string[] {
  const sessions = new Set<string>();
  for (const action of step.actions) if (isConsoleAction(action)) sessions.add(action.session);
  for (const check of step.checks) if (check.check === 'console-output' && check.session !== undefined) sessions.add(check.session);
  return [...sessions];
}

function summarize(value: unknown): string {
  const text = JSON.stringify(value) ?? '';
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

interface SessionState {
  readonly totalLines: number;
  readonly running: string | null;
  readonly lastExitCode: number | null;
}

/**
 * Types a command line into a console session as a learner would: the line, then any input lines
 * and Ctrl+D, then waits (engine time passing) until the tool ends, or interrupts it (Ctrl+C) after
 * `stopAfterMs`. Its outcome is the tool's exit ("ok" for 0) and the Kafka errors it printed.
 */
async function runConsoleAction(
  engine: LabEngine,
  action: { console: string; session: string; input?: string[] | undefined; stopAfterMs?: number | undefined },
): Promise<{ outcome: string; detail: string; value: unknown; errors: string[] }> {
  const before = await engine.call('query', 'consoleOutput', { sessionId: action.session, afterLine: 0 });
  const firstLine = before.ok ? (before.value as SessionState).totalLines : 0;
  const started = await engine.call('command', 'consoleRun', { sessionId: action.session, line: action.console });
  if (!started.ok) return { outcome: started.error.name, detail: started.error.message, value: null, errors: [started.error.name] };
  if (action.input !== undefined) {
    for (const line of action.input) await engine.call('command', 'consoleInput', { sessionId: action.session, line });
    await engine.call('command', 'consoleInput', { sessionId: action.session, line: null });
  }
  const stepMs = 100;
  const limitMs = action.stopAfterMs ?? labLimits.consoleCommandTimeoutMs;
  let state = started.value as SessionState;
  // Bounded: at most limitMs / stepMs waits of engine time.
  for (let waitedMs = 0; state.running !== null && waitedMs < limitMs; waitedMs += stepMs) {
    await engine.advance(stepMs);
    const output = await engine.call('query', 'consoleOutput', { sessionId: action.session, afterLine: firstLine });
    if (output.ok) state = output.value as SessionState;
  }
  if (state.running !== null) {
    await engine.call('command', 'consoleInterrupt', { sessionId: action.session });
    await engine.advance(stepMs);
  }
  const output = await engine.call('query', 'consoleOutput', { sessionId: action.session, afterLine: firstLine });
  const lines = output.ok ? (output.value as { lines: { stream: string; text: string }[] }).lines.filter((l) => l.stream !== 'in').map((l) => l.text) : [];
  const exit = output.ok ? (output.value as SessionState).lastExitCode : null;
  const printed = errorsInToolOutput(lines);
  const stopped = action.stopAfterMs !== undefined;
  // A tool stopped with Ctrl+C by design (a console consumer) ended as the lab meant it to.
  const outcome = exit === 0 || stopped ? 'ok' : (printed[0] ?? `exit ${exit ?? 'unknown'}`);
  const tail = lines.slice(-3).join(' | ');
  // What the tool printed is read again by the checks from the console (errors()), so it is not kept here.
  return { outcome, detail: tail, value: parsePerfSummary(lines), errors: [] };
}
