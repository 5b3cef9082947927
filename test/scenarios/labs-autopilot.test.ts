/**
 * Every lab of the workshop, run by the autopilot on its own fresh simulated cluster, as
 * `kafka-lab lab run <id>` does: each step's actions, then its checks until they pass or the step's
 * time bound. A failing lab prints the step, the checks with observed vs expected, and the command
 * that replays it.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLabCatalogue } from '../../engine/labs/lab-catalogue.js';
import { autopilot, failureReport } from '../helpers/lab-autopilot.js';
import { NodeDisk } from '../../engine/storage/disk/node-disk.js';

const LABS_DIR = resolve(import.meta.dirname, '..', '..', 'labs');
const SEED = 1;

const catalogue = loadLabCatalogue(new NodeDisk(), LABS_DIR);

describe('the labs under the autopilot', () => {
  it('every lab file loads', () => {
    expect(catalogue.problems).toEqual([]);
  });

  for (const { lab } of catalogue.labs) {
    it(`${lab.id} passes every step (seed ${SEED})`, async () => {
      const result = await autopilot(lab, SEED);
      expect(result.passed, failureReport(result)).toBe(true);
      expect(result.steps.map((s) => s.id)).toEqual(lab.steps.map((s) => s.id));
    }, 120_000);
  }
});
