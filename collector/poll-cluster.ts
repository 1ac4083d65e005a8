import type { LimitFunction } from 'p-limit';
import type { Exchange } from './exchange.ts';
import type { Harvest } from './harvest.ts';
import { Ingestor } from './ingest.ts';
import { chunkIds, isRocksDbMetric, jobManagerMetricIds, jobMetricIds, rocksDbMetricsEnabled, subtaskMetricIds, taskManagerMetricIds } from './metric-ids.ts';
import { RestError, type RestClient } from './rest-client.ts';

export interface PollOptions {
  cluster: string;
  client: RestClient;
  /** Shared limiter: bounds concurrent requests across every cluster of a run. */
  limit: LimitFunction;
  /** Only these jobs; all running jobs when absent. */
  jobIds?: string[];
  /** Called with every answered exchange (for `fma record`). */
  onExchange?: (exchange: Exchange) => void;
  /** Called when a request is queued (+1 total) and when it settles (+1 done). */
  onProgress?: (event: 'queued' | 'done') => void;
  /** What earlier polls of this run learnt (see `PollMemory`); without it every poll starts afresh. */
  memory?: PollMemory;
}

/**
 * What a run of polls remembers between polls (collect-live keeps one per run). Both save
 * requests and URL bytes, which a recording writes out on every poll.
 */
export interface PollMemory {
  /**
   * RocksDB metric ids per vertex: they name operators and states, so they change only with the
   * job graph, and listing them every poll is wasted work.
   */
  rocksDbIds: Map<string, string[]>;
  /**
   * Per metric URL, the ids Flink answered when asked for the full list, and when (cluster clock).
   * The lists name every GC any JVM may use; Flink silently leaves out the ids it lacks, so later
   * polls ask only for the ids it had, and for the full list again an hour on.
   */
  answeredIds: Map<string, { ids: string[]; t: number }>;
  /**
   * Jobs (cluster and id) whose checkpoint config was answered: it names the state backend, which
   * a running job cannot change, so it is asked once per job per run (again after a failure).
   */
  checkpointConfigs: Set<string>;
}

export function newPollMemory(): PollMemory {
  return { rocksDbIds: new Map(), answeredIds: new Map(), checkpointConfigs: new Set() };
}

/** How long a narrowed metric query is trusted before the full list is asked again (cluster clock). */
const fullListEvery = 3_600_000;

const terminal = new Set(['FINISHED', 'CANCELED', 'FAILED']);

/**
 * One poll of one cluster: everything the advisor uses, fetched with bounded concurrency.
 * Every answer goes through the same Ingestor as recordings do. A failing request is recorded in
 * `harvest.failures` (with its job) and the rest of the poll goes on; a TaskManager that vanished
 * meanwhile (404) is counted as skipped, not failed.
 */
