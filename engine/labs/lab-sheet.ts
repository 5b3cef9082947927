/**
 * A lab as the UI shows it (LabSheet in the contract): texts in both languages, each action said as
 * the learner would do it (the command line, or the engine command with its payload), each check
 * with what it expects in words. Built from the loaded lab; nothing here evaluates anything.
 */
import type { LabSheet, SheetAction } from '../api/labs-dto.js';
import { expectedOf } from './lab-checks.js';
import { isConsoleAction, isEngineAction, type Lab, type LabAction } from './lab-schema.js';

export function sheetOf(lab: Lab): LabSheet {
  return {
    id: lab.id,
    version: lab.version,
    seeds: [...lab.seeds],
    title: lab.title,
    summary: lab.summary,
    text: lab.text,
    estimatedMinutes: lab.estimatedMinutes,
    setup: { brokers: lab.setup.brokers, quorumVoters: lab.setup.quorumVoters ?? Math.min(3, lab.setup.brokers), clockSpeed: lab.setup.clockSpeed },
    steps: lab.steps.map((step) => ({
      id: step.id,
      title: step.title,
      text: step.text,
      hints: step.hints,
      actions: step.actions.map(sheetAction),
      checks: step.checks.map((check) => ({ kind: check.check, label: check.label ?? null, expected: expectedOf(check) })),
      questions: step.questions.map((q) => ({ id: q.id, prompt: q.prompt, choices: q.choices ?? null, expected: q.expected ?? null })),
    })),
  };
}

function sheetAction(action: LabAction): SheetAction {
  const label = action.label ?? null;
  if (isConsoleAction(action)) {
    return { kind: 'console', commandLine: action.console, session: action.session, inputLines: action.input?.length ?? 0, stopAfterMs: action.stopAfterMs ?? null, label };
  }
  if (isEngineAction(action)) return { kind: 'engine', command: action.do, payload: JSON.stringify(action.with ?? {}), label };
  return { kind: 'wait', waitMs: action.waitMs, label };
}
