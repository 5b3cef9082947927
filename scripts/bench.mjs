#!/usr/bin/env node
// `npm run bench -- <suite>`: bundles test/bench/<suite>.bench.ts with esbuild (as the app ships
// bundled code: no per-function wrappers a TypeScript loader adds) and runs it under Node. Each
// suite prints, as its last line, one JSON object with its figures.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'test', 'bench');
const available = existsSync(benchDir)
  ? readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort()
  : [];
const suites = process.argv.slice(2);
if (suites.length === 0) {
  console.error(`usage: npm run bench -- <suite> [<suite> ...]\navailable suites: ${available.join(', ') || '(none)'}`);
  process.exit(2);
}
for (const suite of suites) {
  if (!available.includes(suite)) {
    console.error(`unknown bench suite '${suite}'; available: ${available.join(', ') || '(none)'}`);
    process.exit(2);
  }
}
const { build } = await import('esbuild');
for (const suite of suites) {
  const outfile = join(root, 'out', 'bench', `${suite}.bench.mjs`);
  await build({ entryPoints: [join(benchDir, `${suite}.bench.ts`)], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, packages: 'external', logLevel: 'warning' });
  const result = spawnSync(process.execPath, ['--expose-gc', outfile], { stdio: 'inherit', cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
