/**
 * The admin API codecs (CreateTopics, DeleteTopics, CreatePartitions, DescribeConfigs) and
 * InitProducerId: every version's request built field by field as a client writes it, every
 * response read back field by field, and byte-exact fixtures of real clients:
 * - kafkajs 2.x (tulios/kafkajs src/protocol/requests/<api>/fixtures/*.json). Request fixtures are
 *   the body only: kafkajs's `encode()` gives the body and src/protocol/request.js puts the size
 *   and request header in front. Response fixtures start after the correlation id.
 * - Sarama (IBM/sarama *_request_test.go / *_response_test.go), checked there against its encoder;
 *   they cover what the kafkajs ones do not (assignments, configs, null lists).
 * Every strict prefix of a request is refused with a WireError.
 */
import { describe, expect, it } from 'vitest';
import { describeBrokerConfigs, describeTopicConfigs } from '../../../engine/cluster/broker-configs.js';
import {
  ADMIN_API_VERSIONS,
  configResourceKind,
  readCreatePartitionsRequest,
  readCreateTopicsRequest,
  readDeleteTopicsRequest,
  readDescribeConfigsRequest,
  readInitProducerIdRequest,
  writeCreatePartitionsResponse,
  writeCreateTopicsResponse,
  writeDeleteTopicsResponse,
  writeDescribeConfigsResponse,
  writeInitProducerIdResponse,
} from '../../../engine/protocol/admin-apis.js';
import { WireError, WireReader, WireWriter } from '../../../engine/protocol/wire.js';
import { decodeAll, expectEveryPrefixRefused, hex } from '../../helpers/wire-codec.js';



// kafkajs topic names (the fixtures hold them as int16 strings).
const KJS = {
  c8: 'test-topic-c8d8ca3d95495c6b900d',
  '050': 'test-topic-050fb2e6aed13a954288',
  fde: 'test-topic-fde67b5a797984ac0837-55492-1bf2f30a-cce8-403d-8897-6902a0b86fb0',
  '3d6': 'test-topic-3d6c53af2e0f9b1d1757-55492-cbde2344-d9d3-4ad7-b408-996cda13e6e5',
};

describe('ADMIN_API_VERSIONS', () => {
  it('lists the five APIs with the recommended non-flexible ranges', () => {
    expect(ADMIN_API_VERSIONS.map((api) => [api.apiKey, api.name, api.minVersion, api.maxVersion, api.flexibleFrom])).toEqual([
      [19, 'CreateTopics', 0, 4, null],
      [20, 'DeleteTopics', 0, 3, null],
      [22, 'InitProducerId', 0, 1, null],
      [32, 'DescribeConfigs', 0, 2, null],
      [37, 'CreatePartitions', 0, 1, null],
    ]);
  });
});

