/**
 * The SQL behind loadJobSeries (store-series.ts), over the tables of store/schema.ts. Every query
 * takes $ids (JSON array of job ids, or null for all), $from and $to (epoch ms, or null) and
 * returns rows for all selected jobs at once, ordered by cluster, job and time.
 */

/**
 * How a cluster's samples are grouped into polls. fma's collector opens every poll with /overview
 * (a `cluster_observations` row). The samples from one such marker to the next are one poll when
 * no TaskManager's heap (`pollSeries`, sampled once in every poll) is sampled twice among them,
 * however far apart they lie: samples carry the cluster's clock, which for a simulator at 2000x
 * puts one poll's requests minutes apart. Elsewhere (other tools' captures, whose /overview answers are hourly or
 * absent; fma recordings, which leave out an /overview answer equal to the last; Prometheus) a
 * marker still opens a poll, and so does a pause longer than half the cluster's poll interval
 * (the median time between two heap samples of one TaskManager): a poll's requests come closer
 * together than that at any clock speed. With too few samples to tell the interval, the pause is
 * `pollGapMs`.
 */
export const pollGapMs = 5000;
const pollSeries = 'Status.JVM.Memory.Heap.Used';

const selected = `
  sel AS (
    SELECT cluster, job_id, arg_max(name, ts) AS name FROM job_observations
    WHERE ($ids IS NULL OR job_id IN (SELECT unnest(from_json($ids::VARCHAR, '["VARCHAR"]'))))
    GROUP BY cluster, job_id
  )`;

const inWindow = (column: string) => `($from IS NULL OR ${column} >= epoch_ms($from::BIGINT)) AND ($to IS NULL OR ${column} < epoch_ms($to::BIGINT))`;
const beforeEnd = (column: string) => `($to IS NULL OR ${column} < epoch_ms($to::BIGINT))`;

/**
 * Poll times: a cluster's sample timestamps grouped into polls (see pollGapMs), each sample mapped
 * to its poll's first timestamp `t`.
 */
const polls = `
  stamps AS (
    SELECT DISTINCT cluster, ts FROM metric_samples WHERE cluster IN (SELECT cluster FROM sel) AND ${inWindow('ts')}
  ),
  markers AS (
    SELECT DISTINCT cluster, ts FROM cluster_observations WHERE cluster IN (SELECT cluster FROM sel) AND ${inWindow('ts')}
  ),
  heap_ts AS (
    SELECT s.cluster, s.ts, lag(s.ts) OVER (PARTITION BY s.cluster, s.tm_id, s.agg ORDER BY s.ts) AS prev, m.ts AS marker
    FROM metric_samples s ASOF LEFT JOIN markers m ON s.cluster = m.cluster AND s.ts >= m.ts
    WHERE s.cluster IN (SELECT cluster FROM sel) AND s.scope = 'taskmanager' AND s.metric = '${pollSeries}' AND ${inWindow('s.ts')}
  ),
  pause AS (
    SELECT cluster, median(epoch_ms(ts) - epoch_ms(prev)) / 2 AS ms FROM heap_ts WHERE prev IS NOT NULL GROUP BY cluster
  ),
  one_poll AS (
    SELECT cluster, marker, bool_and(prev IS NULL OR prev < marker) AS whole FROM heap_ts WHERE marker IS NOT NULL GROUP BY ALL
  ),
  ts_all AS (
    SELECT s.cluster, s.ts, false AS opens, coalesce(o.whole, false) AS whole
    FROM stamps s ASOF LEFT JOIN markers m ON s.cluster = m.cluster AND s.ts >= m.ts
    LEFT JOIN one_poll o ON o.cluster = s.cluster AND o.marker = m.ts
    UNION ALL
    SELECT cluster, ts, true, true FROM markers
  ),
  gaps AS (
    SELECT cluster, ts, opens, whole, epoch_ms(ts) - epoch_ms(lag(ts) OVER (PARTITION BY cluster ORDER BY ts, opens DESC)) AS gap FROM ts_all
  ),
  numbered AS (
    SELECT g.cluster, g.ts,
      sum(CASE WHEN g.opens OR g.gap IS NULL OR (NOT g.whole AND g.gap > coalesce(p.ms, ${pollGapMs})) THEN 1 ELSE 0 END)
        OVER (PARTITION BY g.cluster ORDER BY g.ts, g.opens DESC) AS poll
    FROM gaps g LEFT JOIN pause p USING (cluster)
  ),
  poll_t AS (SELECT DISTINCT cluster, ts, min(ts) OVER (PARTITION BY cluster, poll) AS t FROM numbered)`;

