import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { mergeHarvests, type Harvest } from '../collector/harvest.ts';
import { appendRows, type Cell, type ColumnKind } from './append.ts';
import { appendNew, type RowIdentity } from './append-new.ts';
import { inTransaction } from './history-store.ts';

export interface WriteCounts {
  /** Metric samples added: those already stored (an identical sample read again) are not. */
  samples: number;
  /** Rows added to all tables, samples included. */
  rows: number;
}

/**
 * What makes a row one already stored (store/append-new.ts): a metric sample is the same when all
 * but its value is; a version of a changes-only table when its whole row is, so a recording read
 * again adds no version twice even where its versions changed (the hash cache alone only skips a
 * repeat of the latest). cluster_observations and job_observations are appended as they come: each
 * marks a poll (two polls of a cluster whose clock counts whole seconds may share a ts), and their
 * readers take DISTINCT times, min/max and arg_max, which a repeat leaves unchanged.
 */
const identities: Record<string, RowIdentity> = {
  metric_samples: { ts: 'ts', key: ['ts', 'cluster', 'scope', 'job_id', 'tm_id', 'vertex_id', 'subtask', 'metric', 'agg'] },
  configs: { ts: 'ts', key: ['ts', 'cluster', 'job_id', 'source', 'hash', 'key', 'value'] },
  vertices: { ts: 'ts', key: ['ts', 'cluster', 'job_id', 'hash', 'vertex_id', 'name', 'parallelism', 'max_parallelism', 'slot_sharing_group'] },
  edges: { ts: 'ts', key: ['ts', 'cluster', 'job_id', 'hash', 'source_vertex', 'target_vertex', 'ship_strategy', 'exchange'] },
  // One row per version: the hash stands for the rest of the row.
  taskmanagers: { ts: 'ts', key: ['ts', 'cluster', 'tm_id', 'hash'] },
  tm_slots: { ts: 'ts', key: ['ts', 'cluster', 'tm_id', 'hash', 'job_id', 'slots'] },
  placements: { ts: 'ts', key: ['ts', 'cluster', 'job_id', 'vertex_id', 'hash', 'subtask', 'attempt', 'tm_id', 'status'] },
  job_checkpoint_configs: { ts: 'ts', key: ['ts', 'cluster', 'job_id', 'hash'] },
  checkpoints: 'primary key',
  exceptions: 'primary key',
};

/**
 * Writes one harvest as ONE transaction: after a crash the store holds either all of it or none.
 * Changes-only tables get rows only for what changed since the latest version stored (or earlier
 * in this harvest). Pass a HashCache to reuse the latest versions across writes.
 */
export async function writeHarvest(connection: DuckDBConnection, harvest: Harvest, runId: string, cache = new HashCache(connection)): Promise<WriteCounts> {
  try {
    return await inTransaction(connection, () => writeInOpenTransaction(connection, harvest, runId, cache));
  } catch (error) {
    // The cache may hold versions of the rolled-back batch: forget it.
    cache.reset();
    throw error;
  }
}

/** Latest version hash per key of each changes-only table, loaded once and kept up to date. */
export class HashCache {
  private readonly tables = new Map<string, Map<string, string>>();
  constructor(private readonly connection: DuckDBConnection) {}

  async latest(table: string, keyColumns: string[]): Promise<Map<string, string>> {
    let map = this.tables.get(table);
    if (!map) {
      map = new Map();
      const keys = ['cluster', ...keyColumns].join(', ');
      const result = await this.connection.runAndReadAll(`SELECT ${keys}, arg_max(hash, ts) AS hash FROM ${table} GROUP BY ${keys}`);
      for (const row of result.getRowsJS()) map.set(row.slice(0, -1).map(String).join('\u0000'), String(row[row.length - 1]));
      this.tables.set(table, map);
    }
    return map;
  }

  reset(): void {
    this.tables.clear();
  }
}

/**
 * Buffers harvests (e.g. one per cluster poll) and writes them in batches of about `batchSamples`
 * samples: per-transaction costs are paid once per batch, not once per small cluster. A crash loses
 * at most the unflushed buffer; every flushed batch is committed whole.
 */
