/**
 * The produce dialog's form: headers as name=value rows (Kafka allows repeated names and empty
 * values), pasted header text, a null value (tombstone), and the partition.
 */
import { describe, expect, it } from 'vitest';
import { parseHeaderText, validateProduce, type ProduceForm } from '../../../renderer/src/domain/produce-validation';
import { rendererLimits } from '../../../renderer/src/domain/renderer-limits';

const form = (overrides: Partial<ProduceForm> = {}): ProduceForm => ({ key: 'order-1', value: '{"id":1}', nullValue: false, headers: [], partition: '', acks: 'all', ...overrides });

describe('validateProduce', () => {
  it('builds the produceRecord request, leaving the partition to the partitioner', () => {
    expect(validateProduce('orders', form(), 3)).toEqual({ ok: true, request: { topic: 'orders', key: 'order-1', value: '{"id":1}', headers: [], acks: 'all' } });
  });

  it('sends an empty key as a null key, and a tombstone as a null value', () => {
    const result = validateProduce('orders', form({ key: '', nullValue: true, value: 'ignored' }), 3);
    expect(result.ok && result.request).toMatchObject({ key: null, value: null });
  });

  it('keeps headers in order with repeated names and empty values, and skips empty rows', () => {
    const headers = [
      { key: 'trace-id', value: 'abc' },
      { key: '', value: '' },
      { key: 'trace-id', value: 'def' },
      { key: 'flag', value: '' },
    ];
    const result = validateProduce('orders', form({ headers }), 3);
    expect(result.ok && result.request.headers).toEqual([
      { key: 'trace-id', value: 'abc' },
      { key: 'trace-id', value: 'def' },
      { key: 'flag', value: '' },
    ]);
  });

  it('flags a header row with a value and no name, row by row', () => {
    const result = validateProduce('orders', form({ headers: [{ key: 'a', value: '1' }, { key: '', value: '2' }] }), 3);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.headers.map((p) => p?.key)).toEqual([undefined, 'browser.produce.errors.headerNameEmpty']);
  });

  it('refuses more headers than the engine takes', () => {
    const headers = Array.from({ length: rendererLimits.produceHeadersMax + 1 }, (_, i) => ({ key: `h${i}`, value: '' }));
    const result = validateProduce('orders', form({ headers }), 3);
    expect(!result.ok && result.problems.headersCount?.key).toBe('browser.produce.errors.tooManyHeaders');
  });

  it('takes a chosen partition of the topic, and refuses one it does not have', () => {
    const chosen = validateProduce('orders', form({ partition: '2', acks: '1' }), 3);
    expect(chosen.ok && chosen.request).toMatchObject({ partition: 2, acks: '1' });
    const result = validateProduce('orders', form({ partition: '3' }), 3);
    expect(!result.ok && result.problems.partition).toEqual({ key: 'browser.produce.errors.partition', params: { last: 2 } });
  });
});

describe('pasted header text', () => {
  it('reads name=value lines and the console producer\'s name:value,name:value', () => {
    expect(parseHeaderText('trace-id=abc\nsource=web')).toEqual([
      { key: 'trace-id', value: 'abc' },
      { key: 'source', value: 'web' },
    ]);
    expect(parseHeaderText('a:1,b:2')).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
    expect(parseHeaderText('url=http://x:8080')).toEqual([{ key: 'url', value: 'http://x:8080' }]);
  });

  it('leaves a plain name alone', () => {
    expect(parseHeaderText('trace-id')).toBeNull();
  });
});
