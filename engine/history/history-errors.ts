/**
 * The history's errors. Each is a KafkaError, so a host turns it into the contract's error
 * envelope with a clear name and message (never the engine's internals):
 * - `HistoryInputError` (INVALID_REQUEST): an input was refused before anything was written; it
 *   lists each problem with its path ("progress.steps.2.status: ...");
 * - `HistorySchemaError` (UNSUPPORTED_VERSION): the database file was written by a newer app;
 * - `HistoryDataError` (KAFKA_STORAGE_ERROR): a row read back does not hold what the history
 *   writes (a damaged or hand-edited file); the message names the run and the row;
 * - `HistoryDbError` (KAFKA_STORAGE_ERROR): SQLite refused a statement; the message keeps SQLite's
 *   code (SQLITE_BUSY, SQLITE_FULL, ...) and says which statement.
 */
import { KafkaError } from '../core/kafka-errors.js';
import { historyLimits } from './history-limits.js';

export class HistoryInputError extends KafkaError {
  constructor(
    what: string,
    readonly problems: readonly string[],
  ) {
    const listed = problems.slice(0, historyLimits.problemsListedMax);
    const more = problems.length - listed.length;
    super('INVALID_REQUEST', `${what}: ${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}`, { problems: listed });
    this.name = 'HistoryInputError';
  }
}

export class HistorySchemaError extends KafkaError {
  constructor(
    readonly path: string,
    readonly foundVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      'UNSUPPORTED_VERSION',
      `The run history ${path} has schema version ${foundVersion}, but this app knows versions up to ${knownVersion}: ` +
        'it was written by a newer Kafka Lab Workbench. Open it with that version, or use another data directory.',
    );
    this.name = 'HistorySchemaError';
  }
}

export class HistoryDataError extends KafkaError {
  constructor(message: string) {
    super('KAFKA_STORAGE_ERROR', message);
    this.name = 'HistoryDataError';
  }
}

export class HistoryDbError extends KafkaError {
  constructor(
    readonly sqliteCode: string,
    message: string,
  ) {
    super('KAFKA_STORAGE_ERROR', message);
    this.name = 'HistoryDbError';
  }
}