describe('CreateTopics (19)', () => {
  function request(version: number): Uint8Array {
    const out = new WireWriter().int32(2);
    // orders: 3 partitions placed by hand, two configs and one null config.
    out.nullableString('orders').int32(-1).int16(-1);
    out.int32(3);
    for (let p = 0; p < 3; p++) out.int32(p).int32(2).int32(p).int32((p + 1) % 3);
    out.int32(3).nullableString('retention.ms').nullableString('60000').nullableString('cleanup.policy').nullableString('compact').nullableString('segment.ms').nullableString(null);
    // payments: counts only, no assignment, no config.
    out.nullableString('payments').int32(6).int16(3).int32(0).int32(0);
    out.int32(30_000);
    if (version >= 1) out.boolean(true);
    return out.finish();
  }

  for (let version = 0; version <= 4; version++) {
    it(`v${version} request decodes every field`, () => {
      const bytes = request(version);
      expect(decodeAll(bytes, (r) => readCreateTopicsRequest(r, version))).toEqual({
        topics: [
          {
            name: 'orders',
            numPartitions: -1,
            replicationFactor: -1,
            assignments: [
              { partition: 0, brokerIds: [0, 1] },
              { partition: 1, brokerIds: [1, 2] },
              { partition: 2, brokerIds: [2, 0] },
            ],
            configs: { 'retention.ms': '60000', 'cleanup.policy': 'compact' },
            nullConfigs: ['segment.ms'],
          },
          { name: 'payments', numPartitions: 6, replicationFactor: 3, assignments: [], configs: {}, nullConfigs: [] },
        ],
        timeoutMs: 30_000,
        validateOnly: version >= 1,
      });
      expectEveryPrefixRefused(bytes, (r) => readCreateTopicsRequest(r, version));
    });

    it(`v${version} response has the fields of v${version}`, () => {
      const bytes = writeCreateTopicsResponse(version, [
        { name: 'orders', error: 'NONE' },
        { name: 'payments', error: 'TOPIC_ALREADY_EXISTS', errorMessage: "Topic 'payments' already exists." },
      ]);
      const reader = new WireReader(bytes);
      if (version >= 2) expect(reader.int32('throttle_time_ms')).toBe(0);
      expect(reader.int32('topics')).toBe(2);
      expect(reader.string('name')).toBe('orders');
      expect(reader.int16('error_code')).toBe(0);
      if (version >= 1) expect(reader.nullableString('error_message')).toBeNull();
      expect(reader.string('name')).toBe('payments');
      expect(reader.int16('error_code')).toBe(36);
      if (version >= 1) expect(reader.nullableString('error_message')).toBe("Topic 'payments' already exists.");
      expect(reader.remaining).toBe(0);
    });
  }

  it('keeps the last value of a config sent twice, and a "__proto__" config as a plain key', () => {
    const bytes = new WireWriter()
      .int32(1)
      .nullableString('t')
      .int32(1)
      .int16(1)
      .int32(0)
      .int32(3)
      .nullableString('retention.ms')
      .nullableString('1')
      .nullableString('retention.ms')
      .nullableString('2')
      .nullableString('__proto__')
      .nullableString('x')
      .int32(0)
      .finish();
    const [topic] = decodeAll(bytes, (r) => readCreateTopicsRequest(r, 0)).topics;
    expect(Object.entries(topic!.configs)).toEqual([
      ['retention.ms', '2'],
      ['__proto__', 'x'],
    ]);
    expect(Object.getPrototypeOf(topic!.configs)).toBe(Object.prototype);
  });

  it('refuses a null array where Kafka requires one', () => {
    expect(() => readCreateTopicsRequest(new WireReader(new WireWriter().int32(-1).int32(0).finish()), 0)).toThrow(new WireError('topics: null array where Kafka requires one'));
    const nullBrokers = new WireWriter().int32(1).nullableString('t').int32(1).int16(1).int32(1).int32(0).int32(-1).int32(0).int32(0).finish();
    expect(() => readCreateTopicsRequest(new WireReader(nullBrokers), 0)).toThrow(/assignments.broker_ids: null array/);
    const nullConfigs = new WireWriter().int32(1).nullableString('t').int32(1).int16(1).int32(0).int32(-1).int32(0).finish();
    expect(() => readCreateTopicsRequest(new WireReader(nullConfigs), 0)).toThrow(/topics.configs: null array/);
  });

  // kafkajs sends -1/-1 (broker defaults) and empty lists when the topic has no numPartitions/replicationFactor.
  const kafkajsTopic = (name: string) => ({ name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: {}, nullConfigs: [] });

  it('decodes kafkajs v0, v1 and v2 requests (its v3 spec reuses the v2 fixture)', () => {
    const v0 = hex(
      '00000002 001f746573742d746f7069632d6338643863613364393534393563366239303064 ffffffff ffff 00000000 00000000' +
        '001f746573742d746f7069632d3035306662326536616564313361393534323838 ffffffff ffff 00000000 00000000 00001388',
    );
    expect(decodeAll(v0, (r) => readCreateTopicsRequest(r, 0))).toEqual({ topics: [kafkajsTopic(KJS.c8), kafkajsTopic(KJS['050'])], timeoutMs: 5000, validateOnly: false });
    const v1 = new Uint8Array([...v0, 1]);
    expect(decodeAll(v1, (r) => readCreateTopicsRequest(r, 1))).toEqual({ topics: [kafkajsTopic(KJS.c8), kafkajsTopic(KJS['050'])], timeoutMs: 5000, validateOnly: true });
    const v2 = hex(
      '00000002 004a746573742d746f7069632d66646536376235613739373938346163303833372d35353439322d31626632663330612d636365382d343033642d383839372d363930326130623836666230 ffffffffffff 0000000000000000' +
        '004a746573742d746f7069632d33643663353361663265306639623164313735372d35353439322d63626465323334342d643964332d346164372d623430382d393936636461313365366535 ffffffffffff 0000000000000000 00001388 00',
    );
    for (const version of [2, 3]) {
      expect(decodeAll(v2, (r) => readCreateTopicsRequest(r, version))).toEqual({ topics: [kafkajsTopic(KJS.fde), kafkajsTopic(KJS['3d6'])], timeoutMs: 5000, validateOnly: false });
    }
    expectEveryPrefixRefused(v2, (r) => readCreateTopicsRequest(r, 2));
  });

  it('decodes Sarama v0 and v1 requests with an assignment and a config', () => {
    const v0 = hex('00000001 0005746f706963 ffffffff ffff 00000001 00000000 00000003 00000000 00000001 00000002 00000001 000c726574656e74696f6e2e6d73 00022d31 00000064');
    const topic = { name: 'topic', numPartitions: -1, replicationFactor: -1, assignments: [{ partition: 0, brokerIds: [0, 1, 2] }], configs: { 'retention.ms': '-1' }, nullConfigs: [] };
    expect(decodeAll(v0, (r) => readCreateTopicsRequest(r, 0))).toEqual({ topics: [topic], timeoutMs: 100, validateOnly: false });
    expect(decodeAll(new Uint8Array([...v0, 1]), (r) => readCreateTopicsRequest(r, 1))).toEqual({ topics: [topic], timeoutMs: 100, validateOnly: true });
  });

  it('answers byte for byte as the broker kafkajs recorded (v0, v1, v2)', () => {
    expect(Buffer.from(writeCreateTopicsResponse(0, [{ name: KJS.c8, error: 'NONE' }, { name: KJS['050'], error: 'NONE' }])).toString('hex')).toBe(
      '00000002001f746573742d746f7069632d63386438636133643935343935633662393030640000001f746573742d746f7069632d30353066623265366165643133613935343238380000',
    );
    expect(Buffer.from(writeCreateTopicsResponse(1, [{ name: 'test-topic-98abe97d412df76b4deb', error: 'NONE' }])).toString('hex')).toBe(
      '00000001001f746573742d746f7069632d39386162653937643431326466373662346465620000ffff',
    );
    expect(Buffer.from(writeCreateTopicsResponse(2, [{ name: KJS.fde, error: 'NONE' }, { name: KJS['3d6'], error: 'NONE' }])).toString('hex')).toBe(
      '0000000000000002004a746573742d746f7069632d66646536376235613739373938346163303833372d35353439322d31626632663330612d636365382d343033642d383839372d3639303261306238366662300000ffff' +
        '004a746573742d746f7069632d33643663353361663265306639623164313735372d35353439322d63626465323334342d643964332d346164372d623430382d3939366364613133653665350000ffff',
    );
  });
});