/**
 * The TaskManagers a job ran on: those giving it slots, running its subtasks (REST placements or
 * Prometheus task labels); a job with none of these known gets every TaskManager of its cluster
 * (application mode: the cluster is the job's).
 */
const jobTaskManagers = `
  known_tms AS (
    SELECT cluster, job_id, tm_id FROM tm_slots
    UNION SELECT cluster, job_id, tm_id FROM placements WHERE tm_id IS NOT NULL
    UNION SELECT cluster, job_id, tm_id FROM metric_samples WHERE scope = 'subtask' AND tm_id IS NOT NULL AND job_id IS NOT NULL
  ),
  job_tms AS (
    SELECT DISTINCT k.cluster, k.job_id, k.tm_id FROM known_tms k JOIN sel USING (cluster, job_id)
    UNION
    SELECT DISTINCT sel.cluster, sel.job_id, m.tm_id FROM sel JOIN metric_samples m ON m.cluster = sel.cluster
    WHERE m.scope = 'taskmanager' AND m.tm_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM known_tms k WHERE k.cluster = sel.cluster AND k.job_id = sel.job_id)
  )`;

/** Per poll, the busiest of the job's TaskManagers for each pool and the GC time ratio. */
export const taskManagerSeriesSql = `
WITH ${selected}, ${polls}, ${jobTaskManagers},
  tm AS (
    SELECT s.cluster, jt.job_id, p.t, s.tm_id,
      max(value) FILTER (WHERE metric = 'Status.JVM.Memory.Heap.Used') AS heap,
      max(value) FILTER (WHERE metric = 'Status.Flink.Memory.Managed.Used') AS managed,
      max(value) FILTER (WHERE metric = 'Status.JVM.Memory.Metaspace.Used') AS metaspace,
      max(value) FILTER (WHERE metric = 'Status.JVM.Memory.Direct.MemoryUsed') AS direct,
      max(value) FILTER (WHERE metric = 'Status.Shuffle.Netty.TotalMemory') AS network,
      max(value) FILTER (WHERE metric = 'Status.JVM.GarbageCollector.All.TimeMsPerSecond') AS gc_ms_per_s,
      max(value) FILTER (WHERE metric = 'Status.JVM.GarbageCollector.All.Time') AS gc_all,
      sum(value) FILTER (WHERE metric LIKE 'Status.JVM.GarbageCollector.%.Time' AND metric <> 'Status.JVM.GarbageCollector.All.Time') AS gc_each
    FROM metric_samples s
    JOIN poll_t p ON p.cluster = s.cluster AND p.ts = s.ts
    JOIN job_tms jt ON jt.cluster = s.cluster AND jt.tm_id = s.tm_id
    WHERE s.scope = 'taskmanager' AND s.agg IS NULL AND ${inWindow('s.ts')}
    GROUP BY ALL
  ),
  tm_network AS (
    SELECT cluster, tm_id, arg_max(network, ts)::DOUBLE AS network FROM taskmanagers WHERE network IS NOT NULL GROUP BY ALL
  ),
  tm_gc AS (
    SELECT tm.*, coalesce(tm.network, n.network) AS network_pool,
      coalesce(gc_ms_per_s / 1000,
        (coalesce(gc_all, gc_each) - lag(coalesce(gc_all, gc_each)) OVER w) / nullif(epoch_ms(t) - epoch_ms(lag(t) OVER w), 0)) AS gc_ratio
    FROM tm LEFT JOIN tm_network n USING (cluster, tm_id) WINDOW w AS (PARTITION BY cluster, job_id, tm_id ORDER BY t)
  )
SELECT cluster, job_id, epoch_ms(t)::DOUBLE AS t,
  max(heap) AS heap, max(managed) AS managed, max(metaspace) AS metaspace,
  -- JVM direct memory holds the network pool's segments (allocated up front): the rest is off-heap
  -- use. The pool's size is the metric, else the TaskManager's memoryConfiguration.
  max(CASE WHEN direct - network_pool < 0 THEN 0 ELSE direct - network_pool END) AS direct,
  -- (DuckDB's greatest/least skip NULLs, so clamp with CASE to keep an unknown unknown.)
  max(CASE WHEN gc_ratio < 0 THEN 0 WHEN gc_ratio > 1 THEN 1 ELSE gc_ratio END) AS gc_ratio
FROM tm_gc
GROUP BY cluster, job_id, t
HAVING max(heap) IS NOT NULL
ORDER BY cluster, job_id, t`;

