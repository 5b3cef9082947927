/**
 * How simulation results read: the summary of one run, the report of a violation (invariant, seed,
 * virtual time, trace tail, replay command), and the tally of many runs with its one-line summary
 * and JSON line. Pure formatting over `SimResult`; tallies merge, so seeds run in several workers
 * add up to the same totals as one worker would.
 *
 * Invariant: a tally's counts are sums over the results added to it, whatever the order.
 */
import { FAULT_KINDS } from './fault-injector.js';
import type { SimResult, SimViolation } from './simulation.js';

export interface SimFailure {
  readonly seed: number;
  readonly violation: SimViolation;
}

export interface SimTally {
  seeds: number;
  faults: number;
  ackedAll: number;
  acked1: number;
  /** Lost records found at the end, by acks and reason (all permitted; a forbidden one is a failure). */
  losses: Record<string, number>;
  checks: number;
  /** Seeds whose cluster did not converge after healing (a liveness problem, not one of the four invariants). */
  notConverged: number[];
  overBudget: number;
  /** acks=all loss reports by the cluster that named records which survived (see InvariantChecker). */
  falseLossAlarms: number;
  virtualMs: number;
  failures: SimFailure[];
}

export function emptyTally(): SimTally {
  return { seeds: 0, faults: 0, ackedAll: 0, acked1: 0, losses: {}, checks: 0, notConverged: [], overBudget: 0, falseLossAlarms: 0, virtualMs: 0, failures: [] };
}

export function addToTally(tally: SimTally, result: SimResult): void {
  tally.seeds += 1;
  tally.faults += FAULT_KINDS.reduce((sum, kind) => sum + result.faults[kind], 0);
  tally.ackedAll += result.acked.all;
  tally.acked1 += result.acked['1'];
  for (const [reason, count] of Object.entries(result.verifiedLosses)) tally.losses[reason] = (tally.losses[reason] ?? 0) + count;
  tally.checks += Object.values(result.checks).reduce((sum, n) => sum + n, 0);
  if (result.notConverged !== null) tally.notConverged.push(result.seed);
  if (result.budgetExceeded) tally.overBudget += 1;
  tally.falseLossAlarms += result.falseLossAlarms;
  tally.virtualMs += result.virtualMs;
  if (result.violation !== null) tally.failures.push({ seed: result.seed, violation: result.violation });
}

export function mergeTallies(into: SimTally, other: SimTally): void {
  into.seeds += other.seeds;
  into.faults += other.faults;
  into.ackedAll += other.ackedAll;
  into.acked1 += other.acked1;
  for (const [reason, count] of Object.entries(other.losses)) into.losses[reason] = (into.losses[reason] ?? 0) + count;
  into.checks += other.checks;
  into.notConverged.push(...other.notConverged);
  into.notConverged.sort((a, b) => a - b);
  into.overBudget += other.overBudget;
  into.falseLossAlarms += other.falseLossAlarms;
  into.virtualMs += other.virtualMs;
  into.failures.push(...other.failures);
  into.failures.sort((a, b) => a.seed - b.seed);
}

/** The multi-line summary `kafka-lab sim --seed N` prints. */
export function formatRunSummary(result: SimResult, wallMs: number): string {
  const lines = [
    `seed ${result.seed}: ${(result.virtualMs / 1000).toFixed(1)} s of virtual time in ${(wallMs / 1000).toFixed(2)} s (${speedUp(result.virtualMs, wallMs)}x)`,
    `profile: ${result.profile.overlappingFaults ? 'overlapping' : 'serial'} faults, unclean election ${result.profile.uncleanTopic === null ? 'off' : `on for ${result.profile.uncleanTopic}`}, ${Math.round(result.profile.acksAllShare * 100)}% acks=all`,
    `faults injected: ${FAULT_KINDS.map((kind) => `${kind} ${result.faults[kind]}`).join(', ')}${result.faultsRefused > 0 ? ` (${result.faultsRefused} refused by the cluster)` : ''}; at most ${result.maxFailedAtOnce} failed at once${result.budgetExceeded ? ' (over the failure budget)' : ''}`,
    `records acknowledged: acks=all ${result.acked.all} of ${result.sent.all} sent, acks=1 ${result.acked['1']} of ${result.sent['1']} sent${formatCounts(' (failed: ', result.failures, ')')}`,
    `losses reported by the cluster: ${formatCounts('', result.reportedLosses, '') || 'none'}`,
    `losses found at the end: ${formatCounts('', result.verifiedLosses, '') || 'none'}${result.falseLossAlarms > 0 ? `; ${result.falseLossAlarms} acks=all loss report(s) named records that survived` : ''}`,
  ];
  if (Object.keys(result.permittedDivergences).length > 0) lines.push(`permitted replica divergences: ${formatCounts('', result.permittedDivergences, '')}`);
  lines.push(
    groupLine(result),
    `invariant checks made: ${Object.values(result.checks).reduce((sum, n) => sum + n, 0)} (1: ${result.checks[1]}, 2: ${result.checks[2]}, 3: ${result.checks[3]}, 4: ${result.checks[4]}, 5: ${result.checks[5]}, 6: ${result.checks[6]})`,
    `convergence after healing: ${result.notConverged ?? 'yes'}`,
    `trace: ${result.traceLines} events, hash ${result.traceHash}`,
  );
  if (result.violation !== null) lines.push('', formatViolation(result.seed, result.violation));
  return `${lines.join('\n')}\n`;
}