describe('DeleteTopics (20)', () => {
  for (let version = 0; version <= 3; version++) {
    it(`v${version} request and response`, () => {
      const bytes = new WireWriter().int32(2).nullableString('orders').nullableString('주문').int32(15_000).finish();
      expect(decodeAll(bytes, (r) => readDeleteTopicsRequest(r))).toEqual({ topicNames: ['orders', '주문'], timeoutMs: 15_000 });
      expectEveryPrefixRefused(bytes, (r) => readDeleteTopicsRequest(r));

      const reader = new WireReader(
        writeDeleteTopicsResponse(version, [
          { name: 'orders', error: 'NONE' },
          { name: '주문', error: 'UNKNOWN_TOPIC_OR_PARTITION' },
        ]),
      );
      if (version >= 1) expect(reader.int32('throttle_time_ms')).toBe(0);
      expect(reader.int32('responses')).toBe(2);
      expect([reader.string('name'), reader.int16('error_code')]).toEqual(['orders', 0]);
      expect([reader.string('name'), reader.int16('error_code')]).toEqual(['주문', 3]);
      expect(reader.remaining).toBe(0);
    });
  }

  it('refuses a null topic list', () => {
    expect(() => readDeleteTopicsRequest(new WireReader(new WireWriter().int32(-1).int32(0).finish()))).toThrow(/topic_names: null array/);
  });

  it('decodes kafkajs v0 and v1 requests and answers as the broker it recorded', () => {
    const v0 = hex('00000002 001f746573742d746f7069632d3566383032383363613861316534366432323733 001f746573742d746f7069632d3334363331353434623864623164313236336239 00001388');
    expect(decodeAll(v0, (r) => readDeleteTopicsRequest(r))).toEqual({ topicNames: ['test-topic-5f80283ca8a1e46d2273', 'test-topic-34631544b8db1d1263b9'], timeoutMs: 5000 });
    const v1 = hex(
      '00000002 004a746573742d746f7069632d33383665613430343339366436363361383034322d35363239382d65366532363333312d646532352d343864382d393062362d343731306364306236313862' +
        '004a746573742d746f7069632d62623564346330633337616535336562386235332d35363239382d61633230326266382d373865372d346438622d616430372d346530316438313438646230 00001388',
    );
    const longNames = ['test-topic-386ea404396d663a8042-56298-e6e26331-de25-48d8-90b6-4710cd0b618b', 'test-topic-bb5d4c0c37ae53eb8b53-56298-ac202bf8-78e7-4d8b-ad07-4e01d8148db0'];
    expect(decodeAll(v1, (r) => readDeleteTopicsRequest(r))).toEqual({ topicNames: longNames, timeoutMs: 5000 });

    const response0 = writeDeleteTopicsResponse(0, [
      { name: 'test-topic-bb9886eb859786ce646d', error: 'NONE' },
      { name: 'test-topic-d41416601b422429db78', error: 'NONE' },
    ]);
    expect(Buffer.from(response0).toString('hex')).toBe(
      '00000002001f746573742d746f7069632d62623938383665623835393738366365363436640000001f746573742d746f7069632d64343134313636303162343232343239646237380000',
    );
    const response1 = writeDeleteTopicsResponse(1, [
      { name: longNames[1]!, error: 'NONE' },
      { name: longNames[0]!, error: 'NONE' },
    ]);
    expect(Buffer.from(response1).toString('hex')).toBe(
      '0000000000000002004a746573742d746f7069632d62623564346330633337616535336562386235332d35363239382d61633230326266382d373865372d346438622d616430372d3465303164383134386462300000' +
        '004a746573742d746f7069632d33383665613430343339366436363361383034322d35363239382d65366532363333312d646532352d343864382d393062362d3437313063643062363138620000',
    );
  });
});

