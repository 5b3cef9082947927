/**
 * A small promise wrapper over one sqlite3 connection, set up for a history that loses nothing it
 * acknowledged:
 *
 * - `journal_mode=WAL`: a commit appends its pages to `<file>-wal` and is visible once the commit
 *   frame is written; a process killed mid-transaction leaves a WAL tail without a commit frame,
 *   which the next open ignores. Readers do not block the writer.
 * - `synchronous=FULL` (the default; see `HistoryDbOptions.synchronous`): the WAL is fsynced at
 *   every commit, so a commit that returned survives a SIGKILL *and* a power loss. NORMAL would
 *   survive a SIGKILL too (the WAL write reached the OS before the commit returned) but may lose
 *   the last commits to a power loss, and a step the learner saw ticked must not come back
 *   unticked: the design promises nothing lost beyond what Kafka itself would lose. Saves are
 *   human-paced (a few a second), so one fsync each costs nothing anyone notices; a headless
 *   autopilot that keeps a throwaway history may choose NORMAL.
 * - `foreign_keys=ON`: rows of a run go when the run goes (ON DELETE CASCADE).
 * - a busy timeout (historyLimits.busyTimeoutMs) instead of an immediate SQLITE_BUSY when a
 *   short-lived second connection (a CLI command) holds the write lock.
 *
 * Invariants:
 * - operations run one at a time, in the order they were asked for: each waits for the previous
 *   one's callback (node-sqlite3 alone may run statements of one connection in any order), so a
 *   transaction never interleaves with another statement;
 * - at most historyLimits.pendingOperationsMax operations wait; more are refused with an error;
 * - a write transaction is `BEGIN IMMEDIATE` (it takes the write lock at once, so it never fails
 *   half way with SQLITE_BUSY on upgrading a read lock) … `COMMIT`, or `ROLLBACK` when its work
 *   throws; a read transaction is `BEGIN DEFERRED` (a snapshot of one moment, no write lock);
 *   inside it, statements go through the `SqlExecutor` it is given (the connection's own methods
 *   would wait for the transaction to end: a deadlock), which refuses use after the end;
 * - after `close()` every operation is refused.
 *
 * Values cross as SQLite's own types: integers and floats as JS numbers (integers up to 2^53),
 * text as strings, NULL as null. Nothing else is bound.
 */
import sqlite3 from 'sqlite3';
import { assert, assertFailed } from '../core/assert.js';
import { HistoryDbError } from './history-errors.js';
import { historyLimits } from './history-limits.js';

export type SqlValue = string | number | null;
export type SqlParams = readonly SqlValue[];
export type SqlRow = Record<string, SqlValue>;

export interface SqlRunResult {
  /** Rows changed by an INSERT, UPDATE or DELETE. */
  readonly changes: number;
  /** The rowid of the last row inserted. */
  readonly lastId: number;
}

/** What a statement can run on: the connection, or a transaction on it. */
export interface SqlExecutor {
  run(sql: string, params?: SqlParams): Promise<SqlRunResult>;
  get<T extends SqlRow = SqlRow>(sql: string, params?: SqlParams): Promise<T | undefined>;
  all<T extends SqlRow = SqlRow>(sql: string, params?: SqlParams): Promise<T[]>;
  /** Runs several statements (no parameters): a migration's SQL. */
  exec(sql: string): Promise<void>;
}

export interface HistoryDbOptions {
  /** FULL (default): every commit is fsynced. NORMAL: survives a process crash, not a power loss. */
  readonly synchronous?: 'FULL' | 'NORMAL';
}

export class HistoryDb implements SqlExecutor {
  /** The end of the operation chain: the next operation starts when it settles. */
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private closed = false;

  private constructor(
    private readonly raw: sqlite3.Database,
    readonly path: string,
  ) {}

