/**
 * Kafka's deserializers for keys and values, the mirror of the producer's serializers:
 * StringDeserializer (UTF-8), ByteArrayDeserializer and a JSON deserializer (Kafka Connect's
 * JsonDeserializer without schemas). As in Kafka, null bytes deserialize to null (a null key, or a
 * tombstone value). A deserializer that cannot read its input throws; the consumer turns that into
 * Java's RecordDeserializationException naming the partition and offset, and leaves the position
 * at that record (the application must seek past it, as in Java).
 *
 * Invariants: deserializers are pure; ByteArrayDeserializer returns a copy, so a record handed to
 * the application never aliases the fetch buffer.
 */
import { ConsumerError } from './consumer-errors.js';

export interface Deserializer<T> {
  /** Kafka's class name, for messages and for key.deserializer / value.deserializer. */
  readonly className: string;
  deserialize(topic: string, data: Uint8Array | null): T | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export const stringDeserializer: Deserializer<string> = {
  className: 'org.apache.kafka.common.serialization.StringDeserializer',
  deserialize(_topic, data) {
    return data === null ? null : utf8.decode(data);
  },
};

export const bytesDeserializer: Deserializer<Uint8Array> = {
  className: 'org.apache.kafka.common.serialization.ByteArrayDeserializer',
  deserialize(_topic, data) {
    return data === null ? null : data.slice();
  },
};

export const jsonDeserializer: Deserializer<unknown> = {
  className: 'org.apache.kafka.connect.json.JsonDeserializer',
  deserialize(_topic, data) {
    if (data === null) return null;
    try {
      return JSON.parse(utf8.decode(data)) as unknown;
    } catch (error) {
      throw ConsumerError.client('SerializationException', `Error deserializing JSON message: ${(error as Error).message}`);
    }
  },
};

export type DeserializerName = 'string' | 'bytes' | 'json';

/** The deserializer a lab names (short name or Kafka's class name). */
export function deserializerNamed(name: DeserializerName): Deserializer<unknown> {
  switch (name) {
    case 'string':
      return stringDeserializer as Deserializer<unknown>;
    case 'bytes':
      return bytesDeserializer as Deserializer<unknown>;
    case 'json':
      return jsonDeserializer;
  }
}

/** Kafka's class names accepted for key.deserializer / value.deserializer, by short name. */
export const DESERIALIZER_CLASS_NAMES: Readonly<Record<string, DeserializerName>> = {
  string: 'string',
  bytes: 'bytes',
  json: 'json',
  [stringDeserializer.className]: 'string',
  [bytesDeserializer.className]: 'bytes',
  [jsonDeserializer.className]: 'json',
};