describe('CreatePartitions (37)', () => {
  for (let version = 0; version <= 1; version++) {
    it(`v${version} request and response`, () => {
      const out = new WireWriter().int32(2);
      out.nullableString('orders').int32(4).int32(1).int32(2).int32(2).int32(0);
      out.nullableString('payments').int32(8).int32(-1);
      const bytes = out.int32(10_000).boolean(true).finish();
      expect(decodeAll(bytes, (r) => readCreatePartitionsRequest(r))).toEqual({
        topics: [
          { name: 'orders', count: 4, assignments: [[2, 0]] },
          { name: 'payments', count: 8, assignments: null },
        ],
        timeoutMs: 10_000,
        validateOnly: true,
      });
      expectEveryPrefixRefused(bytes, (r) => readCreatePartitionsRequest(r));

      const reader = new WireReader(
        writeCreatePartitionsResponse([
          { name: 'orders', error: 'NONE' },
          { name: 'payments', error: 'INVALID_PARTITIONS', errorMessage: 'Topic currently has 8 partitions, which is higher than the requested 8.' },
        ]),
      );
      expect(reader.int32('throttle_time_ms')).toBe(0);
      expect(reader.int32('results')).toBe(2);
      expect([reader.string('name'), reader.int16('error_code'), reader.nullableString('error_message')]).toEqual(['orders', 0, null]);
      expect([reader.string('name'), reader.int16('error_code'), reader.nullableString('error_message')]).toEqual([
        'payments',
        37,
        'Topic currently has 8 partitions, which is higher than the requested 8.',
      ]);
      expect(reader.remaining).toBe(0);
    });
  }

  it('refuses null broker ids inside an assignment (only the assignment list may be null)', () => {
    const bytes = new WireWriter().int32(1).nullableString('t').int32(2).int32(1).int32(-1).int32(0).boolean(false).finish();
    expect(() => readCreatePartitionsRequest(new WireReader(bytes))).toThrow(/assignments.broker_ids: null array/);
  });

  it('decodes the kafkajs v0/v1 request (one fixture for both) and answers as the broker it recorded', () => {
    const request = hex(
      '00000002 001f746573742d746f7069632d6338643863613364393534393563366239303064 00000003 ffffffff' +
        '001f746573742d746f7069632d3035306662326536616564313361393534323838 00000005 00000003 00000001 00000000 00000001 00000001 00000001 00000002 00001388 00',
    );
    expect(decodeAll(request, (r) => readCreatePartitionsRequest(r))).toEqual({
      topics: [
        { name: KJS.c8, count: 3, assignments: null },
        { name: KJS['050'], count: 5, assignments: [[0], [1], [2]] },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(Buffer.from(writeCreatePartitionsResponse([{ name: KJS.fde, error: 'NONE' }, { name: KJS['3d6'], error: 'NONE' }])).toString('hex')).toBe(
      '0000000000000002004a746573742d746f7069632d66646536376235613739373938346163303833372d35353439322d31626632663330612d636365382d343033642d383839372d3639303261306238366662300000ffff' +
        '004a746573742d746f7069632d33643663353361663265306639623164313735372d35353439322d63626465323334342d643964332d346164372d623430382d3939366364613133653665350000ffff',
    );
  });

  it('decodes the Sarama request with two assignments', () => {
    const bytes = hex('00000001 0005746f706963 00000003 00000002 00000002 00000002 00000003 00000002 00000003 00000001 00000064 01');
    expect(decodeAll(bytes, (r) => readCreatePartitionsRequest(r))).toEqual({
      topics: [
        {
          name: 'topic',
          count: 3,
          assignments: [
            [2, 3],
            [3, 1],
          ],
        },
      ],
      timeoutMs: 100,
      validateOnly: true,
    });
  });
});

describe('DescribeConfigs (32)', () => {
  for (let version = 0; version <= 2; version++) {
    it(`v${version} request decodes every field, an unknown resource type kept raw`, () => {
      const out = new WireWriter().int32(4);
      out.int8(2).nullableString('orders').int32(2).nullableString('retention.ms').nullableString('cleanup.policy');
      out.int8(4).nullableString('').int32(-1);
      out.int8(8).nullableString('1').int32(0);
      out.int8(16).nullableString('metrics').int32(-1);
      if (version >= 1) out.boolean(true);
      const bytes = out.finish();
      expect(decodeAll(bytes, (r) => readDescribeConfigsRequest(r, version))).toEqual({
        resources: [
          { resourceType: 2, kind: 'topic', resourceName: 'orders', configurationKeys: ['retention.ms', 'cleanup.policy'] },
          { resourceType: 4, kind: 'broker', resourceName: '', configurationKeys: null },
          { resourceType: 8, kind: 'brokerLogger', resourceName: '1', configurationKeys: [] },
          { resourceType: 16, kind: null, resourceName: 'metrics', configurationKeys: null },
        ],
        includeSynonyms: version >= 1,
      });
      expectEveryPrefixRefused(bytes, (r) => readDescribeConfigsRequest(r, version));
    });

    it(`v${version} response has the fields of v${version}`, () => {
      const bytes = writeDescribeConfigsResponse(version, [
        {
          error: 'NONE',
          resourceType: 2,
          resourceName: 'orders',
          configs: [
            { name: 'retention.ms', value: '60000', source: 'DYNAMIC_TOPIC_CONFIG', synonyms: [{ name: 'retention.ms', value: '60000', source: 'DYNAMIC_TOPIC_CONFIG' }, { name: 'log.retention.hours', value: '168', source: 'DEFAULT_CONFIG' }] },
            { name: 'cleanup.policy', value: 'delete', source: 'DEFAULT_CONFIG' },
            { name: 'ssl.key.password', value: null, source: 'STATIC_BROKER_CONFIG', readOnly: true, isSensitive: true },
          ],
        },
        { error: 'INVALID_REQUEST', errorMessage: 'Unexpected resource type 16', resourceType: 16, resourceName: 'metrics', configs: [] },
      ]);
      const reader = new WireReader(bytes);
      expect(reader.int32('throttle_time_ms')).toBe(0);
      expect(reader.int32('results')).toBe(2);
      expect([reader.int16('error_code'), reader.nullableString('error_message'), reader.int8('resource_type'), reader.string('resource_name')]).toEqual([0, null, 2, 'orders']);
      expect(reader.int32('configs')).toBe(3);
      const entry = (): unknown[] => {
        const fields: unknown[] = [reader.string('name'), reader.nullableString('value'), reader.boolean('read_only')];
        fields.push(version === 0 ? reader.boolean('is_default') : reader.int8('config_source'));
        fields.push(reader.boolean('is_sensitive'));
        if (version >= 1) {
          const synonyms = reader.int32('synonyms');
          for (let s = 0; s < synonyms; s++) fields.push([reader.string('synonym.name'), reader.nullableString('synonym.value'), reader.int8('synonym.source')]);
        }
        return fields;
      };
      if (version === 0) {
        expect(entry()).toEqual(['retention.ms', '60000', false, false, false]);
        expect(entry()).toEqual(['cleanup.policy', 'delete', false, true, false]);
        expect(entry()).toEqual(['ssl.key.password', null, true, false, true]);
      } else {
        expect(entry()).toEqual(['retention.ms', '60000', false, 1, false, ['retention.ms', '60000', 1], ['log.retention.hours', '168', 5]]);
        expect(entry()).toEqual(['cleanup.policy', 'delete', false, 5, false]);
        expect(entry()).toEqual(['ssl.key.password', null, true, 4, true]);
      }
      expect([reader.int16('error_code'), reader.nullableString('error_message'), reader.int8('resource_type'), reader.string('resource_name'), reader.int32('configs')]).toEqual([
        42,
        'Unexpected resource type 16',
        16,
        'metrics',
        0,
      ]);
      expect(reader.remaining).toBe(0);
    });
  }

  it("encodes the engine's ConfigEntry lists as they are, with Kafka's source codes", () => {
    const topic = describeTopicConfigs({ 'retention.ms': '60000' }, { 'log.segment.bytes': '1048576' });
    const broker = describeBrokerConfigs({ 'log.segment.bytes': '1048576' });
    const bytes = writeDescribeConfigsResponse(1, [
      { error: 'NONE', resourceType: 2, resourceName: 'orders', configs: topic },
      { error: 'NONE', resourceType: 4, resourceName: '', configs: broker },
    ]);
    const reader = new WireReader(bytes);
    reader.int32('throttle_time_ms');
    expect(reader.int32('results')).toBe(2);
    const sources = (): Map<string, number> => {
      reader.int16('error_code');
      reader.nullableString('error_message');
      reader.int8('resource_type');
      reader.string('resource_name');
      const bySource = new Map<string, number>();
      const count = reader.int32('configs');
      for (let c = 0; c < count; c++) {
        const name = reader.string('name');
        reader.nullableString('value');
        reader.boolean('read_only');
        bySource.set(name, reader.int8('config_source'));
        reader.boolean('is_sensitive');
        expect(reader.int32('synonyms')).toBe(0);
      }
      return bySource;
    };
    const topicSources = sources();
    expect(topicSources.size).toBe(topic.length);
    expect(topicSources.get('retention.ms')).toBe(1);
    expect(topicSources.get('segment.bytes')).toBe(3);
    expect(topicSources.get('cleanup.policy')).toBe(5);
    const brokerSources = sources();
    expect(brokerSources.get('log.segment.bytes')).toBe(3);
    expect(reader.remaining).toBe(0);
  });

  it('names the resource types Kafka has (ConfigResource.Type)', () => {
    expect([2, 4, 8, 0, 16, 32, -1].map(configResourceKind)).toEqual(['topic', 'broker', 'brokerLogger', null, null, null, null]);
  });

  it('refuses a null resource list', () => {
    expect(() => readDescribeConfigsRequest(new WireReader(new WireWriter().int32(-1).finish()), 0)).toThrow(/resources: null array/);
  });

  it('decodes kafkajs v0 (topic, broker) and v1/v2 requests', () => {
    const v0 = hex('00000001 02 001f746573742d746f7069632d333332643338626334656565326666323964663600000002 0010636f6d7072657373696f6e2e74797065 000c726574656e74696f6e2e6d73');
    expect(decodeAll(v0, (r) => readDescribeConfigsRequest(r, 0))).toEqual({
      resources: [{ resourceType: 2, kind: 'topic', resourceName: 'test-topic-332d38bc4eee2ff29df6', configurationKeys: ['compression.type', 'retention.ms'] }],
      includeSynonyms: false,
    });
    const broker = hex('00000001 04 000130 00000001 001a7361736c2e6b65726265726f732e736572766963652e6e616d65');
    expect(decodeAll(broker, (r) => readDescribeConfigsRequest(r, 0))).toEqual({
      resources: [{ resourceType: 4, kind: 'broker', resourceName: '0', configurationKeys: ['sasl.kerberos.service.name'] }],
      includeSynonyms: false,
    });
    // kafkajs's v2 spec checks its encoder against the v1 fixture: the layouts are the same.
    const v1 = hex('00000001 02 000b746f7069632d7465737431 00000002 0010636f6d7072657373696f6e2e74797065 000c726574656e74696f6e2e6d73 01');
    for (const version of [1, 2]) {
      expect(decodeAll(v1, (r) => readDescribeConfigsRequest(r, version))).toEqual({
        resources: [{ resourceType: 2, kind: 'topic', resourceName: 'topic-test1', configurationKeys: ['compression.type', 'retention.ms'] }],
        includeSynonyms: true,
      });
    }
  });

  it('decodes the Sarama v1 request for every config (null keys)', () => {
    expect(decodeAll(hex('00000001 02 0003666f6f ffffffff 01'), (r) => readDescribeConfigsRequest(r, 1))).toEqual({
      resources: [{ resourceType: 2, kind: 'topic', resourceName: 'foo', configurationKeys: null }],
      includeSynonyms: true,
    });
  });

  it('answers byte for byte as the brokers kafkajs recorded (v0 topic defaults, v0 set topic and broker configs, v1 with a synonym)', () => {
    const encode = (version: number, resourceType: number, resourceName: string, configs: Parameters<typeof writeDescribeConfigsResponse>[1][number]['configs']): string =>
      Buffer.from(writeDescribeConfigsResponse(version, [{ error: 'NONE', resourceType, resourceName, configs }])).toString('hex');
    expect(
      encode(0, 2, 'test-topic-443a0ba6d66fd2161c73', [
        { name: 'compression.type', value: 'producer', source: 'DEFAULT_CONFIG' },
        { name: 'retention.ms', value: '604800000', source: 'DEFAULT_CONFIG' },
      ]),
    ).toBe(
      '00000000000000010000ffff02001f746573742d746f7069632d3434336130626136643636666432313631633733000000020010636f6d7072657373696f6e2e74797065000870726f6475636572000100000c726574656e74696f6e2e6d730009363034383030303030000100',
    );
    expect(encode(0, 2, 'topic-test2', [{ name: 'retention.ms', value: '123456789', source: 'DYNAMIC_TOPIC_CONFIG' }])).toBe(
      '00000000000000010000ffff02000b746f7069632d746573743200000001000c726574656e74696f6e2e6d730009313233343536373839000000',
    );
    expect(encode(0, 4, '0', [{ name: 'sasl.kerberos.service.name', value: null, source: 'STATIC_BROKER_CONFIG' }])).toBe(
      '00000000000000010000ffff0400013000000001001a7361736c2e6b65726265726f732e736572766963652e6e616d65ffff000000',
    );
    const v1 = encode(1, 2, 'topic-test1', [
      { name: 'compression.type', value: 'producer', source: 'DEFAULT_CONFIG', synonyms: [{ name: 'compression.type', value: 'producer', source: 'DEFAULT_CONFIG' }] },
      { name: 'retention.ms', value: '604800000', source: 'DEFAULT_CONFIG' },
    ]);
    expect(v1).toBe(
      '00000000000000010000ffff02000b746f7069632d7465737431000000020010636f6d7072657373696f6e2e74797065000870726f6475636572000500000000010010636f6d7072657373696f6e2e74797065000870726f647563657205000c726574656e74696f6e2e6d73000936303438303030303000050000000000',
    );
  });

  it('answers byte for byte as the Sarama v1 fixture with a synonym (empty error message)', () => {
    const bytes = writeDescribeConfigsResponse(1, [
      {
        error: 'NONE',
        errorMessage: '',
        resourceType: 2,
        resourceName: 'foo',
        configs: [{ name: 'segment.ms', value: '1000', source: 'STATIC_BROKER_CONFIG', synonyms: [{ name: 'log.segment.ms', value: '1000', source: 'STATIC_BROKER_CONFIG' }] }],
      },
    ]);
    expect(Buffer.from(bytes).toString('hex')).toBe(
      Buffer.from(hex('00000000 00000001 0000 0000 02 0003666f6f 00000001 000a7365676d656e742e6d73 000431303030 00 04 00 00000001 000e6c6f672e7365676d656e742e6d73 000431303030 04')).toString('hex'),
    );
  });
});

describe('InitProducerId (22)', () => {
  for (let version = 0; version <= 1; version++) {
    it(`v${version} request and response`, () => {
      const idempotent = new WireWriter().nullableString(null).int32(60_000).finish();
      expect(decodeAll(idempotent, (r) => readInitProducerIdRequest(r))).toEqual({ transactionalId: null, transactionTimeoutMs: 60_000 });
      const transactional = new WireWriter().nullableString('tx-1').int32(30_000).finish();
      expect(decodeAll(transactional, (r) => readInitProducerIdRequest(r))).toEqual({ transactionalId: 'tx-1', transactionTimeoutMs: 30_000 });
      expectEveryPrefixRefused(transactional, (r) => readInitProducerIdRequest(r));

      const reader = new WireReader(writeInitProducerIdResponse({ error: 'NONE', producerId: 2 ** 40 + 7, producerEpoch: 3 }));
      expect([reader.int32('throttle_time_ms'), reader.int16('error_code'), reader.int64('producer_id'), reader.int16('producer_epoch')]).toEqual([0, 0, 2 ** 40 + 7, 3]);
      expect(reader.remaining).toBe(0);
    });
  }

  it('answers a failure with producer id -1 and epoch -1, as Kafka does', () => {
    const reader = new WireReader(writeInitProducerIdResponse({ error: 'COORDINATOR_NOT_AVAILABLE' }));
    expect([reader.int32('throttle_time_ms'), reader.int16('error_code'), reader.int64('producer_id'), reader.int16('producer_epoch')]).toEqual([0, 15, -1, -1]);
  });

  it('decodes the kafkajs and Sarama requests and answers as the broker kafkajs recorded', () => {
    const kafkajs = hex('0019696e697470726f647563657269647472616e73616374696f6e 00007530');
    expect(decodeAll(kafkajs, (r) => readInitProducerIdRequest(r))).toEqual({ transactionalId: 'initproduceridtransaction', transactionTimeoutMs: 30_000 });
    expect(decodeAll(hex('ffff 00000064'), (r) => readInitProducerIdRequest(r))).toEqual({ transactionalId: null, transactionTimeoutMs: 100 });
    expect(decodeAll(hex('000374786e 00000064'), (r) => readInitProducerIdRequest(r))).toEqual({ transactionalId: 'txn', transactionTimeoutMs: 100 });
    expect(Buffer.from(writeInitProducerIdResponse({ error: 'NONE', producerId: 1006, producerEpoch: 0 })).toString('hex')).toBe('00000000000000000000000003ee0000');
  });
});