/** Per poll: records and bytes into the job (its source vertices) and the worst subtask skew. */
export const loadSeriesSql = `
WITH ${selected}, ${polls},
  latest_vertices AS (
    SELECT v.* FROM vertices v JOIN sel USING (cluster, job_id)
    WHERE ${beforeEnd('v.ts')}
    QUALIFY v.ts = max(v.ts) OVER (PARTITION BY v.cluster, v.job_id)
  ),
  latest_edges AS (
    SELECT e.* FROM edges e JOIN (SELECT DISTINCT cluster, job_id, hash FROM latest_vertices) USING (cluster, job_id, hash)
  ),
  rates AS (
    SELECT s.cluster, s.job_id, s.vertex_id, p.t, s.metric,
      coalesce(sum(value) FILTER (WHERE scope = 'subtask'), max(value) FILTER (WHERE agg = 'sum')) AS total,
      coalesce(max(value) FILTER (WHERE scope = 'subtask'), max(value) FILTER (WHERE agg = 'max')) AS top,
      coalesce(avg(value) FILTER (WHERE scope = 'subtask'), max(value) FILTER (WHERE agg = 'avg')) AS mean
    FROM metric_samples s
    JOIN sel USING (cluster, job_id)
    JOIN poll_t p ON p.cluster = s.cluster AND p.ts = s.ts
    WHERE s.scope IN ('subtask', 'vertex') AND s.vertex_id IS NOT NULL AND ${inWindow('s.ts')}
      AND s.metric IN ('numRecordsInPerSecond', 'numRecordsOutPerSecond', 'numBytesInPerSecond', 'numBytesOutPerSecond')
    GROUP BY ALL
  ),
  per_vertex AS (
    SELECT cluster, job_id, vertex_id, t,
      max(total) FILTER (WHERE metric = 'numRecordsInPerSecond') AS rec_in,
      max(total) FILTER (WHERE metric = 'numRecordsOutPerSecond') AS rec_out,
      max(total) FILTER (WHERE metric = 'numBytesInPerSecond') AS bytes_in,
      max(total) FILTER (WHERE metric = 'numBytesOutPerSecond') AS bytes_out,
      max(top / nullif(mean, 0)) FILTER (WHERE metric = 'numRecordsInPerSecond') AS skew
    FROM rates
    GROUP BY ALL
  ),
  targets AS (SELECT DISTINCT cluster, job_id, target_vertex AS vertex_id, true AS has_input FROM latest_edges)
SELECT cluster, job_id, epoch_ms(t)::DOUBLE AS t,
  -- A Flink source counts what it emits as records out (its records in are 0).
  sum(coalesce(nullif(rec_in, 0), rec_out)) FILTER (WHERE has_input IS NULL) AS records,
  sum(coalesce(nullif(bytes_in, 0), bytes_out)) FILTER (WHERE has_input IS NULL) AS bytes,
  coalesce(max(skew), 1) AS skew
FROM per_vertex LEFT JOIN targets USING (cluster, job_id, vertex_id)
GROUP BY cluster, job_id, t
ORDER BY cluster, job_id, t`;

