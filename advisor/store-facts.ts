import type { DuckDBConnection } from '@duckdb/node-api';
import type { MemoryFailureKind } from '../collector/harvest.ts';
import { POOL_NAMES, type PoolBytes } from '../optimizer/types.ts';

/**
 * What the advisor reads from the history store beside the per-job series (features/store-series.ts):
 * the facts that name a job and pin its current shape, its OutOfMemoryError history, and the
 * JobManager's memory where it was collected. Sizes are bytes, times epoch ms.
 */
export interface JobFacts {
  cluster: string;
  jobId: string;
  name: string;
  flinkVersion?: string;
  /** Flink's memoryConfiguration of the job's largest TaskManager (all of a job's TaskManagers share one shape). */
  currentPools?: PoolBytes;
  outOfMemoryErrors: Array<{ at: number; kind: MemoryFailureKind; message: string }>;
}

export interface JobManagerFacts {
  cluster: string;
  flinkVersion?: string;
  /** `jobmanager.memory.*` options of the cluster's configuration. */
  config: Record<string, string>;
  heapUsedPeak: number;
  metaspaceUsedPeak?: number;
  samples: number;
  jobs: number;
}

const poolColumns: Record<keyof PoolBytes, string> = {
  frameworkHeap: 'framework_heap',
  taskHeap: 'task_heap',
  frameworkOffHeap: 'framework_off_heap',
  taskOffHeap: 'task_off_heap',
  managed: 'managed',
  network: 'network',
  metaspace: 'metaspace',
  overhead: 'overhead',
};

/** Each TaskManager's jobs at its latest observation: where their subtasks run (`placed`), where they hold slots (`slotted`). */
const latestJobTaskManagers = `
  placed AS (SELECT DISTINCT cluster, job_id, tm_id FROM placements
             QUALIFY ts = max(ts) OVER (PARTITION BY cluster, job_id, vertex_id) AND tm_id IS NOT NULL),
  slotted AS (SELECT DISTINCT cluster, job_id, tm_id FROM tm_slots QUALIFY ts = max(ts) OVER (PARTITION BY cluster, tm_id))`;

/**
 * Each cluster's Flink version: the newest /overview that named one (an answer without it, from a
 * capture that left the field out, does not unname the cluster).
 */
const clusterVersions = `
  version AS (SELECT cluster, arg_max(flink_version, ts) AS flink_version FROM cluster_observations
              WHERE flink_version IS NOT NULL GROUP BY cluster)`;

/** Facts for every job in the store, or only the given ids. */
export async function loadJobFacts(c: DuckDBConnection, jobIds?: readonly string[]): Promise<JobFacts[]> {
  // A job's TaskManagers: where its subtasks run, else where it holds slots, else the whole cluster (application mode).
  const rows = await c.runAndReadAll(
    `WITH ${latestJobTaskManagers}, ${clusterVersions},
          job_tms AS (SELECT * FROM placed UNION SELECT * FROM slotted),
          shape AS (
            SELECT j.cluster, j.job_id, arg_max(t.total_process, t.total_process) AS total_process,
                   ${Object.values(poolColumns).map((col) => `arg_max(t.${col}, t.total_process) AS ${col}`).join(', ')}
            FROM jobs j JOIN taskmanagers_latest t ON t.cluster = j.cluster
            WHERE t.total_process IS NOT NULL AND (t.tm_id IN (SELECT tm_id FROM job_tms m WHERE m.cluster = j.cluster AND m.job_id = j.job_id)
                   OR NOT EXISTS (SELECT 1 FROM job_tms m WHERE m.cluster = j.cluster AND m.job_id = j.job_id))
            GROUP BY j.cluster, j.job_id)
     SELECT j.cluster, j.job_id, j.name, v.flink_version, ${Object.values(poolColumns).map((col) => `s.${col}`).join(', ')}
     FROM jobs j LEFT JOIN version v USING (cluster) LEFT JOIN shape s USING (cluster, job_id)
     ORDER BY j.cluster, j.job_id`,
  );
  const ooms = await c.runAndReadAll(
    `SELECT cluster, job_id, epoch_ms(ts) AS at, memory_failure, message FROM exceptions WHERE memory_failure IS NOT NULL ORDER BY ts`,
  );
  const oomsByJob = new Map<string, JobFacts['outOfMemoryErrors']>();
  for (const r of ooms.getRowObjectsJS()) {
    const key = `${r.cluster}/${r.job_id}`;
    const list = oomsByJob.get(key) ?? [];
    list.push({ at: Number(r.at), kind: String(r.memory_failure) as MemoryFailureKind, message: String(r.message) });
    oomsByJob.set(key, list);
  }
  const wanted = jobIds ? new Set(jobIds) : undefined;
  return rows.getRowObjectsJS().filter((r) => !wanted || wanted.has(String(r.job_id))).map((r) => {
    const pools = POOL_NAMES.every((p) => r[poolColumns[p]] !== null)
      ? (Object.fromEntries(POOL_NAMES.map((p) => [p, Number(r[poolColumns[p]])])) as PoolBytes)
      : undefined;
    return {
      cluster: String(r.cluster),
      jobId: String(r.job_id),
      name: String(r.name),
      ...(r.flink_version === null ? {} : { flinkVersion: String(r.flink_version) }),
      ...(pools ? { currentPools: pools } : {}),
      outOfMemoryErrors: oomsByJob.get(`${r.cluster}/${r.job_id}`) ?? [],
    };
  });
}