/** The report of a violated invariant (or an engine error) with what is needed to replay it. */
function groupLine(result: SimResult): string {
  const { group } = result;
  if (group.profile.consumers === 0) return 'consumer group: none in this seed';
  const rewinds = Object.entries(group.permittedRewinds).map(([reason, n]) => `${reason} ×${n}`);
  return (
    `consumer group: ${group.profile.consumers} consumer(s), commits ${group.profile.commitMode}${group.profile.commitMode === 'auto' ? ` every ${group.profile.autoCommitIntervalMs} ms` : ''}, ` +
    `${group.profile.processingMsPerRecord} ms/record; ${group.recordsProcessed} records processed (${group.redeliveries} re-delivered), ` +
    `${group.rebalances} rebalance(s), consumer faults: crash ${group.consumerFaults.crash}, close ${group.consumerFaults.close}` +
    (rewinds.length > 0 ? `; permitted offset rewinds: ${rewinds.join('; ')}` : '')
  );
}

export function formatViolation(seed: number, violation: SimViolation): string {
  return [
    `VIOLATION of ${violation.name}`,
    `  seed ${seed}, at ${(violation.atMs / 1000).toFixed(3)} s of virtual time`,
    `  ${violation.detail}`,
    '  trace tail:',
    ...violation.traceTail.map((line) => `    ${line}`),
    `  replay: ${violation.replay}`,
  ].join('\n');
}

export function formatTallyLine(tally: SimTally, wallMs: number): string {
  const verdict = tally.failures.length === 0 ? 'no invariant violated' : `${tally.failures.length} seed(s) FAILED: ${tally.failures.map((f) => f.seed).join(', ')}`;
  return (
    `sim: ${tally.seeds} seeds in ${(wallMs / 1000).toFixed(1)} s (${speedUp(tally.virtualMs, wallMs)}x virtual/wall), ${tally.faults} faults, ` +
    `${tally.ackedAll} acks=all + ${tally.acked1} acks=1 acknowledged, ${sumCounts(tally.losses)} permitted losses, ${tally.checks} invariant checks, ` +
    `${tally.overBudget} seed(s) over the failure budget, ${tally.notConverged.length} not converged${tally.notConverged.length === 0 ? '' : ` (${tally.notConverged.join(', ')})`}: ${verdict}`
  );
}

export function tallyJson(tally: SimTally, wallMs: number, from: number): string {
  return JSON.stringify({
    from,
    seeds: tally.seeds,
    wallMs: Math.round(wallMs),
    virtualMs: tally.virtualMs,
    faults: tally.faults,
    acked: { all: tally.ackedAll, '1': tally.acked1 },
    losses: tally.losses,
    checks: tally.checks,
    overBudget: tally.overBudget,
    falseLossAlarms: tally.falseLossAlarms,
    notConvergedSeeds: tally.notConverged,
    failedSeeds: tally.failures.map((f) => ({ seed: f.seed, invariant: f.violation.invariant, detail: f.violation.detail, replay: f.violation.replay })),
  });
}

function speedUp(virtualMs: number, wallMs: number): string {
  return wallMs <= 0 ? '∞' : Math.round(virtualMs / wallMs).toString();
}

function formatCounts(prefix: string, counts: Readonly<Record<string, number>>, suffix: string): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? '' : `${prefix}${entries.map(([k, n]) => `${k} ×${n}`).join('; ')}${suffix}`;
}

function sumCounts(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