/** Per poll: the full state size of the latest completed checkpoint then (else the job metric lastCheckpointFullSize). */
export const stateSeriesSql = `
WITH ${selected}, ${polls},
  grid AS (SELECT DISTINCT p.cluster, sel.job_id, p.t FROM poll_t p JOIN sel USING (cluster)),
  completed AS (
    SELECT c.cluster, c.job_id, coalesce(c.ack_ts, c.trigger_ts) AS ts, c.state_size::DOUBLE AS state_size
    FROM checkpoints c JOIN sel USING (cluster, job_id)
    WHERE c.status = 'COMPLETED' AND c.state_size IS NOT NULL AND coalesce(c.ack_ts, c.trigger_ts) IS NOT NULL
  ),
  metric AS (
    SELECT s.cluster, s.job_id, p.t, max(value) AS size FROM metric_samples s
    JOIN sel USING (cluster, job_id) JOIN poll_t p ON p.cluster = s.cluster AND p.ts = s.ts
    WHERE s.scope = 'job' AND s.metric = 'lastCheckpointFullSize' AND ${inWindow('s.ts')}
    GROUP BY ALL
  ),
  as_of AS (
    SELECT g.cluster, g.job_id, g.t, c.state_size FROM grid g
    ASOF LEFT JOIN completed c ON g.cluster = c.cluster AND g.job_id = c.job_id AND g.t >= c.ts
  )
SELECT a.cluster, a.job_id, epoch_ms(a.t)::DOUBLE AS t, coalesce(a.state_size, m.size) AS state
FROM as_of a LEFT JOIN metric m USING (cluster, job_id, t)
WHERE coalesce(a.state_size, m.size) IS NOT NULL
ORDER BY a.cluster, a.job_id, a.t`;

/**
 * Per poll: the busiest slot's RocksDB block cache usage and capacity, and the job's hit ratio.
 * Per subtask the largest value among its states; a slot is a TaskManager and a subtask index
 * (slot sharing puts subtask i of every vertex into one slot), its usage the sum over those
 * subtasks, its capacity the largest (every state sees the slot's share of managed memory).
 */
export const rocksDbSeriesSql = `
WITH ${selected}, ${polls},
  per_subtask AS (
    SELECT s.cluster, s.job_id, s.vertex_id, s.subtask, p.t, any_value(s.tm_id) AS tm_id,
      max(value) FILTER (WHERE metric LIKE '%.rocksdb.block-cache-usage') AS usage,
      max(value) FILTER (WHERE metric LIKE '%.rocksdb.block-cache-capacity') AS capacity,
      sum(value) FILTER (WHERE metric LIKE '%rocksdb.block_cache_hit' OR metric LIKE '%rocksdb.block-cache-hit') AS hits,
      sum(value) FILTER (WHERE metric LIKE '%rocksdb.block_cache_miss' OR metric LIKE '%rocksdb.block-cache-miss') AS misses
    FROM metric_samples s
    JOIN sel USING (cluster, job_id)
    JOIN poll_t p ON p.cluster = s.cluster AND p.ts = s.ts
    WHERE s.scope = 'subtask' AND s.metric LIKE '%rocksdb%' AND ${inWindow('s.ts')}
    GROUP BY ALL
  ),
  first_placement AS (
    SELECT cluster, job_id, vertex_id, subtask, arg_min(tm_id, ts) AS tm_id FROM placements WHERE tm_id IS NOT NULL GROUP BY ALL
  ),
  placed AS (
    SELECT r.*, coalesce(r.tm_id, pl.tm_id, f.tm_id, '') AS tm FROM per_subtask r
    ASOF LEFT JOIN (SELECT * FROM placements WHERE tm_id IS NOT NULL) pl
      ON r.cluster = pl.cluster AND r.job_id = pl.job_id AND r.vertex_id = pl.vertex_id AND r.subtask = pl.subtask AND r.t >= pl.ts
    LEFT JOIN first_placement f ON r.cluster = f.cluster AND r.job_id = f.job_id AND r.vertex_id = f.vertex_id AND r.subtask = f.subtask
  ),
  per_slot AS (
    SELECT cluster, job_id, t, tm, subtask, sum(usage) AS usage, max(capacity) AS capacity FROM placed GROUP BY ALL
  ),
  ratio AS (
    SELECT cluster, job_id, t, sum(hits) / nullif(sum(hits) + sum(misses), 0) AS hit_ratio FROM per_subtask GROUP BY ALL
  )
SELECT u.cluster, u.job_id, epoch_ms(u.t)::DOUBLE AS t, max(u.usage) AS usage, arg_max(u.capacity, u.usage) AS capacity, any_value(r.hit_ratio) AS hit_ratio
FROM per_slot u LEFT JOIN ratio r USING (cluster, job_id, t)
GROUP BY u.cluster, u.job_id, u.t
ORDER BY u.cluster, u.job_id, u.t`;

