/**
 * The open lab's run as the engine reports it (the `labRun` stream): the sheet, the step it is on,
 * each check's latest observed vs expected, the answers and the journal; and the lab commands
 * (start, leave, return, reset, end, do an action, answer, next step, rehearse). Each command's
 * answer is folded in at once, so a click shows before the next push. Followed for the whole life
 * of the app: the dock shows the sheet beside any view.
 */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { CommandName, CommandRequest } from '../../../engine/api/contract';
import type { LabRunState } from '../../../engine/api/labs-dto';
import { engineApi } from '../api/api-provider';
import { currentStepView, isStaleRunState, stepViews } from '../domain/lab-run';

type LabCommand = Extract<CommandName, 'startLab' | 'resetLab' | 'performLabAction' | 'answerLabQuestion' | 'nextLabStep' | 'rehearseLab'>;

export const useLabRunStore = defineStore('labRun', () => {
  const state = shallowRef<LabRunState | null>(null);
  let unsubscribe: (() => void) | null = null;

  const sheet = computed(() => state.value?.sheet ?? null);
  const progress = computed(() => state.value?.progress ?? null);
  const open = computed(() => sheet.value !== null && progress.value !== null);
  const rehearsing = computed(() => state.value?.rehearsing ?? false);
  const steps = computed(() => (sheet.value === null || progress.value === null ? [] : stepViews(sheet.value, progress.value)));
  const current = computed(() => (sheet.value === null || progress.value === null ? null : currentStepView(sheet.value, progress.value)));
  const finished = computed(() => progress.value !== null && progress.value.stepIndex >= progress.value.steps.length);

  function setState(next: LabRunState): void {
    if (isStaleRunState(next, state.value)) return;
    state.value = next;
  }

  function start(): void {
    if (unsubscribe === null) unsubscribe = engineApi().subscribe('labRun', setState);
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  async function run<N extends LabCommand>(name: N, request: CommandRequest<N>): Promise<void> {
    setState((await engineApi().command(name, request as never)) as LabRunState);
  }

  return {
    state,
    sheet,
    progress,
    open,
    rehearsing,
    steps,
    current,
    finished,
    setState,
    start,
    stop,
    startLab: (labId: string) => run('startLab', { labId }),
    reset: () => run('resetLab', {}),
    perform: (stepId: string, actionIndex: number) => run('performLabAction', { stepId, actionIndex }),
    answer: (stepId: string, questionId: string, answer: string) => run('answerLabQuestion', { stepId, questionId, answer }),
    next: (stepId: string) => run('nextLabStep', { stepId }),
    rehearse: () => run('rehearseLab', {}),
    leave: () => engineApi().command('leaveLab', {}),
    returnTo: () => engineApi().command('returnToLab', {}),
    end: () => engineApi().command('endLab', {}),
  };
});
