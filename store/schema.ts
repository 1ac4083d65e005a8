/**
 * The history store's schema: an embedded DuckDB file. Published for anyone writing SQL against
 * it (features/). Conventions:
 * - `ts` is a TIMESTAMP (UTC) of when Flink's answer was observed; sizes are bytes.
 * - `cluster` is the cluster name (application mode: one job per cluster, so cluster+job_id is
 *   the key of a job everywhere); `job_id`, `tm_id`, `vertex_id` are Flink's ids as strings.
 * - Observation tables are append-only. A metric sample, checkpoint, exception or changes-only
 *   version already stored is not appended again (a sample is the same when all but its value is;
 *   store/write-harvest.ts names each table's identity): reading a recording twice, or an overlapping
 *   range, counts nothing twice. "Changes only" tables (configs, checkpoint configs,
 *   topology, TaskManagers, placements) get a new set of rows only when what they describe changed; a `hash` column
 *   identifies the version, and the latest version is the rows with the greatest `ts`.
 * - Every write of one cluster's poll is one transaction: a crash loses no committed batch.
 *
 * Migrations are frozen SQL: to change the schema, append a migration, never edit an old one.
 */
export const schemaVersion = 4;

export const migrations: Array<{ version: number; statements: string[] }> = [
  {
    version: 1,
    statements: [
      `CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,

      // One row per `fma collect` / `fma record` run or recording ingestion.
      `CREATE TABLE collection_runs (
        run_id VARCHAR PRIMARY KEY,
        started_at TIMESTAMP NOT NULL,
        finished_at TIMESTAMP,            -- NULL while running, or if the run was killed
        source VARCHAR NOT NULL,          -- 'rest', 'fleet', 'recording', 'prometheus'
        status VARCHAR NOT NULL,          -- 'running', 'ok', 'partial', 'failed', 'interrupted'
        clusters INTEGER,
        samples BIGINT,
        failures INTEGER,
        skipped INTEGER,
        detail VARCHAR                    -- JSON: failures per job/cluster, skipped by reason
      )`,

      // What /overview said about a cluster at ts.
      `CREATE TABLE cluster_observations (
        ts TIMESTAMP NOT NULL, cluster VARCHAR NOT NULL, flink_version VARCHAR,
        taskmanagers INTEGER, slots_total INTEGER, run_id VARCHAR
      )`,

      // A job's name and state as seen at ts (from /jobs/overview and /jobs/:id).
      `CREATE TABLE job_observations (
        ts TIMESTAMP NOT NULL, cluster VARCHAR NOT NULL, job_id VARCHAR NOT NULL,
        name VARCHAR NOT NULL, state VARCHAR NOT NULL, job_type VARCHAR,
        start_time TIMESTAMP, max_parallelism INTEGER, run_id VARCHAR
      )`,

      // Configurations over time (changes only). source 'jobmanager': /jobmanager/config
      // (job_id '' = cluster-wide) or /jobs/:id/jobmanager/config; 'execution': /jobs/:id/config.
      `CREATE TABLE configs (
        ts TIMESTAMP NOT NULL, cluster VARCHAR NOT NULL, job_id VARCHAR NOT NULL,
        source VARCHAR NOT NULL, hash VARCHAR NOT NULL, key VARCHAR NOT NULL, value VARCHAR NOT NULL
      )`,

      // Topology (changes only, per job): vertices with parallelism and slot sharing group ...
      `CREATE TABLE vertices (
        ts TIMESTAMP NOT NULL, cluster VARCHAR NOT NULL, job_id VARCHAR NOT NULL, hash VARCHAR NOT NULL,
        vertex_id VARCHAR NOT NULL, name VARCHAR NOT NULL, parallelism INTEGER NOT NULL,
        max_parallelism INTEGER, slot_sharing_group VARCHAR
      )`,
      // ... and the edges between them (from the job plan): ship_strategy HASH, REBALANCE, FORWARD, ...
      `CREATE TABLE edges (
        ts TIMESTAMP NOT NULL, cluster VARCHAR NOT NULL, job_id VARCHAR NOT NULL, hash VARCHAR NOT NULL,
        source_vertex VARCHAR NOT NULL, target_vertex VARCHAR NOT NULL, ship_strategy VARCHAR, exchange VARCHAR
      )`,

      // TaskManagers (changes only): hardware and memoryConfiguration, Flink's derived pool sizes in bytes.
      `CREATE TABLE taskmanagers (
        ts TIMESTAMP NOT NULL, cluster VARCHAR NOT NULL, tm_id VARCHAR NOT NULL, hash VARCHAR NOT NULL,
        slots INTEGER, cpu_cores DOUBLE, physical_memory BIGINT,
        jvm_max_heap BIGINT,              -- hardware.freeMemory, which is Runtime.maxMemory()
        framework_heap BIGINT, task_heap BIGINT, framework_off_heap BIGINT, task_off_heap BIGINT,
        network BIGINT, managed BIGINT, metaspace BIGINT, overhead BIGINT,
        total_flink BIGINT, total_process BIGINT
      )`,
      // Which jobs hold slots on a TaskManager (changes only; from allocatedSlots).
      `CREATE TABLE tm_slots (
        ts TIMESTAMP NOT NULL, cluster VARCHAR NOT NULL, tm_id VARCHAR NOT NULL, hash VARCHAR NOT NULL,
        job_id VARCHAR NOT NULL, slots INTEGER NOT NULL
      )`,
      // Which TaskManager runs each subtask (changes only, per vertex).
      `CREATE TABLE placements (
        ts TIMESTAMP NOT NULL, cluster VARCHAR NOT NULL, job_id VARCHAR NOT NULL, vertex_id VARCHAR NOT NULL,
        hash VARCHAR NOT NULL, subtask INTEGER NOT NULL, attempt INTEGER, tm_id VARCHAR, status VARCHAR
      )`,

      // Metric samples, long format. scope: 'taskmanager' (tm_id set, or NULL with agg for
      // /taskmanagers/metrics), 'jobmanager', 'job', 'vertex' (aggregated over subtasks when agg
      // is set), 'subtask' (subtask set). metric is Flink's id without the '<subtask>.' prefix,
      // e.g. 'Status.JVM.Memory.Heap.Used', 'numRestarts',
      // '<operator>.<state>.rocksdb.block-cache-usage'. agg: NULL, 'min', 'max', 'avg', 'sum', 'skew'.
      `CREATE TABLE metric_samples (
        ts TIMESTAMP NOT NULL, cluster VARCHAR NOT NULL, scope VARCHAR NOT NULL,
        job_id VARCHAR, tm_id VARCHAR, vertex_id VARCHAR, subtask INTEGER,
        metric VARCHAR NOT NULL, agg VARCHAR, value DOUBLE NOT NULL
      )`,

      // Checkpoints, one row per checkpoint id and status (deduplicated across polls).
      `CREATE TABLE checkpoints (
        cluster VARCHAR NOT NULL, job_id VARCHAR NOT NULL, checkpoint_id BIGINT NOT NULL, status VARCHAR NOT NULL,
        is_savepoint BOOLEAN NOT NULL, trigger_ts TIMESTAMP, ack_ts TIMESTAMP,
        state_size BIGINT,                -- full state size: the best proxy for keyed-state volume
        checkpointed_size BIGINT, duration_ms BIGINT, processed_data BIGINT, persisted_data BIGINT,
        num_subtasks INTEGER,
        PRIMARY KEY (cluster, job_id, checkpoint_id, status)
      )`,

      // The exception history (deduplicated). memory_failure: 'heap', 'metaspace', 'direct',
      // 'network-buffers', 'container', 'other-oom' or NULL: an OOM is the strongest signal we get.
      `CREATE TABLE exceptions (
        ts TIMESTAMP NOT NULL, cluster VARCHAR NOT NULL, job_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
        task_name VARCHAR NOT NULL,       -- '' when Flink named no task
        message VARCHAR NOT NULL, tm_id VARCHAR, memory_failure VARCHAR,
        PRIMARY KEY (cluster, job_id, ts, name, task_name)
      )`,

      // Restarts: each rise of the job metric numRestarts, with how many restarts it counts.
      `CREATE VIEW restarts AS
        SELECT ts, cluster, job_id, restarts FROM (
          SELECT ts, cluster, job_id,
                 value - lag(value) OVER (PARTITION BY cluster, job_id ORDER BY ts) AS restarts
          FROM metric_samples WHERE scope = 'job' AND metric = 'numRestarts' AND agg IS NULL AND job_id IS NOT NULL)
        WHERE restarts > 0`,

      // The latest version of each changes-only table.
      `CREATE VIEW taskmanagers_latest AS
        SELECT * FROM taskmanagers QUALIFY ts = max(ts) OVER (PARTITION BY cluster, tm_id)`,
      `CREATE VIEW configs_latest AS
        SELECT * FROM configs QUALIFY ts = max(ts) OVER (PARTITION BY cluster, job_id, source)`,
      `CREATE VIEW vertices_latest AS
        SELECT * FROM vertices QUALIFY ts = max(ts) OVER (PARTITION BY cluster, job_id)`,

      // One row per job: first and last time seen, latest name and state.
      `CREATE VIEW jobs AS
        SELECT cluster, job_id, arg_max(name, ts) AS name, arg_max(state, ts) AS state,
               min(ts) AS first_seen, max(ts) AS last_seen
        FROM job_observations GROUP BY cluster, job_id`,
    ],
  },
  {
    version: 2,
    statements: [
      // Every recommendation fma advise/nightly proposed (the advisor's own history): the next night
      // smooths against the latest one, so recommendations do not flap. recommendation is the full
      // JSON of advisor/recommendation.ts; process_size its recommended TaskManager process size.
      `CREATE TABLE recommendations (
        run_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, cluster VARCHAR NOT NULL, job_id VARCHAR NOT NULL,
        process_size BIGINT NOT NULL, held_back BOOLEAN NOT NULL, recommendation VARCHAR NOT NULL,
        PRIMARY KEY (run_id, cluster, job_id)
      )`,
    ],
  },
  {
    version: 3,
    statements: [
      // Each job's checkpointing configuration (changes only; /jobs/:id/checkpoints/config).
      // state_backend is the backend's class simple name ('EmbeddedRocksDBStateBackend',
      // 'HashMapStateBackend'; older 'RocksDBStateBackend', 'FsStateBackend', ...): what the job
      // really runs with, which in a session cluster the cluster's config cannot say.
      `CREATE TABLE job_checkpoint_configs (
        ts TIMESTAMP NOT NULL, cluster VARCHAR NOT NULL, job_id VARCHAR NOT NULL, hash VARCHAR NOT NULL,
        state_backend VARCHAR, checkpoint_storage VARCHAR, mode VARCHAR, interval_ms BIGINT, changelog BOOLEAN
      )`,
    ],
  },
  {
    version: 4,
    // Before this version a recording read twice was stored twice: keep the first-stored row of each
    // identity (NULLs equal), as writes do from now on. Samples: all but the value; changes-only
    // tables: the whole row.
    statements: [
      keepFirst('metric_samples', 'ts, cluster, scope, job_id, tm_id, vertex_id, subtask, metric, agg'),
      keepFirst('configs', 'ts, cluster, job_id, source, hash, key, value'),
      keepFirst('vertices', 'ts, cluster, job_id, hash, vertex_id, name, parallelism, max_parallelism, slot_sharing_group'),
      keepFirst('edges', 'ts, cluster, job_id, hash, source_vertex, target_vertex, ship_strategy, exchange'),
      keepFirst('taskmanagers', 'ts, cluster, tm_id, hash'),
      keepFirst('tm_slots', 'ts, cluster, tm_id, hash, job_id, slots'),
      keepFirst('placements', 'ts, cluster, job_id, vertex_id, hash, subtask, attempt, tm_id, status'),
      keepFirst('job_checkpoint_configs', 'ts, cluster, job_id, hash'),
    ],
  },
];

/** Deletes every row but the first stored of each identity (PARTITION BY groups NULLs together). Frozen: migration 4 uses it. */
function keepFirst(table: string, identity: string): string {
  return `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} QUALIFY row_number() OVER (PARTITION BY ${identity} ORDER BY rowid) > 1)`;
}
