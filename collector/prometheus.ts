import { z } from 'zod';
import type pLimitType from 'p-limit';
import { emptyHarvest, type Harvest, type MetricSample, type MetricScope } from './harvest.ts';
import { jobManagerMetricIds, jobMetricIds, subtaskMetricIds, taskManagerMetricIds } from './metric-ids.ts';
import type { RestClient } from './rest-client.ts';

/**
 * Long history from Prometheus scraping Flink's PrometheusReporter. The reporter names a metric
 * `flink_<logical scope>_<name>`, every character outside [a-zA-Z0-9:_] replaced by `_`
 * (AbstractPrometheusReporter), with scope variables as labels (`tm_id`, `job_id`, `task_id`,
 * `subtask_index`, ...). We query the names of the metric ids we know, so each series maps back to
 * its exact Flink id; RocksDB series (whose names embed state names) are found by listing names.
 */
const filter = (s: string) => s.replace(/[^a-zA-Z0-9:_]/g, '_');

interface Family {
  scope: MetricScope;
  /** Flink's logical scope, as the reporter writes it. */
  prefix: string;
  ids: string[];
}

const families: Family[] = [
  { scope: 'taskmanager', prefix: 'flink_taskmanager_', ids: taskManagerMetricIds },
  { scope: 'jobmanager', prefix: 'flink_jobmanager_', ids: jobManagerMetricIds },
  { scope: 'job', prefix: 'flink_jobmanager_job_', ids: jobMetricIds },
  { scope: 'subtask', prefix: 'flink_taskmanager_job_task_', ids: subtaskMetricIds },
];

const rocksDbPrefix = 'flink_taskmanager_job_task_operator_';

const LabelValues = z.object({ status: z.literal('success'), data: z.array(z.string()) });
const Matrix = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('matrix'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(z.tuple([z.number(), z.string()])) })),
  }),
});

export interface PrometheusOptions {
  client: RestClient;
  limit: ReturnType<typeof pLimitType>;
  /** Range, epoch ms, and resolution. */
  start: number;
  end: number;
  stepMs: number;
  /** The label naming the Flink cluster (added by the scrape config); "default" when a series has none. */
  clusterLabel: string;
  onProgress?: (event: 'queued' | 'done') => void;
}

/** Prometheus answers at most 11,000 points per series: ranges are split to stay under it. */
const maxPointsPerQuery = 10_000;

export async function collectPrometheus(o: PrometheusOptions): Promise<Harvest> {
  const harvest = emptyHarvest();
  const get = async (path: string) => {
    o.onProgress?.('queued');
    try {
      return (await o.limit(() => o.client.get(path))).body;
    } finally {
      o.onProgress?.('done');
    }
  };
  const names = LabelValues.safeParse(await get('/api/v1/label/__name__/values'));
  if (!names.success) throw new Error(`${o.client.url}/api/v1/label/__name__/values: not a Prometheus label-values answer`);
  const present = new Set(names.data.data);

  const wanted: Wanted[] = [];
  for (const f of families) {
    for (const id of f.ids) {
      const name = f.prefix + filter(id);
      if (present.has(name)) wanted.push({ name, scope: f.scope, id });
    }
  }
  for (const name of present) {
    // Stored as `<operator_name label>.<rest of the Prometheus name>`, e.g. `GroupAggregate.state_rocksdb_block_cache_usage`.
    if (name.startsWith(rocksDbPrefix) && name.includes('rocksdb')) wanted.push({ name, scope: 'subtask', id: name.slice(rocksDbPrefix.length), operator: true });
  }

  const chunk = o.stepMs * maxPointsPerQuery;
  const ranges: Array<[number, number]> = [];
  for (let from = o.start; from < o.end; from += chunk) ranges.push([from, Math.min(o.end, from + chunk)]);

  await Promise.all(
    wanted.flatMap((w) =>
      ranges.map(async ([from, to]) => {
        const query = new URLSearchParams({ query: w.name, start: String(from / 1000), end: String(to / 1000), step: `${o.stepMs / 1000}s` });
        const path = `/api/v1/query_range?${query}`;
        const parsed = Matrix.safeParse(await get(path).catch((error: Error) => harvest.failures.push({ cluster: '*', url: path, reason: error.message })));
        if (!parsed.success) {
          if (!harvest.failures.some((f) => f.url === path)) harvest.failures.push({ cluster: '*', url: path, reason: `${o.client.url}${path}: not a Prometheus matrix answer` });
          return;
        }
        for (const series of parsed.data.data.result) addSeries(harvest, w, series.metric, series.values, o.clusterLabel);
      }),
    ),
  );
  return harvest;
}

interface Wanted {
  name: string;
  scope: MetricScope;
  id: string;
  /** Operator-scoped: the operator name (a label) is put in front of the id. */
  operator?: boolean;
}

function addSeries(h: Harvest, w: Wanted, labels: Record<string, string>, values: Array<[number, string]>, clusterLabel: string): void {
  const cluster = labels[clusterLabel] ?? 'default';
  const subtask = labels.subtask_index === undefined ? undefined : Number(labels.subtask_index);
  const metric = w.operator && labels.operator_name ? `${labels.operator_name}.${w.id}` : w.id;
  for (const [seconds, text] of values) {
    const value = Number(text);
    if (!Number.isFinite(value)) continue;
    const s: MetricSample = { ts: Math.round(seconds * 1000), cluster, scope: w.scope, metric, value };
    if (w.scope !== 'taskmanager' && w.scope !== 'jobmanager' && labels.job_id) s.jobId = labels.job_id;
    if (labels.tm_id && w.scope !== 'jobmanager') s.tmId = labels.tm_id;
    if (w.scope === 'subtask' && labels.task_id) s.vertexId = labels.task_id;
    if (w.scope === 'subtask' && subtask !== undefined && Number.isInteger(subtask)) s.subtask = subtask;
    h.samples.push(s);
  }
}
