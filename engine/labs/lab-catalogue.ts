/**
 * The labs of a directory (`labs/NN-slug.yaml`), in file-name order. A file with a problem is listed
 * with its problems (file:line:column) and the others still load; two files with one id keep the
 * first and report the second.
 */
import { join } from 'node:path';
import type { Disk } from '../storage/disk/disk.js';
import { labLimits } from './lab-limits.js';
import { loadLabText, type LabProblem } from './lab-loader.js';
import type { Lab } from './lab-schema.js';

export interface LabCatalogue {
  readonly labs: readonly { readonly lab: Lab; readonly file: string }[];
  readonly problems: readonly LabProblem[];
}

const utf8 = new TextDecoder('utf-8');

/** Reads through the Disk port: NodeDisk for the app's labs directory, MemoryDisk in tests. */
export function loadLabCatalogue(disk: Disk, dir: string): LabCatalogue {
  const names = disk
    .list(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
  const labs: { lab: Lab; file: string }[] = [];
  const problems: LabProblem[] = [];
  if (names.length > labLimits.labFilesMax) {
    problems.push({ file: dir, line: 1, column: 1, message: `more than ${labLimits.labFilesMax} lab files; only the first ${labLimits.labFilesMax} are read` });
  }
  for (const name of names.slice(0, labLimits.labFilesMax)) {
    const file = join(dir, name);
    if (disk.fileSize(file) > labLimits.labFileBytesMax) {
      problems.push({ file, line: 1, column: 1, message: `the file is larger than ${labLimits.labFileBytesMax} bytes` });
      continue;
    }
    const loaded = loadLabText(file, utf8.decode(disk.readFile(file)));
    if (!loaded.ok) {
      problems.push(...loaded.problems);
      continue;
    }
    const twin = labs.find((l) => l.lab.id === loaded.lab.id);
    if (twin !== undefined) {
      problems.push({ file, line: 1, column: 1, message: `lab id '${loaded.lab.id}' is already used by ${twin.file}` });
      continue;
    }
    labs.push({ lab: loaded.lab, file });
  }
  return { labs, problems };
}
