/**
 * A snapshot of the contract's whole surface — every command, query and event with its schemas as
 * JSON Schema — kept in contract-surface.snapshot.json beside this test. Any change to what the UI
 * can ask or hear shows in review as a diff of that file.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commands, events, queries } from '../../../engine/api/contract.js';

function surface(): unknown {
  const operations = (table: Record<string, { request: z.ZodType; response: z.ZodType; summary: string }>) =>
    Object.fromEntries(
      Object.entries(table)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, op]) => [name, { summary: op.summary, request: z.toJSONSchema(op.request, { io: 'input' }), response: z.toJSONSchema(op.response, { io: 'output' }) }]),
    );
  return {
    commands: operations(commands),
    queries: operations(queries),
    events: Object.fromEntries(Object.entries(events).map(([name, e]) => [name, { summary: e.summary, payload: z.toJSONSchema(e.payload) }])),
  };
}

describe('contract surface', () => {
  it('matches the reviewed snapshot', async () => {
    await expect(`${JSON.stringify(surface(), null, 2)}\n`).toMatchFileSnapshot('./contract-surface.snapshot.json');
  });

  it('names no operation twice across commands and queries', () => {
    const names = [...Object.keys(commands), ...Object.keys(queries)];
    expect(new Set(names).size).toBe(names.length);
  });
});