/** The job's vertices (latest topology version before $to; Prometheus-only stores: from task labels). */
export const verticesSql = `
WITH ${selected},
  latest AS (
    SELECT v.* FROM vertices v JOIN sel USING (cluster, job_id)
    WHERE ${beforeEnd('v.ts')}
    QUALIFY v.ts = max(v.ts) OVER (PARTITION BY v.cluster, v.job_id)
  ),
  from_samples AS (
    SELECT s.cluster, s.job_id, s.vertex_id, max(s.subtask) + 1 AS parallelism FROM metric_samples s JOIN sel USING (cluster, job_id)
    WHERE s.scope = 'subtask' AND s.vertex_id IS NOT NULL AND s.subtask IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM latest l WHERE l.cluster = s.cluster AND l.job_id = s.job_id)
    GROUP BY ALL
  )
SELECT cluster, job_id, vertex_id, parallelism, slot_sharing_group, hash FROM latest
UNION ALL SELECT cluster, job_id, vertex_id, parallelism, NULL, NULL FROM from_samples
ORDER BY cluster, job_id, vertex_id`;

export const edgesSql = `
WITH ${selected},
  latest AS (
    SELECT DISTINCT v.cluster, v.job_id, v.hash FROM vertices v JOIN sel USING (cluster, job_id)
    WHERE ${beforeEnd('v.ts')}
    QUALIFY v.ts = max(v.ts) OVER (PARTITION BY v.cluster, v.job_id)
  )
SELECT e.cluster, e.job_id, e.source_vertex, e.target_vertex, coalesce(e.ship_strategy, 'UNKNOWN') AS ship_strategy
FROM edges e JOIN latest USING (cluster, job_id, hash)
ORDER BY e.cluster, e.job_id, e.source_vertex, e.target_vertex`;

/**
 * Per job: its name, the latest memoryConfiguration and slot count among its TaskManagers, how
 * many TaskManagers run it now, the slot option (job's config over the cluster's) and what tells
 * its state backend (store-series-backend.ts weighs it): the checkpoint config, the job's and the
 * cluster's config, RocksDB metrics, managed memory in use on its TaskManagers, its job type.
 */
