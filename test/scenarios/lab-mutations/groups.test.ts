/**
 * A lab guards the behaviour it teaches: break it in the engine and the lab fails. Groups family:
 * if the range assignor handed every partition to every member (a partition consumed twice inside
 * one group), "Partitions vs consumers" must fail at the step that shows the idle replica.
 */
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RangeAssignor } from '../../../engine/groups/assignors/range-assignor.js';
import type { MemberAssignment } from '../../../engine/groups/assignors/assignor.js';
import { loadLabCatalogue } from '../../../engine/labs/lab-catalogue.js';
import { NodeDisk } from '../../../engine/storage/disk/node-disk.js';
import { autopilot } from '../../helpers/lab-autopilot.js';

const LABS = resolve(import.meta.dirname, '..', '..', '..', 'labs');
const lab = (id: string) => loadLabCatalogue(new NodeDisk(), LABS).labs.find((l) => l.lab.id === id)!.lab;

afterEach(() => vi.restoreAllMocks());

describe('mutation: a partition assigned to every member of the group', () => {
  it('makes "Partitions vs consumers" fail where the idle replica should show', async () => {
    const original = RangeAssignor.prototype.assign;
    vi.spyOn(RangeAssignor.prototype, 'assign').mockImplementation(function (this: RangeAssignor, partitions, subscriptions) {
      const real = original.call(this, partitions, subscriptions);
      const everything = [...real.values()].flatMap((a) => a.partitions);
      return new Map<string, MemberAssignment>([...real.keys()].map((member) => [member, { partitions: everything, userData: null }]));
    });
    const result = await autopilot(lab('partitions-vs-consumers'), 1);
    expect(result.passed).toBe(false);
    const step = result.steps.find((s) => s.id === 'second-replica')!;
    expect(step.passed).toBe(false);
    expect(step.checks.find((c) => c.check === 'group-members')).toMatchObject({ passed: false, observed: 'members = 2, members without partitions = 0' });
  }, 120_000);

  it('the same lab passes without the mutation (the check can pass)', async () => {
    expect((await autopilot(lab('partitions-vs-consumers'), 1)).passed).toBe(true);
  }, 120_000);
});
