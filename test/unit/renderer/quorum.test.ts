/** The metadata quorum summary the Cluster view shows: voters, majority, and what is at stake. */
import { describe, expect, it } from 'vitest';
import { activeControllerId, quorumSummary } from '../../../renderer/src/domain/quorum';
import { broker, status } from './fake-engine-api';

const stopped = { state: 'stopped' as const };

describe('quorumSummary', () => {
  it('names the active controller among the voters and counts the failures the quorum can take', () => {
    const q = quorumSummary(status([broker(1), broker(2), broker(3)], [], 1));
    expect(q.voters).toEqual([
      { brokerId: 1, state: 'controller' },
      { brokerId: 2, state: 'up' },
      { brokerId: 3, state: 'up' },
    ]);
    expect(q).toMatchObject({ votersUp: 3, majority: 2, controllerId: 1, tolerableFailures: 1, health: 'healthy' });
  });

  it('is at risk with exactly a majority up', () => {
    const q = quorumSummary(status([broker(1, stopped), broker(2), broker(3)], [], 2));
    expect(q.voters.map((v) => v.state)).toEqual(['down', 'controller', 'up']);
    expect(q).toMatchObject({ votersUp: 2, tolerableFailures: 0, health: 'at-risk' });
  });

  it('has no majority with fewer voters up than the majority, whatever the last controller id says', () => {
    // Just after voters 1 and 2 die the status may still name 1 until the quorum watch runs.
    for (const controllerId of [null, 1]) {
      const q = quorumSummary(status([broker(1, stopped), broker(2, stopped), broker(3)], [], controllerId));
      expect(q.voters.map((v) => v.state)).toEqual(['down', 'down', 'up']);
      expect(q).toMatchObject({ votersUp: 1, majority: 2, tolerableFailures: 0, health: 'no-majority' });
    }
  });

  it('is electing when a majority is up but no controller is active yet', () => {
    expect(quorumSummary(status([broker(1), broker(2), broker(3)], [], null)).health).toBe('electing');
  });

  it('does not call a killed broker the active controller, though the status still names it until the quorum checks', () => {
    const s = status([broker(1, { ...stopped, isController: true }), broker(2), broker(3)], [], 1);
    expect(activeControllerId(s)).toBeNull();
    const q = quorumSummary(s);
    expect(q.controllerId).toBeNull();
    expect(q.voters.map((v) => v.state)).toEqual(['down', 'up', 'up']);
    expect(q.health).toBe('electing');
    expect(activeControllerId(status([broker(1), broker(2)], [], 2))).toBe(2);
    expect(activeControllerId(status([broker(1)], [], null))).toBeNull();
  });

  it('leaves brokers outside the quorum out, and sorts the voters', () => {
    const base = status([broker(1), broker(2), broker(3), broker(4), broker(5)], [], 1);
    const q = quorumSummary({ ...base, quorum: { ...base.quorum, voters: [3, 1, 2], majority: 2 } });
    expect(q.voters.map((v) => v.brokerId)).toEqual([1, 2, 3]);
    expect(q.votersUp).toBe(3);
  });

  it('counts a voter the status does not list as down', () => {
    const base = status([broker(1), broker(2)], [], 1);
    const q = quorumSummary({ ...base, quorum: { ...base.quorum, voters: [1, 2, 3], majority: 2 } });
    expect(q.voters.find((v) => v.brokerId === 3)?.state).toBe('down');
    expect(q.health).toBe('at-risk');
  });
});