export async function pollCluster(o: PollOptions): Promise<Harvest> {
  const ingestor = new Ingestor();
  const h = ingestor.harvest;
  /** When this poll's first answer came (cluster clock). */
  let pollTime = 0;

  /** Fetches and ingests one path; returns the body when it was understood. */
  const get = async (path: string, how: { jobId?: string; optional?: boolean; vanishing?: boolean; onFailure?: () => void } = {}): Promise<unknown> => {
    o.onProgress?.('queued');
    try {
      const answer = await o.limit(() => o.client.get(path));
      pollTime ||= answer.t;
      const exchange: Exchange = { t: answer.t, cluster: o.cluster, url: path, status: answer.status, body: answer.body };
      o.onExchange?.(exchange);
      const reason = ingestor.add(exchange);
      if (reason === undefined) return answer.body;
      h.failures.push({ cluster: o.cluster, jobId: how.jobId, url: path, reason: `GET ${o.client.url}${path}: ${reason}` });
      how.onFailure?.();
      return undefined;
    } catch (error) {
      const e = error as RestError;
      if (e instanceof RestError && e.status === 404 && how.vanishing) ingestor.skip('taskmanager vanished during collection');
      else if (!(e instanceof RestError && e.status === 404 && how.optional)) {
        h.failures.push({ cluster: o.cluster, jobId: how.jobId, url: path, reason: e.message });
        how.onFailure?.();
      }
      return undefined;
    } finally {
      o.onProgress?.('done');
    }
  };

  /** A metric query of `ids` below `path`, narrowed to the ids answered before (see PollMemory). */
  const metrics = async (path: string, ids: readonly string[], how: Parameters<typeof get>[1] = {}, extra = ''): Promise<unknown> => {
    const key = `${o.cluster}\u0000${path}`;
    const known = o.memory?.answeredIds.get(key);
    const narrowed = known !== undefined && pollTime - known.t < fullListEvery;
    const body = await get(`${path}?get=${idList(narrowed ? known.ids : ids)}${extra}`, how);
    if (!narrowed && Array.isArray(body) && body.length > 0) o.memory?.answeredIds.set(key, { ids: (body as Array<{ id: string }>).map((m) => m.id), t: pollTime });
    return body;
  };

  if ((await get('/overview')) === undefined) return h;
  await Promise.all([
    get('/jobs/overview'),
    get('/taskmanagers'),
    get('/jobmanager/config'),
    metrics('/jobmanager/metrics', jobManagerMetricIds),
  ]);

  const listed = new Map(h.jobs.map((j) => [j.jobId, j]));
  const jobIds = o.jobIds ?? [...listed.values()].filter((j) => !terminal.has(j.state)).map((j) => j.jobId);
  const clusterRocks = h.configs.some((c) => rocksDbMetricsEnabled(c.entries));
  const tmIds = [...new Set(h.taskManagers.map((t) => t.tmId))];

  await Promise.all([
    ...tmIds.map((tm) => metrics(`/taskmanagers/${encodeURIComponent(tm)}/metrics`, taskManagerMetricIds, { vanishing: true })),
    // A job asked for by id is polled only where it is listed (a fleet has it on one cluster).
    ...jobIds.filter((id) => listed.has(id)).map((id) => pollJob(id)),
  ]);
  return h;

  async function pollJob(jobId: string): Promise<void> {
    const base = `/jobs/${encodeURIComponent(jobId)}`;
    const job = { jobId };
    const [hasDetails] = await Promise.all([
      get(base, job),
      get(`${base}/config`, job),
      get(`${base}/checkpoints`, job),
      get(`${base}/exceptions`, job),
      metrics(`${base}/metrics`, jobMetricIds, job),
      // Application mode (and 1.17+) expose the job's own JM config; session clusters may 404.
      get(`${base}/jobmanager/config`, { ...job, optional: true }),
      checkpointConfig(jobId, base),
    ]);
    const topology = hasDetails !== undefined ? ingestor.topologyFor(o.cluster, jobId) : undefined;
    if (!topology) return;
    const rocks = clusterRocks || h.configs.some((c) => c.jobId === jobId && rocksDbMetricsEnabled(c.entries));
    await Promise.all(
      topology.vertices.map(async (v) => {
        const vertex = `${base}/vertices/${encodeURIComponent(v.id)}`;
        await Promise.all([get(vertex, job), metrics(`${vertex}/subtasks/metrics`, subtaskMetricIds, job, '&agg=min,max,avg,sum')]);
        if (!rocks) return;
        // RocksDB ids embed operator and state names: list what the vertex has (once per run and
        // graph: a rescale changes the subtask prefixes), then fetch those.
        const key = `${o.cluster}\u0000${jobId}\u0000${v.id}\u0000${v.parallelism}`;
        let wanted = o.memory?.rocksDbIds.get(key);
        if (!wanted) {
          const available = ((await get(`${vertex}/metrics`, job)) as Array<{ id: string }> | undefined) ?? [];
          wanted = available.map((m) => m.id).filter(isRocksDbMetric);
          // A restarting job lists nothing yet: ask again next poll.
          if (available.length > 0) o.memory?.rocksDbIds.set(key, wanted);
        }
        await Promise.all(chunkIds(wanted).map((ids) => get(`${vertex}/metrics?get=${idList(ids)}`, job)));
      }),
    );
  }

  /** The job's state backend, once per run (see PollMemory); a job without checkpointing answers 404. */
  async function checkpointConfig(jobId: string, base: string): Promise<unknown> {
    const asked = o.memory?.checkpointConfigs;
    const key = `${o.cluster}\u0000${jobId}`;
    if (asked?.has(key)) return undefined;
    asked?.add(key);
    return get(`${base}/checkpoints/config`, { jobId, optional: true, onFailure: () => asked?.delete(key) });
  }
}

function idList(ids: readonly string[]): string {
  return ids.map(encodeURIComponent).join(',');
}

