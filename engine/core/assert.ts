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

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function assertNever(value: never, what: string): never {
  throw new AssertionError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