export const deploymentSql = `
WITH ${selected}, ${jobTaskManagers},
  tm_latest AS (
    SELECT tm.* FROM taskmanagers tm
    JOIN job_tms jt ON jt.cluster = tm.cluster AND jt.tm_id = tm.tm_id
    WHERE ${beforeEnd('tm.ts')}
    QUALIFY tm.ts = max(tm.ts) OVER (PARTITION BY tm.cluster, tm.tm_id)
  ),
  tm_conf AS (
    SELECT jt.cluster, jt.job_id,
      arg_max(t.slots, t.ts) AS slots, arg_max(t.framework_heap, t.ts) AS framework_heap, arg_max(t.task_heap, t.ts) AS task_heap,
      arg_max(t.framework_off_heap, t.ts) AS framework_off_heap, arg_max(t.task_off_heap, t.ts) AS task_off_heap,
      arg_max(t.managed, t.ts) AS managed, arg_max(t.metaspace, t.ts) AS metaspace, arg_max(t.network, t.ts) AS network,
      arg_max(t.jvm_max_heap, t.ts) AS jvm_max_heap
    FROM job_tms jt JOIN tm_latest t ON t.cluster = jt.cluster AND t.tm_id = jt.tm_id
    GROUP BY ALL
  ),
  placements_now AS (
    SELECT cluster, job_id, count(DISTINCT tm_id) AS n FROM (
      SELECT p.* FROM placements p JOIN sel USING (cluster, job_id)
      WHERE p.tm_id IS NOT NULL AND ${beforeEnd('p.ts')}
      QUALIFY p.ts = max(p.ts) OVER (PARTITION BY p.cluster, p.job_id, p.vertex_id)
    )
    GROUP BY ALL
  ),
  slots_now AS (
    SELECT s.cluster, s.job_id, count(DISTINCT s.tm_id) AS n FROM (
      SELECT * FROM tm_slots WHERE ${beforeEnd('ts')} QUALIFY ts = max(ts) OVER (PARTITION BY cluster, tm_id)
    ) s JOIN sel USING (cluster, job_id)
    GROUP BY ALL
  ),
  conf AS (
    SELECT c.cluster, sel.job_id,
      arg_max(c.value, c.ts) FILTER (WHERE c.key IN ('state.backend.type', 'state.backend') AND c.job_id <> '') AS job_backend,
      arg_max(c.value, c.ts) FILTER (WHERE c.key IN ('state.backend.type', 'state.backend') AND c.job_id = '') AS cluster_backend,
      arg_max(c.value, (c.job_id <> '')::INT * 1e15 + epoch_ms(c.ts)) FILTER (WHERE c.key = 'taskmanager.numberOfTaskSlots') AS slots_option
    FROM configs c JOIN sel ON c.cluster = sel.cluster AND (c.job_id = sel.job_id OR c.job_id = '')
    WHERE ${beforeEnd('c.ts')}
    GROUP BY ALL
  ),
  checkpoint_conf AS (
    SELECT k.cluster, k.job_id, arg_max(k.state_backend, k.ts) AS checkpoint_backend
    FROM job_checkpoint_configs k JOIN sel USING (cluster, job_id)
    WHERE k.state_backend IS NOT NULL AND ${beforeEnd('k.ts')}
    GROUP BY ALL
  ),
  job_type AS (
    SELECT o.cluster, o.job_id, arg_max(o.job_type, o.ts) AS job_type
    FROM job_observations o JOIN sel USING (cluster, job_id)
    WHERE o.job_type IS NOT NULL AND ${beforeEnd('o.ts')}
    GROUP BY ALL
  ),
  managed_seen AS (
    SELECT DISTINCT jt.cluster, jt.job_id FROM job_tms jt
    JOIN metric_samples s ON s.cluster = jt.cluster AND s.tm_id = jt.tm_id
    WHERE s.scope = 'taskmanager' AND s.metric = 'Status.Flink.Memory.Managed.Used' AND s.value > 0 AND ${beforeEnd('s.ts')}
  ),
  rocksdb_seen AS (
    SELECT DISTINCT s.cluster, s.job_id FROM metric_samples s JOIN sel USING (cluster, job_id) WHERE s.scope = 'subtask' AND s.metric LIKE '%.rocksdb.%'
  )
SELECT sel.cluster, sel.job_id, sel.name,
  tc.slots, tc.framework_heap::DOUBLE AS framework_heap, tc.task_heap::DOUBLE AS task_heap,
  tc.framework_off_heap::DOUBLE AS framework_off_heap, tc.task_off_heap::DOUBLE AS task_off_heap,
  tc.managed::DOUBLE AS managed, tc.metaspace::DOUBLE AS metaspace, tc.network::DOUBLE AS network, tc.jvm_max_heap::DOUBLE AS jvm_max_heap,
  coalesce(pn.n, sn.n) AS task_managers, c.slots_option,
  cc.checkpoint_backend, c.job_backend, c.cluster_backend, rs.job_id IS NOT NULL AS rocksdb_seen,
  ms.job_id IS NOT NULL AS managed_seen, jt.job_type
FROM sel
LEFT JOIN tm_conf tc USING (cluster, job_id)
LEFT JOIN placements_now pn USING (cluster, job_id)
LEFT JOIN slots_now sn USING (cluster, job_id)
LEFT JOIN conf c USING (cluster, job_id)
LEFT JOIN checkpoint_conf cc USING (cluster, job_id)
LEFT JOIN job_type jt USING (cluster, job_id)
LEFT JOIN managed_seen ms USING (cluster, job_id)
LEFT JOIN rocksdb_seen rs USING (cluster, job_id)
ORDER BY sel.cluster, sel.job_id`;
