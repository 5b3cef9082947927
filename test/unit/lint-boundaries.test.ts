/**
 * The architecture's import boundaries are lint rules, and a deliberate violation fails. Each case
 * lints a small source text as if it stood at the given path in the repository.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/built.js';

const eslint = new ESLint({ cwd: repoRoot });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

const violations: [string, string, string, RegExp][] = [
  ['engine imports electron', 'engine/cluster/x.ts', "import { app } from 'electron';\nexport const a = app;\n", /never imports electron/],
  ['engine imports vue', 'engine/groups/x.ts', "import { ref } from 'vue';\nexport const a = ref(1);\n", /never imports the UI framework/],
  ['engine imports renderer code', 'engine/host/x.ts', "import { x } from '../../renderer/src/x';\nexport const a = x;\n", /never imports renderer/],
  ['engine reads files directly', 'engine/cluster/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n", /only through the Disk port/],
  ['engine reads the wall clock', 'engine/cluster/x.ts', 'export const now = Date.now();\n', /Clock port/],
  ['engine uses Math.random', 'engine/clients/x.ts', 'export const r = Math.random();\n', /seeded Prng/],
  ['engine uses a global timer', 'engine/groups/x.ts', 'setTimeout(() => {}, 1);\n', /Timers port/],
  ['renderer imports a value from engine/api', 'renderer/src/x.ts', "import { commands } from '../../engine/api/contract';\nexport const a = commands;\n", /only types from engine\/api/],
  ['renderer imports engine internals, even as a type', 'renderer/src/x.ts', "import type { Cluster } from '../../engine/cluster/cluster';\nexport type A = Cluster;\n", /never engine internals/],
  ['renderer imports electron', 'renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n", /never imports electron/],
  ['the main process touches ipcRenderer', 'electron/main/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n", /Only the preload/],
];

describe('import boundaries', () => {
  it.each(violations)('%s fails lint', async (_name, path, code, expected) => {
    const found = await problems(path, code);
    expect(found.join('\n')).toMatch(expected);
  });

  it.each([
    ['the Disk port uses fs', 'engine/storage/disk/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n"],
    ['the Clock port reads the wall clock', 'engine/core/x.ts', 'export const now = Date.now();\n'],
    ['the renderer imports types from engine/api', 'renderer/src/x.ts', "import type { ClusterStatus } from '../../engine/api/dto';\nexport type A = ClusterStatus;\n"],
    ['the preload uses ipcRenderer', 'electron/preload/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n"],
  ])('%s passes lint', async (_name, path, code) => {
    expect(await problems(path, code)).toEqual([]);
  });
});
