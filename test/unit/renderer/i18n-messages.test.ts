/**
 * Every UI string exists in English and Korean, compiles under vue-i18n (no stray { } @ | syntax)
 * and the Korean text is really Korean, not an English leftover.
 */
import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../../../renderer/src/i18n';
import { en } from '../../../renderer/src/i18n/en';
import { ko } from '../../../renderer/src/i18n/ko';

function leaves(tree: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value as object, path)) out.set(k, v);
  }
  return out;
}

const english = leaves(en);
const korean = leaves(ko);
/** Korean strings made only of the product name, Kafka's own words or numbers, on purpose. */
const SAME_IN_BOTH = new Set([
  'topics.isrShort',
  'app.name',
  'app.pageTitle',
  'common.null',
  'cluster.grid.isr',
  // LEO and HW are Kafka's abbreviations (like ISR); the legend spells them out in Korean.
  'cluster.grid.leoShort',
  'cluster.grid.hwShort',
  'cluster.chart.partitionTick',
  'produce.acks',
  'topics.replicationFactorAbbr',
  'timeline.filter.isr',
  // The timeline search's example: topic, broker and group names as a learner types them.
  'timeline.searchPlaceholder',
  // File formats, by their names.
  'reports.viewer.html',
  'reports.viewer.pdf',
  'reports.viewer.json',
]);

describe('UI messages', () => {
  it('have the same keys in English and Korean, none empty', () => {
    expect([...korean.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, value] of [...english, ...korean]) expect(value.trim(), key).not.toBe('');
  });

  it('are translated: Korean strings contain Hangul', () => {
    for (const [key, value] of korean) {
      if (SAME_IN_BOTH.has(key)) continue;
      expect(value, key).toMatch(/[\uAC00-\uD7A3]/);
    }
  });

  it('use the same placeholders in both languages, and all of them format', () => {
    const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))].sort();
    for (const locale of ['en', 'ko'] as const) {
      const i18n = createAppI18n(locale);
      for (const [key, value] of locale === 'en' ? english : korean) {
        const names = placeholders(value);
        expect(names, key).toEqual(placeholders(english.get(key) ?? ''));
        const params = Object.fromEntries(names.map((name) => [name, `<${name}>`]));
        const text = i18n.global.t(key, params);
        expect(text, key).not.toBe(key);
        for (const name of names) expect(text, key).toContain(`<${name}>`);
        expect(text, key).not.toMatch(/[{}]/);
      }
    }
  });
});
