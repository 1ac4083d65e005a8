import type { Placement } from './physics.ts';
import type { JobSpec } from './types.ts';

/** Flink's streaming defaults (2.x hard-codes them): exclusive buffers per channel, floating per gate. */
const BUFFERS_PER_CHANNEL = 2;
const FLOATING_PER_GATE = 8;

export interface BufferNeed {
  /** Exclusive buffers of remote input channels: taken from the pool when tasks deploy. */
  exclusive: number;
  /** What the tasks cannot run without ("Insufficient number of network buffers" below it). */
  required: number;
  /** What they use when busy: full floating pools and partitions (section 4.3 of the memory model). */
  desirable: number;
}

/**
 * Network buffers the subtasks on one TaskManager need, from the job graph: one input gate per
 * consumed vertex with one channel per upstream subtask (one for FORWARD), where channels to
 * subtasks on the same TaskManager are local and take no exclusive buffers; one result partition
 * per consuming vertex with one subpartition per downstream subtask.
 */
export function bufferNeed(tmId: string, placements: readonly Placement[]): BufferNeed {
  let exclusive = 0;
  let required = 0;
  let desirable = 0;
  for (const { job, vertex, subtask } of placements) {
    for (const input of vertex.inputs) {
      const upstream = job.vertices.find((v) => v.id === input.vertexId)!;
      const remote = input.ship === 'FORWARD' ? (onTm(job, subtask % upstream.parallelism, tmId) ? 0 : 1) : remoteChannels(job, upstream.parallelism, tmId);
      exclusive += BUFFERS_PER_CHANNEL * remote;
      required += BUFFERS_PER_CHANNEL * remote + 1;
      desirable += BUFFERS_PER_CHANNEL * remote + FLOATING_PER_GATE;
    }
    for (const consumer of job.vertices) {
      const edge = consumer.inputs.find((i) => i.vertexId === vertex.id);
      if (!edge) continue;
      const subpartitions = edge.ship === 'FORWARD' ? 1 : consumer.parallelism;
      required += subpartitions + 1;
      desirable += subpartitions * BUFFERS_PER_CHANNEL + FLOATING_PER_GATE;
    }
  }
  return { exclusive, required, desirable };
}

function onTm(job: JobSpec, subtask: number, tmId: string): boolean {
  return job.slots[subtask]?.tmId === tmId;
}

/** Channels from the first `n` subtasks that cross to another TaskManager. */
function remoteChannels(job: JobSpec, n: number, tmId: string): number {
  let remote = 0;
  for (let j = 0; j < n; j++) if (!onTm(job, j, tmId)) remote++;
  return remote;
}
