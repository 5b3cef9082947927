/**
 * Brings a fresh cluster to a lab's starting point: its topics, the services' settings and replica
 * counts, then the setup's own actions, then a few engine seconds so replicas have joined their
 * group before the first step is checked.
 */
import { must, type LabEngine } from './lab-engine.js';
import { actionText } from './lab-run.js';
import { errorsInToolOutput } from './tool-errors.js';
import { isConsoleAction, isEngineAction, type LabSetup } from './lab-schema.js';

/** Engine ms the setup lets pass at the end: a consumer's first join takes about three seconds. */
const SETTLE_MS = 5_000;

/**
 * `settle` lets engine time pass at the end (default: the engine's own advance; the app skips
 * ahead instead, so a learner does not watch five seconds of setup).
 */
export async function applySetup(setup: LabSetup, engine: LabEngine, settle: (durationMs: number) => Promise<void> = (ms) => engine.advance(ms)): Promise<void> {
  for (const topic of setup.topics) await must(engine, 'command', 'createTopic', topic);
  await applyServices(setup, engine);
  for (const action of setup.actions) {
    if (isEngineAction(action)) {
      await must(engine, 'command', action.do, action.with ?? {});
    } else if (isConsoleAction(action)) {
      const run = await engine.call('command', 'consoleRun', { sessionId: action.session, line: action.console });
      if (!run.ok) throw new Error(`setup action '${actionText(action)}' failed: ${run.error.message}`);
      await settle(1_000);
      const output = await engine.call('query', 'consoleOutput', { sessionId: action.session, afterLine: 0 });
      const errors = output.ok ? errorsInToolOutput((output.value as { lines: { text: string }[] }).lines.map((l) => l.text)) : [];
      if (errors.length > 0) throw new Error(`setup action '${actionText(action)}' printed ${errors.join(', ')}`);
    } else {
      await settle(action.waitMs);
    }
  }
  await settle(SETTLE_MS);
}

/** The services' settings and replica counts of the setup (again after a restart: replicas are processes). */
export async function applyServices(setup: LabSetup, engine: LabEngine): Promise<void> {
  if (setup.services?.settings !== undefined) await must(engine, 'command', 'configureServices', setup.services.settings);
  if (setup.services?.order !== undefined) await must(engine, 'command', 'scaleService', { service: 'order', replicas: setup.services.order });
  if (setup.services?.inventory !== undefined) await must(engine, 'command', 'scaleService', { service: 'inventory', replicas: setup.services.inventory });
}
