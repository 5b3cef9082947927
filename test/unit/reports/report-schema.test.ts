/**
 * The JSON report format: reports of real runs validate against the zod schema and against the
 * committed JSON Schema (docs/report-schema.v1.json), which must be exactly what the zod schema
 * generates; foreign and damaged JSON is refused with the reason.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../engine/reports/report-model.js';
import { LabReportSchema, reportJsonSchema, reportJsonSchemaText } from '../../../engine/reports/report-schema.js';
import { autopilotSource, META_KO, REPO_ROOT, REPORT_LABS } from './report-fixtures.js';

const SCHEMA_FILE = resolve(REPO_ROOT, 'docs', 'report-schema.v1.json');
const REGENERATE = `npx tsx -e "import('./engine/reports/report-schema.ts').then(m => process.stdout.write(m.reportJsonSchemaText()))" > docs/report-schema.v1.json`;

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };

/**
 * A JSON Schema 2020-12 validator, when one is installed (ajv comes with the build tools; the
 * project does not depend on it directly). Without one, the JSON Schema check is skipped and says so.
 */
function jsonSchemaValidator(): Validate | null {
  try {
    const require = createRequire(import.meta.url);
    const Ajv2020 = (require('ajv/dist/2020') as { default: new (options: object) => { compile(schema: object): Validate } }).default;
    return new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
  } catch {
    return null;
  }
}

describe('the JSON report and its schema', () => {
  it(`the committed docs/report-schema.v1.json is what the zod schema generates (regenerate: ${REGENERATE})`, () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(reportJsonSchemaText());
    const schema = reportJsonSchema();
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['additionalProperties']).toBe(false);
    expect((schema['properties'] as Record<string, { const?: unknown }>)['kind']?.const).toBe('kafka-lab-report');
    expect((schema['properties'] as Record<string, { const?: unknown }>)['schemaVersion']?.const).toBe(1);
  });

  const validate = jsonSchemaValidator();

  for (const labId of REPORT_LABS) {
    it(`${labId}: the JSON text validates against the zod schema and the JSON Schema`, async ({ skip }) => {
      const report = buildReport(await autopilotSource(labId, META_KO));
      const text = JSON.stringify(report);
      const parsed = LabReportSchema.safeParse(JSON.parse(text));
      expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
      if (validate === null) skip('no JSON Schema validator (ajv) is installed: only the zod schema was checked');
      const ok = validate!(JSON.parse(text));
      expect(ok, JSON.stringify(validate!.errors?.slice(0, 3))).toBe(true);
    }, 120_000);
  }

  it('foreign or damaged JSON does not validate, and says where', async ({ skip }) => {
    const report = JSON.parse(JSON.stringify(buildReport(await autopilotSource('rebalancing-round')))) as Record<string, unknown>;
    const cases: [unknown, RegExp][] = [
      [{ ...report, kind: 'something-else' }, /kind/],
      [{ ...report, schemaVersion: 2 }, /schemaVersion/],
      [{ ...report, extra: true }, /extra|Unrecognized/],
      [{ ...report, summary: { ...(report['summary'] as object), stepsPassed: 1 } }, /stepsPassed 1 but 6 steps passed/],
      [{ ...report, series: [{ key: { scope: 'producer', clientId: 'x', metric: 'sendRate' }, t: [1, 2], v: [1] }] }, /as many values/],
      [{ name: 'package.json', version: '1.0.0' }, /kind/],
    ];
    for (const [json, why] of cases) {
      const parsed = LabReportSchema.safeParse(json);
      expect(parsed.success).toBe(false);
      expect(JSON.stringify(parsed.error?.issues)).toMatch(why);
    }
    if (validate === null) skip('no JSON Schema validator (ajv) is installed');
    expect(validate!({ ...report, kind: 'something-else' })).toBe(false);
    expect(validate!({ ...report, extra: true })).toBe(false);
    expect(validate!({ name: 'package.json' })).toBe(false);
  }, 120_000);
});
