/**
 * The metadata quorum as the Cluster view explains it: which brokers vote, which voter is the
 * active controller, how many voters are up against the majority the quorum needs, and what that
 * means for the learner (no controller: no leader can be elected, no topic can be created).
 */
import type { ClusterStatus } from '../../../engine/api/dto';

export type VoterState = 'controller' | 'up' | 'down';

export interface QuorumVoter {
  readonly brokerId: number;
  readonly state: VoterState;
}

export type QuorumHealth =
  /** A controller is active and at least one more voter could fail without losing it. */
  | 'healthy'
  /** A controller is active, but one more voter down and the quorum has no majority. */
  | 'at-risk'
  /** Enough voters are up, but no controller is active yet (between an election's steps). */
  | 'electing'
  /** Fewer voters than the majority are up: no controller, no election, no metadata change. */
  | 'no-majority';

export interface QuorumSummary {
  readonly voters: readonly QuorumVoter[];
  readonly votersUp: number;
  readonly majority: number;
  /** The active controller, if it is up (see activeControllerId). */
  readonly controllerId: number | null;
  /** How many more voters may go down before the quorum loses its majority (0 when it has none). */
  readonly tolerableFailures: number;
  readonly health: QuorumHealth;
}

/**
 * The controller that is really there: the status names the last elected one, which may be a
 * broker that was just killed (the quorum notices on its next check, in engine time); a dead
 * broker controls nothing, so it counts as no controller.
 */
export function activeControllerId(status: ClusterStatus): number | null {
  const id = status.controllerId;
  if (id === null) return null;
  return status.brokers.some((b) => b.id === id && b.state === 'running') ? id : null;
}

export function quorumSummary(status: ClusterStatus): QuorumSummary {
  const running = new Set(status.brokers.filter((b) => b.state === 'running').map((b) => b.id));
  const controllerId = activeControllerId(status);
  const voters = [...status.quorum.voters]
    .sort((a, b) => a - b)
    .map<QuorumVoter>((brokerId) => ({
      brokerId,
      state: !running.has(brokerId) ? 'down' : brokerId === controllerId ? 'controller' : 'up',
    }));
  const votersUp = voters.filter((v) => v.state !== 'down').length;
  const majority = status.quorum.majority;
  const hasMajority = votersUp >= majority;
  let health: QuorumHealth;
  if (!hasMajority) health = 'no-majority';
  else if (controllerId === null) health = 'electing';
  else health = votersUp > majority ? 'healthy' : 'at-risk';
  return { voters, votersUp, majority, controllerId, tolerableFailures: Math.max(0, votersUp - majority), health };
}
