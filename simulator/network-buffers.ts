import { placedNetworkNeed, type JobTopology, type PlacedNetworkNeed } from '../flink/network-need.ts';
import type { Placement } from './physics.ts';
import type { JobSpec } from './types.ts';

/** The job graph as flink/network-need.ts takes it. */
export function topologyOf(job: JobSpec): JobTopology {
  return {
    vertices: job.vertices.map((v) => ({ id: v.id, parallelism: v.parallelism })),
    edges: job.vertices.flatMap((v) => v.inputs.map((input) => ({ source: input.vertexId, target: v.id, shipStrategy: input.ship }))),
  };
}

/**
 * Network buffers the subtasks placed on one TaskManager need (Flink's own arithmetic,
 * flink/network-need.ts): summed over the jobs placed there, with channels between subtasks of a
 * job on this TaskManager local. Subtask i of every vertex of a job runs in the job's slot i.
 */
export function bufferNeed(tmId: string, placements: readonly Placement[], segmentSize: number): PlacedNetworkNeed {
  const total = { buffers: 0, bytes: 0, desirableBuffers: 0, desirableBytes: 0, exclusiveBuffers: 0 };
  for (const job of new Set(placements.map((p) => p.job))) {
    const need = placedNetworkNeed(topologyOf(job), (_vertex, subtask) => job.slots[subtask]?.tmId === tmId, { segmentSize });
    for (const key of Object.keys(total) as Array<keyof typeof total>) total[key] += need[key];
  }
  return total;
}
