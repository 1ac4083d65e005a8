import type { HistoryStore } from '../store/history-store.ts';
import type { JobTopology } from '../flink/network-need.ts';
import { emptyColumns, type JobDeployment, type JobSeries, type SeriesColumn } from './job-series.ts';
import { stateBackendOf } from './store-series-backend.ts';
import * as Q from './store-series.sql.ts';

export interface LoadSeriesOptions {
  /** Only these Flink job ids (all jobs when absent). */
  jobIds?: string[];
  /** Samples with from <= t < to, epoch ms; the deployment is the latest known before `to`. */
  from?: number;
  to?: number;
}

type Row = Record<string, unknown>;

/**
 * Every selected job's history from the history store as JobSeries: DuckDB does the heavy
 * aggregation (polls aligned, busiest TaskManager per poll, source rates, checkpoint sizes as of
 * each poll, RocksDB cache figures), TypeScript only packs the rows into typed arrays. A poll's
 * time is its first sample's; values not observed at a poll are NaN. Jobs with no TaskManager
 * heap sample in the window are left out (nothing to learn from them).
 */
export async function loadJobSeries(store: HistoryStore, options: LoadSeriesOptions = {}): Promise<JobSeries[]> {
  const params = {
    ids: options.jobIds ? JSON.stringify(options.jobIds) : null,
    from: options.from ?? null,
    to: options.to ?? null,
  };
  // DuckDB refuses parameters a statement does not use: pass each query only its own.
  const run = async (sql: string): Promise<Row[]> => {
    const own = Object.fromEntries(Object.entries(params).filter(([name]) => sql.includes(`$${name}`)));
    return (await store.connection.runAndReadAll(sql, own)).getRowObjectsJS() as Row[];
  };
  const [pools, load, state, rocks, vertices, edges, deployments] = [
    await run(Q.taskManagerSeriesSql),
    await run(Q.loadSeriesSql),
    await run(Q.stateSeriesSql),
    await run(Q.rocksDbSeriesSql),
    await run(Q.verticesSql),
    await run(Q.edgesSql),
    await run(Q.deploymentSql),
  ];
  const byJob = (rows: Row[]) => {
    const map = new Map<string, Row[]>();
    for (const r of rows) {
      const key = jobKey(r);
      const list = map.get(key);
      if (list) list.push(r);
      else map.set(key, [r]);
    }
    return map;
  };
  const [poolsOf, loadOf, stateOf, rocksOf, verticesOf, edgesOf] = [pools, load, state, rocks, vertices, edges].map(byJob) as [
    Map<string, Row[]>,
    Map<string, Row[]>,
    Map<string, Row[]>,
    Map<string, Row[]>,
    Map<string, Row[]>,
    Map<string, Row[]>,
  ];
  const out: JobSeries[] = [];
  for (const d of deployments) {
    const key = jobKey(d);
    const samples = poolsOf.get(key);
    if (!samples) continue;
    const columns = emptyColumns(samples.length);
    const index = new Map<number, number>();
    samples.forEach((r, i) => {
      const t = Number(r.t);
      index.set(t, i);
      columns.t[i] = t;
      put(columns, 'heapUsed', i, r.heap);
      put(columns, 'managedUsed', i, r.managed);
      put(columns, 'metaspaceUsed', i, r.metaspace);
      put(columns, 'directUsed', i, r.direct);
      put(columns, 'gcTimeRatio', i, r.gc_ratio);
    });
    const fill = (rows: Row[] | undefined, mapping: Array<[SeriesColumn, string]>) => {
      for (const r of rows ?? []) {
        const i = index.get(Number(r.t));
        if (i !== undefined) for (const [column, field] of mapping) put(columns, column, i, r[field]);
      }
    };
    fill(loadOf.get(key), [['recordsInPerSecond', 'records'], ['bytesInPerSecond', 'bytes'], ['subtaskSkew', 'skew']]);
    fill(stateOf.get(key), [['stateBytes', 'state']]);
    fill(rocksOf.get(key), [['blockCacheUsage', 'usage'], ['blockCacheCapacity', 'capacity'], ['blockCacheHitRatio', 'hit_ratio']]);
    out.push({
      jobId: String(d.job_id),
      cluster: String(d.cluster),
      name: String(d.name),
      deployment: deploymentOf(d, verticesOf.get(key) ?? [], edgesOf.get(key) ?? []),
      ...columns,
    });
  }
  return out;
}

function jobKey(r: Row): string {
  return `${String(r.cluster)}\u0000${String(r.job_id)}`;
}

function put(columns: Record<SeriesColumn, Float64Array>, column: SeriesColumn, i: number, value: unknown): void {
  if (value === null || value === undefined) return;
  const v = Number(value);
  if (Number.isFinite(v)) columns[column][i] = v;
}

const num = (value: unknown): number => (value === null || value === undefined ? Number.NaN : Number(value));

function deploymentOf(d: Row, vertexRows: Row[], edgeRows: Row[]): JobDeployment {
  const topology: JobTopology = {
    vertices: vertexRows.map((v) => ({
      id: String(v.vertex_id),
      parallelism: Number(v.parallelism),
      ...(v.slot_sharing_group ? { slotSharingGroup: String(v.slot_sharing_group) } : {}),
    })),
    edges: edgeRows.map((e) => ({ source: String(e.source_vertex), target: String(e.target_vertex), shipStrategy: String(e.ship_strategy) })),
  };
  const parallelism = Math.max(1, ...topology.vertices.map((v) => v.parallelism));
  const slots = Math.max(1, num(d.slots) || Number.parseInt(String(d.slots_option ?? ''), 10) || 1);
  const taskManagers = num(d.task_managers) || Math.ceil(parallelism / slots);
  const heap = num(d.framework_heap) + num(d.task_heap);
  return {
    parallelism,
    slotsPerTaskManager: slots,
    taskManagers,
    stateBackend: stateBackendOf({
      checkpointConfig: text(d.checkpoint_backend),
      rocksDbMetrics: d.rocksdb_seen === true,
      jobConfig: text(d.job_backend),
      clusterConfig: text(d.cluster_backend),
      managedUsed: d.managed_seen === true,
      jobType: text(d.job_type),
    }),
    topology,
    current: {
      // Without memoryConfiguration (Flink < 1.12, Prometheus only), -Xmx from hardware.freeMemory is the heap.
      heap: Number.isFinite(heap) ? heap : num(d.jvm_max_heap),
      managed: num(d.managed),
      metaspace: num(d.metaspace),
      direct: num(d.framework_off_heap) + num(d.task_off_heap),
      network: num(d.network),
    },
  };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
