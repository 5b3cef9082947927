/** Paths of the built app, and a clear failure when tests run before `npm run build`. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const builtMain = join(repoRoot, 'out', 'main', 'index.js');
export const builtCli = join(repoRoot, 'bin', 'kafka-lab.mjs');
export const builtRendererIndex = join(repoRoot, 'out', 'renderer', 'index.html');

export function requireBuild(): void {
  for (const file of [builtMain, join(repoRoot, 'out', 'main', 'cli.js'), join(repoRoot, 'out', 'main', 'engine-worker.js'), builtRendererIndex]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run 'npm run build' before this test (npm test does).`);
  }
}
