/**
 * Where the run history lives: one SQLite file (with its -wal and -shm beside it) in the data
 * directory, shared by the app, `kafka-lab serve` and `kafka-lab report`.
 */
export const HISTORY_FILE = 'history.sqlite';

export function historyPathIn(dataDir: string): string {
  return `${dataDir.replace(/[\\/]+$/, '')}/${HISTORY_FILE}`;
}
