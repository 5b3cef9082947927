/**
 * The report model: `buildReport(source)` turns one lab run (ReportSource) into the LabReport that
 * every format is rendered from (HTML, PDF, JSON, CSV). Pure: the same source gives the same report,
 * byte for byte once serialised; nothing reads the clock (generatedAtMs is in the source's meta).
 *
 * What goes in:
 * - per step: its title and short instruction (both languages), status and engine times, the
 *   actions the journal recorded for it (with the lab's label when the action is one of the step's
 *   buttons), the latest evaluation of its checks (observed vs expected), and every question with
 *   its answer (and whether it is the expected choice);
 * - the summary: steps passed / total, checks, answers, engine time spent;
 * - the timeline, the metric series, the final cluster state and the configs used.
 *
 * Bounds: reportLimits; whatever is left out is counted in `truncated`. Internal topics
 * (`__consumer_offsets`) are listed without their partitions (policy, not truncation).
 * The result is checked against LabReportSchema before it is returned: a report that does not
 * validate is a bug here, never a file someone receives.
 */
import type { ClusterStatus } from '../api/dto.js';
import type { JournalEntry, SheetAction, SheetStep, StepProgress } from '../api/labs-dto.js';
import { reportLimits } from './report-limits.js';
import {
  LabReportSchema,
  REPORT_KIND,
  REPORT_SCHEMA_VERSION,
  type LabReport,
  type ReportCluster,
  type ReportConfigResource,
  type ReportSeries,
  type ReportStep,
  type ReportText,
  type ReportTimelineEntry,
} from './report-schema.js';
import { parseReportSource, type ReportSource } from './report-source.js';
import { clip, shortInstruction } from './report-text.js';

type Truncated = LabReport['truncated'];

