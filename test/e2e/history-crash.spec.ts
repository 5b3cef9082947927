/**
 * Issue 10, item 3, on the whole app: `kafka-lab serve` is killed (SIGKILL) in the middle of a lab
 * run, several times at different moments of its steps. After each kill the history database
 * passes `PRAGMA integrity_check` (and the foreign key check), and the restarted app resumes the
 * run at the step it was on — never behind a step the app had already reported passed.
 */
import { expect, test } from '@playwright/test';
import { HistoryStore } from '../../engine/history/history-store';
import { historyPathIn } from '../../engine/history/history-paths';
import { contractClient, type ContractClient } from './contract-client';
import { startWorkbench, type WorkbenchServer } from './workbench-server';

interface RunState {
  progress: { runId: string; stepIndex: number; steps: { id: string; status: string }[] } | null;
}

const STEPS = ['create-topic', 'list-topics', 'produce', 'consume', 'keyed'];

async function labRun(api: ContractClient): Promise<RunState> {
  return api.query<RunState>('labRun', {});
}

test('SIGKILL mid-run: the history stays consistent and the lab resumes at its step', async () => {
  test.setTimeout(180_000);
  let server: WorkbenchServer = await startWorkbench(['--seed', '31']);
  let api = await contractClient(server.url);
  const dataDir = server.dataDir;
  try {
    await api.command('setParticipant', { participant: 'Ada' });
    const started = await api.command<RunState>('startLab', { labId: 'first-topic', seed: 4 });
    const runId = started.progress!.runId;

    // Each round: "Next step" (a step whose checks pass is passed, else skipped), answered once it is
    // in the history; then a kill. The history and the resumed app are never behind that answer.
    for (let step = 0; step < 3; step++) {
      const acknowledged = await api.command<RunState>('nextLabStep', { stepId: STEPS[step] });
      const ackIndex = acknowledged.progress!.stepIndex;
      expect(ackIndex).toBeGreaterThanOrEqual(step + 1);
      expect(acknowledged.progress!.steps[step]!.status).toMatch(/^(passed|skipped)$/);

      api.close();
      await server.stop({ keepData: true, signal: 'SIGKILL' });

      const history = await HistoryStore.open(historyPathIn(dataDir));
      let savedIndex: number;
      try {
        expect(await history.integrityCheck()).toEqual({ ok: true, messages: ['ok'] });
        expect(await history.openRunId()).toBe(runId);
        savedIndex = (await history.loadProgress(runId))!.stepIndex;
        expect(savedIndex).toBeGreaterThanOrEqual(ackIndex);
      } finally {
        await history.close();
      }

      server = await startWorkbench(['--seed', '31'], dataDir);
      api = await contractClient(server.url);
      const resumed = await labRun(api);
      expect(resumed.progress).toMatchObject({ runId, stepIndex: savedIndex });
      expect(await api.query('workspace', {})).toMatchObject({ kind: 'lab', runId });
      step = savedIndex - 1;
    }
    expect(await api.query('participant', {})).toEqual({ participant: 'Ada' });
  } finally {
    api.close();
    await server.stop();
  }
});
