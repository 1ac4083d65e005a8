import type { DuckDBConnection } from '@duckdb/node-api';
import type { MetricScope } from '../collector/harvest.ts';

/** A small typed read API over the history store; times are epoch milliseconds. */

export interface JobRow {
  cluster: string;
  jobId: string;
  name: string;
  state: string;
  firstSeen: number;
  lastSeen: number;
}

export async function listJobs(c: DuckDBConnection): Promise<JobRow[]> {
  const result = await c.runAndReadAll(
    `SELECT cluster, job_id, name, state, epoch_ms(first_seen) AS first_seen, epoch_ms(last_seen) AS last_seen FROM jobs ORDER BY cluster, job_id`,
  );
  return result.getRowObjectsJS().map((r) => ({
    cluster: String(r.cluster),
    jobId: String(r.job_id),
    name: String(r.name),
    state: String(r.state),
    firstSeen: Number(r.first_seen),
    lastSeen: Number(r.last_seen),
  }));
}

export interface SampleQuery {
  metric: string;
  cluster?: string;
  jobId?: string;
  tmId?: string;
  scope?: MetricScope;
  /** Inclusive lower and exclusive upper bound, epoch ms. */
  from?: number;
  to?: number;
}

export interface SampleRow {
  ts: number;
  cluster: string;
  scope: MetricScope;
  jobId: string | null;
  tmId: string | null;
  vertexId: string | null;
  subtask: number | null;
  agg: string | null;
  value: number;
}

export async function samples(c: DuckDBConnection, q: SampleQuery): Promise<SampleRow[]> {
  const where = ['metric = $metric'];
  const params: Record<string, string | number> = { metric: q.metric };
  const add = (column: string, name: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(`${column} = $${name}`);
    params[name] = value;
  };
  add('cluster', 'cluster', q.cluster);
  add('job_id', 'job', q.jobId);
  add('tm_id', 'tm', q.tmId);
  add('scope', 'scope', q.scope);
  if (q.from !== undefined) {
    where.push('ts >= epoch_ms($from::BIGINT)');
    params.from = q.from;
  }
  if (q.to !== undefined) {
    where.push('ts < epoch_ms($to::BIGINT)');
    params.to = q.to;
  }
  const result = await c.runAndReadAll(
    `SELECT epoch_ms(ts) AS ts, cluster, scope, job_id, tm_id, vertex_id, subtask, agg, value FROM metric_samples WHERE ${where.join(' AND ')} ORDER BY ts, cluster, tm_id, subtask`,
    params,
  );
  return result.getRowObjectsJS().map((r) => ({
    ts: Number(r.ts),
    cluster: String(r.cluster),
    scope: r.scope as MetricScope,
    jobId: r.job_id === null ? null : String(r.job_id),
    tmId: r.tm_id === null ? null : String(r.tm_id),
    vertexId: r.vertex_id === null ? null : String(r.vertex_id),
    subtask: r.subtask === null ? null : Number(r.subtask),
    agg: r.agg === null ? null : String(r.agg),
    value: Number(r.value),
  }));
}

/** Row counts of the main tables, for `fma store info` and tests. */
export async function tableCounts(c: DuckDBConnection): Promise<Record<string, number>> {
  const tables = ['collection_runs', 'cluster_observations', 'job_observations', 'configs', 'vertices', 'edges', 'taskmanagers', 'tm_slots', 'placements', 'job_checkpoint_configs', 'metric_samples', 'checkpoints', 'exceptions'];
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = Number((await c.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRowsJS()[0]?.[0]);
  return counts;
}
