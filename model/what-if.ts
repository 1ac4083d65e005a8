import type { JobFeatures } from '../features/job-features.ts';
import type { PredictedPool } from '../features/job-series.ts';
import { exactNetworkNeed, type JobTopology } from '../flink/network-need.ts';
import type { Quantiles, WhatIf } from './types.ts';

/** JVM heap Flink itself takes per TaskManager whatever the job does (framework heap default). */
const fixedHeapBytes = 128 * 1024 * 1024;

export interface Deployed {
  parallelism: number;
  taskManagers: number;
  network: Quantiles;
  pools: Record<PredictedPool, Quantiles>;
  reasons: string[];
}

/**
 * Moves a per-TaskManager prediction to another parallelism and/or load the way Flink's
 * mechanics say. Keyed state and in-flight records spread over the TaskManagers, so a
 * TaskManager's heap above Flink's fixed part scales with its share of the job (old TMs / new TMs)
 * and with load; managed memory (RocksDB) and direct buffers are reserved per slot, so they scale
 * with subtasks per TaskManager; metaspace is per JVM and stays; network is recomputed exactly
 * from the topology at the new parallelism.
 */
export function applyWhatIf(features: JobFeatures, pools: Record<PredictedPool, Quantiles>, whatIf: WhatIf): Deployed {
  const d = features.deployment;
  const parallelism = whatIf.parallelism ?? d.parallelism;
  const load = whatIf.loadFactor ?? 1;
  if (!(Number.isInteger(parallelism) && parallelism >= 1)) throw new RangeError(`parallelism must be a positive integer, got ${parallelism}`);
  if (!(load > 0)) throw new RangeError(`load factor must be positive, got ${load}`);
  const slots = d.slotsPerTaskManager;
  // A job may run on more TaskManagers than its slots need (a session cluster, several slot-sharing
  // groups): keep its real count, and move it in proportion when the parallelism changes.
  const taskManagers =
    parallelism === d.parallelism
      ? d.taskManagers
      : Math.max(1, Math.round((d.taskManagers * Math.ceil(parallelism / slots)) / Math.ceil(d.parallelism / slots)));
  const share = d.taskManagers / taskManagers;
  const slotRatio = Math.min(parallelism, slots) / Math.min(d.parallelism, slots);
  const heapScale = share * load;
  const scaleAbove = (q: Quantiles, fixed: number, k: number): Quantiles => ({
    p50: Math.min(q.p50, fixed) + Math.max(0, q.p50 - fixed) * k,
    p95: Math.min(q.p95, fixed) + Math.max(0, q.p95 - fixed) * k,
  });
  const network = exactNetworkNeed(withParallelism(d.topology, parallelism), { slotsPerTaskManager: slots }).desirableBytes;
  const reasons: string[] = [];
  if (parallelism !== d.parallelism || load !== 1) {
    reasons.push(
      `what-if: parallelism ${d.parallelism} -> ${parallelism} (${d.taskManagers} -> ${taskManagers} TaskManagers), load x${load}; ` +
        `heap above Flink's fixed part scaled x${heapScale.toFixed(3)}, managed and direct x${slotRatio.toFixed(3)} (subtasks per TaskManager), metaspace unchanged`,
    );
  }
  return {
    parallelism,
    taskManagers,
    network: { p50: network, p95: network },
    pools: {
      heap: scaleAbove(pools.heap, fixedHeapBytes, heapScale),
      managed: scaleAbove(pools.managed, 0, slotRatio),
      metaspace: pools.metaspace,
      direct: scaleAbove(pools.direct, 0, slotRatio),
    },
    reasons,
  };
}

/** The same topology with every vertex at `parallelism` (a what-if on the whole job), keeping vertices pinned at 1 (e.g. a global sink). */
export function withParallelism(topology: JobTopology, parallelism: number): JobTopology {
  const highest = Math.max(...topology.vertices.map((v) => v.parallelism));
  return {
    edges: topology.edges,
    vertices: topology.vertices.map((v) => ({
      ...v,
      parallelism: v.parallelism === 1 && highest > 1 ? 1 : Math.max(1, Math.round((v.parallelism * parallelism) / highest)),
    })),
  };
}