  /** Opens (creating when missing) the database file at `path` and sets it up as described above. */
  static async open(path: string, options: HistoryDbOptions = {}): Promise<HistoryDb> {
    assert(typeof path === 'string' && path.length > 0 && !path.includes('\0'), 'a history database path is a non-empty string without NUL');
    const synchronous = options.synchronous ?? 'FULL';
    if (!(synchronous === 'FULL' || synchronous === 'NORMAL')) assertFailed(`synchronous is FULL or NORMAL, not ${String(synchronous)}`);
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const db: sqlite3.Database = new sqlite3.Database(path, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, (error) => {
        if (error === null) resolve(db);
        else reject(wrapError(error, `open ${path}`));
      });
    });
    const db = new HistoryDb(raw, path);
    try {
      raw.configure('busyTimeout', historyLimits.busyTimeoutMs);
      const mode = await db.get<{ journal_mode: string }>('PRAGMA journal_mode=WAL');
      if (mode?.journal_mode !== 'wal') {
        throw new HistoryDbError('SQLITE_CANTOPEN', `The run history ${path} cannot use write-ahead logging (journal mode is ${String(mode?.journal_mode)}); put the data directory on a local disk.`);
      }
      await db.exec(`PRAGMA synchronous=${synchronous}; PRAGMA foreign_keys=ON;`);
      const fk = await db.get<{ foreign_keys: number }>('PRAGMA foreign_keys');
      assert(fk?.foreign_keys === 1, 'foreign keys are on');
    } catch (error) {
      await db.close();
      throw error;
    }
    return db;
  }

  run(sql: string, params: SqlParams = []): Promise<SqlRunResult> {
    return this.schedule(() => rawRun(this.raw, sql, params));
  }

  get<T extends SqlRow = SqlRow>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    return this.schedule(() => rawGet<T>(this.raw, sql, params));
  }

  all<T extends SqlRow = SqlRow>(sql: string, params: SqlParams = []): Promise<T[]> {
    return this.schedule(() => rawAll<T>(this.raw, sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.schedule(() => rawExec(this.raw, sql));
  }

  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws (the
   * error is rethrown). Nothing else runs on the connection meanwhile. `work` awaits every
   * statement it starts (one left running would land after the COMMIT). A `read` transaction
   * (`BEGIN DEFERRED`) sees one consistent moment without taking the write lock.
   */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>, kind: 'write' | 'read' = 'write'): Promise<T> {
    if (!(kind === 'write' || kind === 'read')) assertFailed(`a transaction is write or read, not ${String(kind)}`);
    return this.schedule(async () => {
      await rawExec(this.raw, kind === 'write' ? 'BEGIN IMMEDIATE' : 'BEGIN DEFERRED');
      let open = true;
      const guard = (what: string): void => {
        if (!open) assertFailed(`a statement (${what.slice(0, 60)}) ran on a transaction that had ended`);
      };
      const tx: SqlExecutor = {
        run: (sql, params = []) => (guard(sql), rawRun(this.raw, sql, params)),
        get: <R extends SqlRow = SqlRow>(sql: string, params: SqlParams = []) => (guard(sql), rawGet<R>(this.raw, sql, params)),
        all: <R extends SqlRow = SqlRow>(sql: string, params: SqlParams = []) => (guard(sql), rawAll<R>(this.raw, sql, params)),
        exec: (sql) => (guard(sql), rawExec(this.raw, sql)),
      };
      let result: T;
      try {
        result = await work(tx);
      } catch (error) {
        open = false;
        await rawExec(this.raw, 'ROLLBACK').catch((rollbackError: unknown) => {
          // SQLite rolls back by itself after some errors (SQLITE_FULL, SQLITE_IOERR): nothing is left to undo.
          if (!/no transaction is active/.test(String(rollbackError))) throw rollbackError;
        });
        throw error;
      }
      open = false;
      await rawExec(this.raw, 'COMMIT');
      return result;
    });
  }

  /** Waits for the operations asked for, then closes the connection (checkpointing the WAL). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail.catch(() => undefined);
    await new Promise<void>((resolve, reject) => this.raw.close((error) => (error === null ? resolve() : reject(wrapError(error, `close ${this.path}`)))));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private schedule<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new HistoryDbError('SQLITE_MISUSE', `The run history ${this.path} is closed.`));
    if (this.pending >= historyLimits.pendingOperationsMax) {
      return Promise.reject(
        new HistoryDbError('SQLITE_BUSY', `The run history ${this.path} has ${this.pending} operations waiting (at most ${historyLimits.pendingOperationsMax}); the caller does not wait for its saves.`),
      );
    }
    this.pending++;
    const result = this.tail.then(operation, operation);
    this.tail = result.then(
      () => this.pending--,
      () => this.pending--,
    );
    return result;
  }
}

function check(params: SqlParams, sql: string): unknown[] {
  if (!Array.isArray(params)) assertFailed(`parameters of "${sql.slice(0, 60)}" are an array`);
  for (const value of params) {
    const ok = value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
    if (!ok) assertFailed(`parameter ${String(value)} of "${sql.slice(0, 60)}" is a string, a finite number or null`);
  }
  return [...params];
}

function rawRun(raw: sqlite3.Database, sql: string, params: SqlParams): Promise<SqlRunResult> {
  const bound = check(params, sql);
  return new Promise((resolve, reject) => {
    raw.run(sql, bound, function (this: sqlite3.RunResult, error: Error | null) {
      if (error !== null) reject(wrapError(error, sql));
      else resolve({ changes: this.changes, lastId: this.lastID });
    });
  });
}

function rawGet<T>(raw: sqlite3.Database, sql: string, params: SqlParams): Promise<T | undefined> {
  const bound = check(params, sql);
  return new Promise((resolve, reject) => {
    raw.get<T>(sql, bound, (error: Error | null, row: T) => (error !== null ? reject(wrapError(error, sql)) : resolve(row ?? undefined)));
  });
}

function rawAll<T>(raw: sqlite3.Database, sql: string, params: SqlParams): Promise<T[]> {
  const bound = check(params, sql);
  return new Promise((resolve, reject) => {
    raw.all<T>(sql, bound, (error: Error | null, rows: T[]) => (error !== null ? reject(wrapError(error, sql)) : resolve(rows)));
  });
}

function rawExec(raw: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => raw.exec(sql, (error: Error | null) => (error !== null ? reject(wrapError(error, sql)) : resolve())));
}

/** SQLite's error with its code (SQLITE_BUSY, ...) and the statement that got it. */
function wrapError(error: Error, statement: string): HistoryDbError {
  const found = (error as { code?: unknown }).code;
  const code = typeof found === 'string' ? found : 'SQLITE_ERROR';
  const oneLine = statement.replace(/\s+/g, ' ').trim();
  return new HistoryDbError(code, `${error.message} (in: ${oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine})`);
}