/** Per cluster where /jobmanager/metrics was collected: its heap and metaspace peaks and memory options. */
export async function loadJobManagerFacts(c: DuckDBConnection): Promise<Map<string, JobManagerFacts>> {
  const metrics = await c.runAndReadAll(
    `WITH ${clusterVersions}
     SELECT m.cluster, max(value) FILTER (WHERE metric = 'Status.JVM.Memory.Heap.Used') AS heap,
            max(value) FILTER (WHERE metric = 'Status.JVM.Memory.Metaspace.Used') AS metaspace,
            count(*) FILTER (WHERE metric = 'Status.JVM.Memory.Heap.Used') AS samples,
            (SELECT count(*) FROM jobs j WHERE j.cluster = m.cluster) AS jobs,
            (SELECT v.flink_version FROM version v WHERE v.cluster = m.cluster) AS flink_version
     FROM metric_samples m WHERE scope = 'jobmanager' AND agg IS NULL GROUP BY m.cluster`,
  );
  const configs = await c.runAndReadAll(
    `SELECT cluster, key, value FROM configs_latest WHERE source = 'jobmanager' AND job_id = '' AND key LIKE 'jobmanager.memory.%'`,
  );
  const out = new Map<string, JobManagerFacts>();
  for (const r of metrics.getRowObjectsJS()) {
    if (r.heap === null) continue;
    out.set(String(r.cluster), {
      cluster: String(r.cluster),
      ...(r.flink_version === null ? {} : { flinkVersion: String(r.flink_version) }),
      config: {},
      heapUsedPeak: Number(r.heap),
      ...(r.metaspace === null ? {} : { metaspaceUsedPeak: Number(r.metaspace) }),
      samples: Number(r.samples),
      jobs: Number(r.jobs),
    });
  }
  for (const r of configs.getRowObjectsJS()) {
    const facts = out.get(String(r.cluster));
    if (facts) facts.config[String(r.key)] = String(r.value);
  }
  return out;
}

/**
 * Clusters whose TaskManagers run several jobs at once (a TaskManager holding slots, or running
 * subtasks, of two or more jobs at its latest observation): session clusters, whose TaskManagers
 * share one configuration. Recordings and `--rest-url` carry no fleet file to say so.
 */
export async function loadSharedClusters(c: DuckDBConnection): Promise<Set<string>> {
  const rows = await c.runAndReadAll(
    `WITH ${latestJobTaskManagers},
          shared AS (SELECT cluster, tm_id FROM (SELECT * FROM slotted UNION SELECT * FROM placed)
                     GROUP BY cluster, tm_id HAVING count(DISTINCT job_id) >= 2)
     SELECT DISTINCT cluster FROM shared`,
  );
  return new Set(rows.getRowObjectsJS().map((r) => String(r.cluster)));
}