export class HarvestWriter {
  private pending: Harvest[] = [];
  private pendingSamples = 0;
  private readonly cache: HashCache;
  readonly totals: WriteCounts = { samples: 0, rows: 0 };

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly runId: string,
    private readonly batchSamples = 100_000,
  ) {
    this.cache = new HashCache(connection);
  }

  async add(harvest: Harvest): Promise<void> {
    this.pending.push(harvest);
    this.pendingSamples += harvest.samples.length + 1;
    if (this.pendingSamples >= this.batchSamples) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending.length === 1 ? this.pending[0]! : mergeHarvests(this.pending);
    this.pending = [];
    this.pendingSamples = 0;
    const counts = await writeHarvest(this.connection, batch, this.runId, this.cache);
    this.totals.samples += counts.samples;
    this.totals.rows += counts.rows;
  }
}

async function writeInOpenTransaction(c: DuckDBConnection, h: Harvest, runId: string, cache: HashCache): Promise<WriteCounts> {
  let rows = 0;
  const put = async (table: string, kinds: ColumnKind[], data: Cell[][]) => {
    const identity = identities[table];
    const added = identity ? await appendNew(c, table, kinds, data, identity) : (await appendRows(c, table, kinds, data), data.length);
    rows += added;
    return added;
  };

  await put('cluster_observations', ['ts', 'str', 'str', 'i32', 'i32', 'str'], h.clusters.map((x) => [x.ts, x.cluster, x.flinkVersion, x.taskManagers, x.slotsTotal, runId]));
  await put(
    'job_observations',
    ['ts', 'str', 'str', 'str', 'str', 'str', 'ts', 'i32', 'str'],
    h.jobs.map((j) => [j.ts, j.cluster, j.jobId, j.name, j.state, j.jobType, j.startTime && j.startTime > 0 ? j.startTime : undefined, j.maxParallelism, runId]),
  );
  const samples = await put(
    'metric_samples',
    ['ts', 'str', 'str', 'str', 'str', 'str', 'i32', 'str', 'str', 'f64'],
    h.samples.map((s) => [s.ts, s.cluster, s.scope, s.jobId, s.tmId, s.vertexId, s.subtask, s.metric, s.agg, s.value]),
  );

  const configHashes = await cache.latest('configs', ['job_id', 'source']);
  const configRows: Cell[][] = [];
  for (const cfg of byTime(h.configs)) {
    const entries = Object.entries(cfg.entries).sort(([a], [b]) => (a < b ? -1 : 1));
    const jobId = cfg.jobId ?? '';
    const hash = changed(configHashes, [cfg.cluster, jobId, cfg.source], entries);
    if (hash) for (const [key, value] of entries) configRows.push([cfg.ts, cfg.cluster, jobId, cfg.source, hash, key, value]);
  }
  await put('configs', ['ts', 'str', 'str', 'str', 'str', 'str', 'str'], configRows);

  const topoHashes = await cache.latest('vertices', ['job_id']);
  const vertexRows: Cell[][] = [];
  const edgeRows: Cell[][] = [];
  for (const t of byTime(h.topologies)) {
    const hash = changed(topoHashes, [t.cluster, t.jobId], [t.vertices, t.edges]);
    if (!hash) continue;
    for (const v of t.vertices) vertexRows.push([t.ts, t.cluster, t.jobId, hash, v.id, v.name, v.parallelism, v.maxParallelism, v.slotSharingGroup]);
    for (const e of t.edges) edgeRows.push([t.ts, t.cluster, t.jobId, hash, e.source, e.target, e.shipStrategy, e.exchange]);
  }
  await put('vertices', ['ts', 'str', 'str', 'str', 'str', 'str', 'i32', 'i32', 'str'], vertexRows);
  await put('edges', ['ts', 'str', 'str', 'str', 'str', 'str', 'str', 'str'], edgeRows);

  const tmHashes = await cache.latest('taskmanagers', ['tm_id']);
  const slotHashes = await cache.latest('tm_slots', ['tm_id']);
  const tmRows: Cell[][] = [];
  const slotRows: Cell[][] = [];
  for (const tm of byTime(h.taskManagers)) {
    const m = tm.memory;
    const fields: Cell[] = [tm.slots, tm.cpuCores, tm.physicalMemory, tm.jvmMaxHeap, m?.frameworkHeap, m?.taskHeap, m?.frameworkOffHeap, m?.taskOffHeap, m?.network, m?.managed, m?.metaspace, m?.overhead, m?.totalFlink, m?.totalProcess];
    const hash = changed(tmHashes, [tm.cluster, tm.tmId], fields);
    if (hash) tmRows.push([tm.ts, tm.cluster, tm.tmId, hash, ...fields]);
    if (tm.slotsByJob) {
      const slots = Object.entries(tm.slotsByJob).sort(([a], [b]) => (a < b ? -1 : 1));
      const slotHash = changed(slotHashes, [tm.cluster, tm.tmId], slots);
      if (slotHash) for (const [jobId, n] of slots) slotRows.push([tm.ts, tm.cluster, tm.tmId, slotHash, jobId, n]);
    }
  }
  await put('taskmanagers', ['ts', 'str', 'str', 'str', 'i32', 'f64', 'i64', 'i64', 'i64', 'i64', 'i64', 'i64', 'i64', 'i64', 'i64', 'i64', 'i64', 'i64'], tmRows);
  await put('tm_slots', ['ts', 'str', 'str', 'str', 'str', 'i32'], slotRows);

  const checkpointConfigHashes = await cache.latest('job_checkpoint_configs', ['job_id']);
  const checkpointConfigRows: Cell[][] = [];
  for (const x of byTime(h.checkpointConfigs)) {
    const fields: Cell[] = [x.stateBackend, x.checkpointStorage, x.mode, x.intervalMs, x.changelog];
    const hash = changed(checkpointConfigHashes, [x.cluster, x.jobId], fields);
    if (hash) checkpointConfigRows.push([x.ts, x.cluster, x.jobId, hash, ...fields]);
  }
  await put('job_checkpoint_configs', ['ts', 'str', 'str', 'str', 'str', 'str', 'str', 'i64', 'bool'], checkpointConfigRows);

  // A vertex's placement is the set of its subtasks observed at one ts.
  const placementHashes = await cache.latest('placements', ['job_id', 'vertex_id']);
  const groups = new Map<string, typeof h.placements>();
  for (const p of h.placements) {
    const key = JSON.stringify([p.ts, p.cluster, p.jobId, p.vertexId]);
    const list = groups.get(key) ?? [];
    list.push(p);
    groups.set(key, list);
  }
  const placementRows: Cell[][] = [];
  for (const list of [...groups.values()].sort((a, b) => a[0]!.ts - b[0]!.ts)) {
    const first = list[0]!;
    const content = list.map((p) => [p.subtask, p.attempt, p.tmId, p.status]);
    const hash = changed(placementHashes, [first.cluster, first.jobId, first.vertexId], content);
    if (hash) for (const p of list) placementRows.push([p.ts, p.cluster, p.jobId, p.vertexId, hash, p.subtask, p.attempt, p.tmId, p.status]);
  }
  await put('placements', ['ts', 'str', 'str', 'str', 'str', 'i32', 'i32', 'str', 'str'], placementRows);

  await put(
    'checkpoints',
    ['str', 'str', 'i64', 'str', 'bool', 'ts', 'ts', 'i64', 'i64', 'i64', 'i64', 'i64', 'i32'],
    h.checkpoints.map((x) => [x.cluster, x.jobId, x.checkpointId, x.status, x.isSavepoint, positive(x.triggerTs), positive(x.ackTs), x.stateSize, x.checkpointedSize, x.durationMs, x.processedData, x.persistedData, x.numSubtasks]),
  );
  await put(
    'exceptions',
    ['ts', 'str', 'str', 'str', 'str', 'str', 'str', 'str'],
    h.exceptions.map((e) => [e.ts, e.cluster, e.jobId, e.name, e.taskName ?? '', e.message, e.tmId, e.memoryFailure]),
  );
  return { samples, rows };
}

function positive(ts: number | undefined): number | undefined {
  return ts !== undefined && ts > 0 ? ts : undefined;
}

function byTime<T extends { ts: number }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.ts - b.ts);
}

/** Returns the new hash when `content` differs from the latest known for `key`, else undefined. */
function changed(latest: Map<string, string>, key: string[], content: unknown): string | undefined {
  const hash = createHash('sha1').update(JSON.stringify(content)).digest('hex').slice(0, 16);
  const k = key.join('\u0000');
  if (latest.get(k) === hash) return undefined;
  latest.set(k, hash);
  return hash;
}
