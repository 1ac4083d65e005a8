import type { JobDeployment } from './job-series.ts';

type Backend = JobDeployment['stateBackend'];

/** What the history store knows about one job's state backend (deploymentSql's columns). */
export interface BackendEvidence {
  /** `state_backend` of the job's latest `/jobs/:id/checkpoints/config`: what it really runs with. */
  checkpointConfig?: string | null;
  /** RocksDB's native metrics were seen in the job's own subtasks. */
  rocksDbMetrics?: boolean;
  /** `state.backend.type` / `state.backend` in the job's own config (`/jobs/:id/jobmanager/config`). */
  jobConfig?: string | null;
  /** The same keys in the cluster's `/jobmanager/config`: only a default in a session cluster. */
  clusterConfig?: string | null;
  /** `Status.Flink.Memory.Managed.Used` > 0 on a TaskManager running the job. */
  managedUsed?: boolean;
  /** The job's `job-type`; unknown (Flink < 1.16, Prometheus only) counts as streaming. */
  jobType?: string | null;
}

/**
 * The job's state backend from the strongest evidence there is: the checkpoint config (names the
 * backend the job runs with), RocksDB's own metrics, the job's config, the cluster's config, and
 * last the managed memory in use. A name that says neither (a custom factory, a changelog
 * wrapper) is no evidence and the next source decides.
 */
export function stateBackendOf(e: BackendEvidence): Backend {
  const named = backendNamed(e.checkpointConfig) ?? (e.rocksDbMetrics ? 'rocksdb' : undefined) ?? backendNamed(e.jobConfig) ?? backendNamed(e.clusterConfig);
  if (named) return named;
  // A streaming job on the heap backends never touches managed memory (it serves RocksDB and, in
  // batch jobs, sorting and hash tables), so managed memory in use means RocksDB. In a session
  // cluster a neighbour's RocksDB can use it too: hence last.
  return e.managedUsed && (e.jobType ?? 'STREAMING').toUpperCase() === 'STREAMING' ? 'rocksdb' : 'hashmap';
}

/**
 * A backend from a config value ('rocksdb', 'hashmap', legacy 'filesystem'/'jobmanager', a factory
 * class name) or a checkpoint config's class name ('EmbeddedRocksDBStateBackend',
 * 'HashMapStateBackend', legacy 'RocksDBStateBackend', 'FsStateBackend', 'MemoryStateBackend').
 * ForSt (2.x) keeps state off the heap in managed memory as RocksDB does.
 */
export function backendNamed(value: string | null | undefined): Backend | undefined {
  if (!value) return undefined;
  if (/rocksdb|forst/i.test(value)) return 'rocksdb';
  if (/hashmap|^filesystem$|^jobmanager$|FsStateBackend|MemoryStateBackend/i.test(value)) return 'hashmap';
  return undefined;
}
