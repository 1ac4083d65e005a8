import type { JobTopology, ShipStrategy } from './job-series.ts';

/** Flink's network-buffer options (1.17-1.20 defaults; 2.0 fixes B and F at these values). */
export interface NetworkOptions {
  buffersPerChannel: number;
  floatingBuffersPerGate: number;
  segmentSizeBytes: number;
}

export const defaultNetworkOptions: NetworkOptions = { buffersPerChannel: 2, floatingBuffersPerGate: 8, segmentSizeBytes: 32 * 1024 };

/**
 * Network memory the busiest TaskManager needs, bytes: for every subtask it hosts, each input
 * gate wants channels*B + F buffers and each output partition subpartitions*B + F (Flink's
 * NettyShuffleUtils targets for pipelined-bounded streaming exchanges). With slot sharing and
 * slots filled one TaskManager at a time, the first TaskManager hosts min(p, slots) subtasks of
 * every vertex. Local channels are counted like remote ones, which over-states by at most
 * B buffers per local channel: the safe side for a hard requirement.
 */
export function networkNeedBytes(
  topology: JobTopology,
  slotsPerTaskManager: number,
  options: NetworkOptions = defaultNetworkOptions,
): number {
  const parallelism = new Map(topology.vertices.map((v) => [v.id, v.parallelism]));
  const p = (id: string): number => {
    const value = parallelism.get(id);
    if (value === undefined) throw new Error(`topology edge names unknown vertex ${id}`);
    return value;
  };
  const perSubtask = new Map<string, number>();
  const add = (vertex: string, segments: number) => perSubtask.set(vertex, (perSubtask.get(vertex) ?? 0) + segments);
  for (const edge of topology.edges) {
    const ps = p(edge.source);
    const pt = p(edge.target);
    add(edge.target, gateSegments(channels(edge.ship, pt, ps), options)); // input gate of each target subtask
    add(edge.source, gateSegments(channels(edge.ship, ps, pt), options)); // result partition of each source subtask
  }
  let segments = 0;
  for (const v of topology.vertices) segments += Math.min(v.parallelism, slotsPerTaskManager) * (perSubtask.get(v.id) ?? 0);
  return segments * options.segmentSizeBytes;
}

/** Channels (or subpartitions) one subtask at parallelism `own` has towards a side at parallelism `other`. */
function channels(ship: ShipStrategy, own: number, other: number): number {
  if (ship === 'FORWARD' && own === other) return 1;
  // A FORWARD edge across differing parallelism is executed as RESCALE.
  if (ship === 'FORWARD' || ship === 'RESCALE') return Math.ceil(other / own);
  return other;
}

function gateSegments(channelCount: number, options: NetworkOptions): number {
  return channelCount * options.buffersPerChannel + options.floatingBuffersPerGate;
}

/** The same topology with every vertex at `parallelism` (a what-if on the whole job), keeping vertices pinned at 1 (e.g. a global sink). */
export function withParallelism(topology: JobTopology, parallelism: number): JobTopology {
  const highest = Math.max(...topology.vertices.map((v) => v.parallelism));
  return {
    edges: topology.edges,
    vertices: topology.vertices.map((v) => ({
      id: v.id,
      parallelism: v.parallelism === 1 && highest > 1 ? 1 : Math.max(1, Math.round((v.parallelism * parallelism) / highest)),
    })),
  };
}
