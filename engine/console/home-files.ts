/**
 * The console's home directory: the files a learner names on a command line
 * (`--reassignment-json-file reassign.json`), kept in the data directory and edited in the app. A
 * path typed as `./reassign.json`, `~/reassign.json` or with the home's own absolute prefix names the
 * same file; anything else outside the home is not there, as on a machine that lacks it.
 *
 * Invariants: files live flat in `<dataDir>/console-home/`; names follow ConsoleFilePath (no
 * directories, no `..`); at most `HOME_FILES_MAX` files of at most `HOME_FILE_BYTES_MAX` bytes.
 */
import { ConsoleFilePath } from '../api/console-dto.js';
import { KafkaError } from '../core/kafka-errors.js';
import type { Disk } from '../storage/disk/disk.js';
import { ConsoleFileError, type ConsoleFiles } from './tool-context.js';

/** Files in the home: a workshop needs a handful of JSON files. */
const HOME_FILES_MAX = 200;
/** One file's size: reassignment plans of a thousand partitions fit many times over. */
const HOME_FILE_BYTES_MAX = 1_048_576;

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

export class HomeFiles implements ConsoleFiles {
  private readonly dir: string;

  constructor(
    private readonly disk: Disk,
    dataDir: string,
  ) {
    this.dir = `${dataDir}/console-home`;
  }

  /** Reads a file a tool names; a missing one fails as Java's FileNotFoundException says it. */
  read(path: string): string {
    const name = this.nameOf(path);
    if (name === null || !this.disk.exists(`${this.dir}/${name}`)) throw new ConsoleFileError(`${path} (No such file or directory)`);
    return utf8Decoder.decode(this.disk.readFile(`${this.dir}/${name}`));
  }

  write(path: string, text: string): void {
    const name = this.validName(path);
    const bytes = utf8.encode(text);
    if (bytes.length > HOME_FILE_BYTES_MAX) throw new KafkaError('INVALID_REQUEST', `${name} is ${bytes.length} bytes; a console file has at most ${HOME_FILE_BYTES_MAX}.`);
    if (!this.disk.exists(`${this.dir}/${name}`) && this.list().length >= HOME_FILES_MAX) throw new KafkaError('POLICY_VIOLATION', `The console's home holds at most ${HOME_FILES_MAX} files; delete one first.`);
    this.disk.mkdirp(this.dir);
    this.disk.writeFileAtomic(`${this.dir}/${name}`, bytes);
  }

  remove(path: string): void {
    const name = this.validName(path);
    if (!this.disk.exists(`${this.dir}/${name}`)) throw new KafkaError('INVALID_REQUEST', `There is no file ${name} in the console's home.`);
    this.disk.remove(`${this.dir}/${name}`);
  }

  list(): { path: string; sizeBytes: number }[] {
    if (!this.disk.exists(this.dir)) return [];
    return this.disk
      .list(this.dir)
      .filter((name) => ConsoleFilePath.safeParse(name).success)
      .sort()
      .map((name) => ({ path: name, sizeBytes: this.disk.fileSize(`${this.dir}/${name}`) }));
  }

  /** The home file a typed path names, or null when it points elsewhere. */
  private nameOf(path: string): string | null {
    const name = path.replace(/^(\.\/|~\/)/, '').replace(new RegExp(`^${escapeRegExp(this.dir)}/`), '');
    return ConsoleFilePath.safeParse(name).success ? name : null;
  }

  private validName(path: string): string {
    const parsed = ConsoleFilePath.safeParse(path);
    if (!parsed.success) throw new KafkaError('INVALID_REQUEST', `'${path}' is not a console file name: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
    return parsed.data;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
