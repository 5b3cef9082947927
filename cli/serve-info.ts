/**
 * Where a running `kafka-lab serve` tells other `kafka-lab` commands how to reach it: a small file
 * in the data directory with its pid and its URL (with the per-run token, readable only by the user
 * who owns the data directory, as the lock file is). Removed when serve stops; a file left by a
 * crashed serve names a pid that no longer runs, and is ignored.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const SERVE_INFO_FILE = 'serve.json';
const ServeInfoSchema = z.object({ pid: z.number().int().min(1), url: z.string().url() }).strict();

export type ServeInfo = z.infer<typeof ServeInfoSchema>;

export function writeServeInfo(dataDir: string, info: ServeInfo): void {
  writeFileSync(join(dataDir, SERVE_INFO_FILE), JSON.stringify(info), { mode: 0o600 });
}

export function removeServeInfo(dataDir: string): void {
  rmSync(join(dataDir, SERVE_INFO_FILE), { force: true });
}

export function readServeInfo(dataDir: string): ServeInfo | null {
  const path = join(dataDir, SERVE_INFO_FILE);
  if (!existsSync(path)) return null;
  try {
    const parsed = ServeInfoSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
