/**
 * What a report needs from a lab's cluster besides the run's progress: the timeline, the metric
 * series, the cluster's status and the configs used, read through the same contract queries the UI
 * uses. The lab host takes one at every step change and when a run ends (the history keeps the
 * latest), and `kafka-lab lab run --report` takes one after the autopilot.
 *
 * Bounded: the timeline is read in pages up to reportLimits.timelineEntriesMax entries; configs are
 * read for at most reportLimits.configTopicsMax topics.
 */
import type { ClusterStatus } from '../api/dto.js';
import type { MetricsSnapshot, TimelineEntry } from '../api/metrics-dto.js';
import type { LabEngine } from '../labs/lab-engine.js';
import { reportLimits } from './report-limits.js';
import type { ReportSourceConfigs, ReportSourceSeries } from './report-source.js';

export interface RunSnapshot {
  readonly timeline: TimelineEntry[];
  readonly series: ReportSourceSeries[];
  readonly cluster: ClusterStatus;
  readonly configs: ReportSourceConfigs[];
}

/** Entries per timeline query page (the query's own maximum). */
const TIMELINE_PAGE = 5_000;

async function query<T>(engine: LabEngine, name: string, payload: unknown): Promise<T> {
  const answer = await engine.call('query', name as never, payload);
  if (!answer.ok) throw new Error(`${name}: ${answer.error.name} ${answer.error.message}`);
  return answer.value as T;
}

export async function takeRunSnapshot(engine: LabEngine): Promise<RunSnapshot> {
  const timeline = await readTimeline(engine);
  const metrics = await query<MetricsSnapshot>(engine, 'metricsSnapshot', {});
  const cluster = await query<ClusterStatus>(engine, 'clusterStatus', {});
  const configs: ReportSourceConfigs[] = [];
  for (const topic of cluster.topics.filter((t) => !t.internal).slice(0, reportLimits.configTopicsMax)) {
    const answer = await query<{ entries: ReportSourceConfigs['entries'] }>(engine, 'describeConfigs', { resource: { type: 'topic', name: topic.name } });
    configs.push({ resource: 'topic', name: topic.name, entries: answer.entries });
  }
  const brokers = await query<{ entries: ReportSourceConfigs['entries'] }>(engine, 'describeConfigs', { resource: { type: 'broker' } });
  configs.push({ resource: 'broker', name: '', entries: brokers.entries });
  return { timeline, series: metrics.series.map(({ key, t, v }) => ({ key, t, v })), cluster, configs };
}

async function readTimeline(engine: LabEngine): Promise<TimelineEntry[]> {
  const entries: TimelineEntry[] = [];
  let afterId = 0;
  // Bounded: each page moves afterId forward, and the total stops at timelineEntriesMax.
  for (let page = 0; entries.length < reportLimits.timelineEntriesMax; page++) {
    const list = await query<{ entries: TimelineEntry[]; lastId: number }>(engine, 'timeline', { afterId, limit: TIMELINE_PAGE });
    entries.push(...list.entries);
    const last = list.entries.at(-1);
    if (last === undefined || last.id >= list.lastId) break;
    afterId = last.id;
  }
  return entries.slice(0, reportLimits.timelineEntriesMax);
}
