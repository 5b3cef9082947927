/**
 * The catalogue and the snapshots as they cross the contract: every fault kind and preset is
 * offered with what it takes, each description names its target, what the injector reports parses
 * with the contract's strict schemas, and each preset's announced duration is when its last step runs.
 */
import { describe, expect, it } from 'vitest';
import { FaultCatalogueSchema, FaultKindSchema, FaultsSnapshotSchema, PresetIdSchema, PresetRunSchema, type FaultTarget } from '../../../engine/api/faults-dto.js';
import { describeFault } from '../../../engine/faults/fault-catalogue.js';
import { PRESET_INFO, planPreset } from '../../../engine/faults/presets.js';
import { faultLab } from './fault-lab.js';

const SEED = 77;

/** One target of every kind, each naming broker 2, the link 1–3 or client inventory-1. */
const TARGETS: readonly FaultTarget[] = [
  { kind: 'broker-crash', brokerId: 2 },
  { kind: 'broker-stop', brokerId: 2 },
  { kind: 'broker-power-loss', brokerId: 2 },
  { kind: 'broker-pause', brokerId: 2 },
  { kind: 'broker-isolate', brokerId: 2 },
  { kind: 'link-cut', from: 1, to: 3 },
  { kind: 'link-slow', from: 1, to: 3, latencyMs: 250, lossRate: 0.1 },
  { kind: 'disk-slow', brokerId: 2, latencyMs: 400 },
  { kind: 'disk-full', brokerId: 2 },
  { kind: 'disk-lying', brokerId: 2 },
  { kind: 'quorum-majority-lost' },
  { kind: 'client-crash', clientId: 'inventory-1' },
  { kind: 'client-pause', clientId: 'inventory-1' },
  { kind: 'client-slow', clientId: 'inventory-1', processingMsPerRecord: 1500 },
  { kind: 'client-clock-skew', clientId: 'inventory-1', skewMs: -30_000 },
];

async function labWithConsumers() {
  const lab = faultLab(SEED, { producer: { acks: 'all' } });
  await lab.createTopic('labshoppubsub', 2);
  lab.useOrderTopic('labshoppubsub', 0);
  lab.startConsumer({ clientId: 'inventory-1', groupId: 'inventory', topic: 'labshoppubsub' });
  lab.startConsumer({ clientId: 'inventory-2', groupId: 'inventory', topic: 'labshoppubsub' });
  await lab.run(8_000);
  return lab;
}

describe('the fault catalogue', () => {
  it('offers every kind once, in the contract order, and every preset, in the contract shape', async () => {
    const lab = await labWithConsumers();
    const catalogue = FaultCatalogueSchema.parse(lab.injector.catalogue());
    expect(catalogue.kinds.map((k) => k.kind)).toEqual(FaultKindSchema.options);
    expect(catalogue.presets.map((p) => p.presetId)).toEqual(PresetIdSchema.options);
    expect(catalogue.kinds.find((k) => k.kind === 'link-slow')!.params).toEqual([
      { name: 'latencyMs', defaultValue: 200, min: 0, max: 60_000 },
      { name: 'lossRate', defaultValue: 0, min: 0, max: 1 },
    ]);
    expect(catalogue.kinds.find((k) => k.kind === 'quorum-majority-lost')!.targetType).toBe('quorum');
  });

  it('describes each fault in a sentence naming its target', () => {
    expect(TARGETS.map((t) => t.kind)).toEqual(FaultKindSchema.options);
    for (const target of TARGETS) {
      const text = describeFault(target, [1, 2, 3]);
      const named = 'brokerId' in target ? /Broker 2/ : 'clientId' in target ? /Client inventory-1/ : 'from' in target ? /brokers 1 and 3/ : /voters 1, 2, 3/;
      expect(text, target.kind).toMatch(named);
    }
    expect(describeFault({ kind: 'link-slow', from: 1, to: 3, latencyMs: 250, lossRate: 0.1 })).toBe('The link between brokers 1 and 3 gets 250 ms more latency and loses 10% of its messages, both ways.');
  });

  it("announces as each preset's duration the time of its last step", async () => {
    const lab = await labWithConsumers();
    for (const presetId of PresetIdSchema.options) {
      const plan = planPreset({ presetId, topic: 'labshoppubsub', partition: 0 }, lab.cluster, lab.ports);
      expect(PRESET_INFO[presetId].durationMs, presetId).toBe(plan.steps.at(-1)!.atMs);
      expect(plan.steps.map((s) => s.atMs)).toEqual([...plan.steps.map((s) => s.atMs)].sort((a, b) => a - b));
    }
  });
});

describe('what the injector reports', () => {
  it('every fault kind applies and undoes, and the snapshots and preset runs parse with the contract schemas', async () => {
    const lab = await labWithConsumers();
    for (const target of TARGETS) {
      const status = lab.injector.inject({ target, startInMs: 0, durationMs: null });
      expect(status.state, `seed ${SEED}: ${target.kind}`).toBe('active');
      FaultsSnapshotSchema.parse(lab.injector.snapshot());
      const undone = lab.injector.undo(status.faultId);
      expect(undone.state, `seed ${SEED}: undo of ${target.kind}: ${undone.error}`).toBe('undone');
      await lab.run(200);
    }
    // Every kind left one closed span on the timeline, coded fault.<kind>.
    for (const target of TARGETS) {
      const spans = lab.timeline.byCode(`fault.${target.kind}`);
      expect(spans.length, target.kind).toBe(1);
      expect(spans[0]!.endMs, target.kind).not.toBeNull();
    }
    const run = PresetRunSchema.parse(lab.injector.applyPreset({ presetId: 'quorum-majority-lost' }, lab.ports));
    expect(run.steps[0]!.state).toBe('done');
    const snapshot = FaultsSnapshotSchema.parse(lab.injector.snapshot());
    expect(snapshot.active.map((f) => [f.target.kind, f.presetRunId])).toEqual([['quorum-majority-lost', run.presetRunId]]);
    expect(snapshot.recent.length).toBe(TARGETS.length);
    expect(lab.changes()).toBeGreaterThan(2 * TARGETS.length);
  });
});