/** Builds the report of one run. Throws ReportSourceError (naming each problem) for a bad source. */
export function buildReport(input: ReportSource): LabReport {
  const source = parseReportSource(input);
  const { progress, sheet, meta } = source;
  const truncated: Truncated = { actions: 0, timelineEntries: 0, series: 0, seriesPoints: 0, partitions: 0, configEntries: 0, journalEntries: progress.journalDropped };
  const runEndMs = runEndOf(progress.endedAtMs, progress.startedAtMs, progress.journal);

  const steps = sheet.steps.map((sheetStep, index) => buildStep(index, sheetStep, progress.steps[index]!, progress.journal, runEndMs, truncated));
  const checks = steps.flatMap((s) => s.checks);
  const answers = steps.flatMap((s) => s.answers);

  const report: LabReport = {
    kind: REPORT_KIND,
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAtMs: meta.generatedAtMs,
    locale: meta.locale,
    appVersion: meta.appVersion,
    participant: meta.participant.trim(),
    lab: { id: sheet.id, version: sheet.version, title: text(sheet.title), summary: text(sheet.summary) },
    run: { runId: progress.runId, seed: progress.seed, startedAtMs: progress.startedAtMs, endedAtMs: progress.endedAtMs },
    summary: {
      stepsTotal: steps.length,
      stepsPassed: steps.filter((s) => s.status === 'passed').length,
      stepsFailed: steps.filter((s) => s.status === 'failed').length,
      stepsSkipped: steps.filter((s) => s.status === 'skipped').length,
      checksTotal: checks.length,
      checksPassed: checks.filter((c) => c.passed).length,
      questionsTotal: answers.length,
      questionsAnswered: answers.filter((a) => a.answer !== null).length,
      answersCorrect: answers.filter((a) => a.correct === true).length,
      timeSpentMs: Math.max(0, runEndMs - progress.startedAtMs),
      finished: progress.endedAtMs !== null,
      actionErrors: progress.actionErrors.slice(0, reportLimits.actionErrorsMax).map((e) => clip(e, reportLimits.actionTextCharsMax)),
    },
    steps,
    timeline: buildTimeline(source, truncated),
    series: buildSeries(source, truncated),
    cluster: source.cluster === null ? null : buildCluster(source.cluster, truncated),
    configs: buildConfigs(source, truncated),
    truncated,
  };
  const checked = LabReportSchema.safeParse(report);
  if (!checked.success) {
    throw new Error(`report model bug: the built report does not validate: ${checked.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return report;
}

/** The run's end: its endedAtMs, or (unfinished) its last journal entry, never before its start. */
function runEndOf(endedAtMs: number | null, startedAtMs: number, journal: readonly JournalEntry[]): number {
  if (endedAtMs !== null) return endedAtMs;
  const last = journal.length === 0 ? startedAtMs : journal[journal.length - 1]!.atMs;
  return Math.max(startedAtMs, last);
}

function text(value: { en: string; ko: string }): ReportText {
  return { en: value.en, ko: value.ko };
}

function buildStep(index: number, sheetStep: SheetStep, progress: StepProgress, journal: readonly JournalEntry[], runEndMs: number, truncated: Truncated): ReportStep {
  const labels = new Map<string, ReportText>();
  for (const action of sheetStep.actions) if (action.label !== null) labels.set(sheetActionText(action), text(action.label));

  const actions: ReportStep['actions'] = [];
  // Bounded by the journal's own bound (labLimits.journalEntriesMax); kept actions by actionsPerStepMax.
  for (const entry of journal) {
    if (entry.type !== 'action' || entry.stepId !== sheetStep.id) continue;
    if (actions.length >= reportLimits.actionsPerStepMax) {
      truncated.actions++;
      continue;
    }
    actions.push({
      atMs: entry.atMs,
      action: clip(entry.action, reportLimits.actionTextCharsMax),
      label: labels.get(entry.action) ?? null,
      outcome: clip(entry.outcome, reportLimits.actionTextCharsMax),
      detail: clip(entry.detail, reportLimits.actionTextCharsMax),
    });
  }

  const checks: ReportStep['checks'] = progress.checks.slice(0, reportLimits.checksPerStepMax).map((outcome, i) => {
    const sheetCheck = sheetStep.checks[i];
    const label = sheetCheck !== undefined && sheetCheck.kind === outcome.check && sheetCheck.label !== null ? text(sheetCheck.label) : null;
    return {
      check: outcome.check,
      label,
      passed: outcome.passed,
      observed: clip(outcome.observed, reportLimits.checkTextCharsMax),
      expected: clip(outcome.expected, reportLimits.checkTextCharsMax),
      atMs: outcome.atMs,
    };
  });

  const answers: ReportStep['answers'] = sheetStep.questions.slice(0, reportLimits.questionsPerStepMax).map((question) => {
    const given = Object.hasOwn(progress.answers, question.id) ? clip(progress.answers[question.id]!, reportLimits.answerCharsMax) : null;
    const choice = given === null ? undefined : question.choices?.find((c) => c.id === given);
    return {
      questionId: question.id,
      prompt: text(question.prompt),
      answer: given,
      answerText: choice === undefined ? null : text(choice.text),
      expected: question.expected,
      correct: question.expected === null || given === null ? null : given === question.expected,
    };
  });

  const endMs = progress.endedAtMs ?? (progress.startedAtMs === null ? null : Math.max(progress.startedAtMs, runEndMs));
  return {
    index,
    id: sheetStep.id,
    title: text(sheetStep.title),
    instruction: {
      en: shortInstruction(sheetStep.text.en, reportLimits.instructionCharsMax),
      ko: shortInstruction(sheetStep.text.ko, reportLimits.instructionCharsMax),
    },
    status: progress.status,
    startedAtMs: progress.startedAtMs,
    endedAtMs: progress.endedAtMs,
    timeSpentMs: progress.startedAtMs === null || endMs === null ? null : Math.max(0, endMs - progress.startedAtMs),
    actions,
    checks,
    answers,
  };
}

/** The journal's words for a sheet action (engine/labs/lab-run.ts actionText), to find its label. */
function sheetActionText(action: SheetAction): string {
  if (action.kind === 'console') return action.commandLine;
  if (action.kind === 'engine') return `${action.command} ${action.payload}`;
  return `wait ${action.waitMs} ms`;
}

function buildTimeline(source: ReportSource, truncated: Truncated): ReportTimelineEntry[] {
  const kept = source.timeline.slice(0, reportLimits.timelineEntriesMax);
  truncated.timelineEntries += source.timeline.length - kept.length;
  return kept.map((e) => ({
    id: e.id,
    atMs: Math.max(0, e.atMs),
    endMs: e.endMs === null ? null : Math.max(0, e.endMs),
    kind: e.kind,
    severity: e.severity,
    code: e.code,
    params: { ...e.params },
    text: clip(e.text, reportLimits.timelineTextCharsMax),
  }));
}

function buildSeries(source: ReportSource, truncated: Truncated): ReportSeries[] {
  const kept = source.series.slice(0, reportLimits.seriesMax);
  truncated.series += source.series.length - kept.length;
  return kept.map((s) => {
    // The newest points are kept: they are the run's (the ring holds the newest too).
    const from = Math.max(0, s.t.length - reportLimits.pointsPerSeriesMax);
    truncated.seriesPoints += from;
    const v = s.v.slice(from).map((x) => (x === null || Number.isFinite(x) ? x : null));
    return { key: { ...s.key }, t: s.t.slice(from), v };
  });
}

function buildCluster(status: ClusterStatus, truncated: Truncated): ReportCluster {
  const topics = status.topics.slice(0, reportLimits.topicsMax);
  truncated.partitions += status.topics.slice(reportLimits.topicsMax).reduce((n, t) => n + t.partitions.length, 0);
  return {
    clusterId: status.clusterId,
    controllerId: status.controllerId,
    atMs: Math.max(0, status.nowMs),
    quorum: { voters: [...status.quorum.voters], majority: status.quorum.majority, leaderEpoch: status.quorum.leaderEpoch },
    brokers: status.brokers.slice(0, reportLimits.brokersMax).map((b) => ({
      id: b.id,
      state: b.state,
      fenced: b.fenced,
      isController: b.isController,
      leaderCount: b.leaderCount,
      replicaCount: b.replicaCount,
    })),
    topics: topics.map((topic) => {
      const listed = topic.internal ? [] : [...topic.partitions].sort((a, b) => a.partition - b.partition).slice(0, reportLimits.partitionsPerTopicMax);
      if (!topic.internal) truncated.partitions += topic.partitions.length - listed.length;
      return {
        name: topic.name,
        internal: topic.internal,
        replicationFactor: topic.replicationFactor,
        partitionCount: topic.partitions.length,
        partitions: listed.map((p) => ({
          partition: p.partition,
          leader: p.leader,
          leaderEpoch: p.leaderEpoch,
          replicas: [...p.replicas],
          isr: [...p.isr],
          logStartOffset: p.logStartOffset,
          logEndOffset: p.logEndOffset,
          highWatermark: p.highWatermark,
        })),
      };
    }),
  };
}

/** The configs given; without any, each non-internal topic's overrides from the final cluster state. */
function buildConfigs(source: ReportSource, truncated: Truncated): ReportConfigResource[] {
  const resources: ReportConfigResource[] =
    source.configs.length > 0
      ? source.configs.map((c) => ({ resource: c.resource, name: c.name, entries: c.entries.map((e) => ({ name: e.name, value: e.value, source: e.source })) }))
      : (source.cluster?.topics ?? [])
          .filter((topic) => !topic.internal)
          .map((topic) => ({
            resource: 'topic' as const,
            name: topic.name,
            entries: Object.entries(topic.configs)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([name, value]) => ({ name, value, source: 'DYNAMIC_TOPIC_CONFIG' })),
          }));
  const kept = resources.slice(0, reportLimits.configResourcesMax);
  truncated.configEntries += resources.slice(reportLimits.configResourcesMax).reduce((n, r) => n + r.entries.length, 0);
  return kept.map((r) => {
    truncated.configEntries += Math.max(0, r.entries.length - reportLimits.configEntriesMax);
    return { ...r, entries: r.entries.slice(0, reportLimits.configEntriesMax) };
  });
}
