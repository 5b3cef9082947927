/**
 * A lab guards the behaviour it teaches: break it in the engine and the lab fails. Producer
 * family: if the default partitioner ignored the key (murmur2 replaced by taking turns), "Keys and
 * partitions" must fail where one key has to stay in one partition.
 */
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type * as Murmur2 from '../../../engine/clients/murmur2.js';
import { loadLabCatalogue } from '../../../engine/labs/lab-catalogue.js';
import { NodeDisk } from '../../../engine/storage/disk/node-disk.js';
import { autopilot } from '../../helpers/lab-autopilot.js';

vi.mock('../../../engine/clients/murmur2.js', async (importOriginal) => {
  const real = await importOriginal<typeof Murmur2>();
  let turn = 0;
  return { ...real, partitionForKey: (_key: Uint8Array, partitionCount: number) => turn++ % partitionCount };
});

const LABS = resolve(import.meta.dirname, '..', '..', '..', 'labs');
const lab = (id: string) => loadLabCatalogue(new NodeDisk(), LABS).labs.find((l) => l.lab.id === id)!.lab;

describe('mutation: the partitioner ignores the key', () => {
  it('makes "Keys and partitions" fail where a key must stay in one partition', async () => {
    const result = await autopilot(lab('keys-and-partitions'), 1);
    expect(result.passed).toBe(false);
    const step = result.steps.find((s) => s.id === 'keyed')!;
    expect(step.passed).toBe(false);
    expect(step.checks.filter((c) => c.check === 'key-partitions').some((c) => !c.passed)).toBe(true);
  }, 120_000);
});
