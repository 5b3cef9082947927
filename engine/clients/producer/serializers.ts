/**
 * Kafka's serializers for keys and values: StringSerializer (UTF-8), ByteArraySerializer and a
 * JSON serializer (JSON text in UTF-8, like Kafka Connect's JsonSerializer without schemas). As in
 * Kafka, null serializes to null (a null key, or a tombstone value). A serializer that cannot
 * convert its input throws a ProducerError('SerializationException'), which the producer delivers
 * to the send's callback and promise.
 *
 * Invariants: serializers are pure (no state); a non-null result is a Uint8Array the producer may
 * keep (ByteArraySerializer hands back the caller's array, as Kafka's does: callers must not
 * mutate it after send()).
 */
import { ProducerError } from './producer-errors.js';

export interface Serializer<T> {
  /** Kafka's class name, for messages: "Can't convert key of class ... specified in key.serializer". */
  readonly className: string;
  serialize(topic: string, data: T | null): Uint8Array | null;
}

const utf8 = new TextEncoder();

export const stringSerializer: Serializer<string> = {
  className: 'org.apache.kafka.common.serialization.StringSerializer',
  serialize(_topic, data) {
    if (data === null) return null;
    if (typeof data !== 'string') throw conversionError(data, this.className);
    return utf8.encode(data);
  },
};

export const bytesSerializer: Serializer<Uint8Array> = {
  className: 'org.apache.kafka.common.serialization.ByteArraySerializer',
  serialize(_topic, data) {
    if (data === null) return null;
    if (!(data instanceof Uint8Array)) throw conversionError(data, this.className);
    return data;
  },
};

export const jsonSerializer: Serializer<unknown> = {
  className: 'org.apache.kafka.connect.json.JsonSerializer',
  serialize(_topic, data) {
    if (data === null) return null;
    let text: string | undefined;
    try {
      text = JSON.stringify(data);
    } catch (error) {
      throw ProducerError.client('SerializationException', `Error serializing JSON message: ${(error as Error).message}`);
    }
    if (text === undefined) throw ProducerError.client('SerializationException', `Error serializing JSON message: ${typeof data} is not JSON`);
    return utf8.encode(text);
  },
};

export type SerializerName = 'string' | 'bytes' | 'json';

/** The serializer a lab names, so a lab sheet can choose one as data. */
export function serializerNamed(name: SerializerName): Serializer<unknown> {
  switch (name) {
    case 'string':
      return stringSerializer as Serializer<unknown>;
    case 'bytes':
      return bytesSerializer as Serializer<unknown>;
    case 'json':
      return jsonSerializer;
  }
}

function conversionError(data: unknown, className: string): ProducerError {
  const type = data instanceof Uint8Array ? 'Uint8Array' : typeof data;
  return ProducerError.client('SerializationException', `Can't convert value of class ${type} to class ${className}`);
}
