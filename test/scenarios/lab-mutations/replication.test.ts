/**
 * A lab guards the behaviour it teaches: break it in the engine and the lab fails. Replication
 * family: if brokers ignored min.insync.replicas (taking acks=all writes with too few in-sync
 * replicas), "Acks and durability" must fail where NOT_ENOUGH_REPLICAS is expected.
 */
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cluster } from '../../../engine/cluster/cluster.js';
import { loadLabCatalogue } from '../../../engine/labs/lab-catalogue.js';
import { NodeDisk } from '../../../engine/storage/disk/node-disk.js';
import { autopilot } from '../../helpers/lab-autopilot.js';

const LABS = resolve(import.meta.dirname, '..', '..', '..', 'labs');
const lab = (id: string) => loadLabCatalogue(new NodeDisk(), LABS).labs.find((l) => l.lab.id === id)!.lab;

afterEach(() => vi.restoreAllMocks());

describe('mutation: min.insync.replicas not enforced', () => {
  it('makes "Acks and durability" fail where acks=all must be refused', async () => {
    const original = Cluster.prototype.topicConfig;
    vi.spyOn(Cluster.prototype, 'topicConfig').mockImplementation(function (this: Cluster, topic: string, name: string) {
      return name === 'min.insync.replicas' ? '1' : original.call(this, topic, name);
    });
    const result = await autopilot(lab('acks-and-durability'), 1);
    expect(result.passed).toBe(false);
    const step = result.steps.find((s) => s.id === 'not-enough-replicas')!;
    expect(step.passed).toBe(false);
    expect(step.checks.find((c) => c.check === 'action-result')).toMatchObject({ passed: false, observed: 'all-with-three: ok' });
  }, 120_000);
});
