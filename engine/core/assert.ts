/**
 * Assertions guard the places where data enters and leaves a module (TigerBeetle style): a broken
 * invariant stops the engine loudly instead of corrupting a log or a group. They are never used
 * for validating outside input; that gets a KafkaError with a specific message.
 */
export class AssertionError extends Error {
  constructor(message: string) {
    super(`assertion failed: ${message}`);
    this.name = 'AssertionError';
  }
}

/** For a fixed message. A message built from values goes through `assertFailed` (below). */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/**
 * `if (!condition) assertFailed(\`... ${value} ...\`)`: the message is built only when the
 * invariant broke. A template literal passed to `assert` is built on every call — on the produce
 * and replication paths that was a fifth of all allocation, and the young-generation collections
 * it caused were the live mode's latency tail. (eslint refuses a template with values in assert.)
 */
export function assertFailed(message: string): never {
  throw new AssertionError(message);
}

export function assertNever(value: never, what: string): never {
  throw new AssertionError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
