/**
 * What the Reports view derives from the run history: the outcome's icon and tone (with a word
 * beside it: never colour alone), the time a run took, the participant name a learner types
 * (checked as the engine checks it), and which chosen files the class summary reads.
 */
import type { RunRow } from '../../../engine/api/reports-dto';
import type { IconName } from '../components/common/icons';

export type RunOutcomeName = RunRow['outcome'];

export function outcomeLook(outcome: RunOutcomeName): { icon: IconName; badge: string } {
  switch (outcome) {
    case 'passed':
      return { icon: 'check', badge: 'badge-success' };
    case 'failed':
      return { icon: 'alert', badge: 'badge-warning' };
    case 'abandoned':
      return { icon: 'cross', badge: '' };
    case 'running':
      return { icon: 'play', badge: 'badge-accent' };
  }
}

/** "12 min 5 s", "45 s", "1 h 3 min"; null while the run goes on. */
export function timeSpentText(startedAtMs: number, endedAtMs: number | null): string | null {
  if (endedAtMs === null) return null;
  const seconds = Math.max(0, Math.round((endedAtMs - startedAtMs) / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
  return `${rest} s`;
}

export type ParticipantProblem = 'required' | 'tooLong';

/** The name as the engine will keep it (trimmed), or what is wrong with it. */
export function checkParticipant(text: string): { ok: true; name: string } | { ok: false; problem: ParticipantProblem } {
  const name = text.replace(/[\r\n\t]+/g, ' ').trim();
  if (name === '') return { ok: false, problem: 'required' };
  if (name.length > 80) return { ok: false, problem: 'tooLong' };
  return { ok: true, name };
}

export interface ChosenFile {
  readonly name: string;
  readonly size: number;
}

/** The files the summary reads (the first `filesMax`, each at most `bytesMax`) and the ones it leaves out, by name. */
export function summaryFiles<T extends ChosenFile>(files: readonly T[], filesMax: number, bytesMax: number): { read: T[]; tooLarge: string[]; tooMany: boolean } {
  const first = files.slice(0, filesMax);
  return {
    read: first.filter((f) => f.size <= bytesMax),
    tooLarge: first.filter((f) => f.size > bytesMax).map((f) => f.name),
    tooMany: files.length > filesMax,
  };
}
