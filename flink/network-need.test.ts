import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactNetworkNeed, operatorNetworkNeed, placedNetworkNeed, type JobTopology } from './network-need.ts';

const job: JobTopology = {
  vertices: [
    { id: 'src', parallelism: 4 },
    { id: 'map', parallelism: 4 },
    { id: 'agg', parallelism: 2 },
  ],
  edges: [
    { source: 'src', target: 'map', shipStrategy: 'FORWARD' },
    { source: 'map', target: 'agg', shipStrategy: 'HASH' },
  ],
};

describe('network need', () => {
  it('counts Flink\'s required buffers per TaskManager', () => {
    // src: out forward S=1 → 2; map: in forward N=1 → 3, out hash S=2 → 3; agg: in hash N=4 → 9.
    // 2 slots: min(2, p) subtasks of each vertex → 2·2 + 2·6 + 2·9 = 34 buffers.
    expect(exactNetworkNeed(job, { slotsPerTaskManager: 2 })).toEqual({
      buffers: 34, bytes: 34 * 32768, desirableBuffers: 2 * 10 + 2 * (10 + 12) + 2 * 16, desirableBytes: (20 + 44 + 32) * 32768,
    });
  });

  it('reproduces the operator\'s formula', () => {
    // src→map forward equal: 10 (each side); map→agg hash: map side 2·2+8=12, agg side 4·2+8=16.
    expect(operatorNetworkNeed(job, { slotsPerTaskManager: 2 })).toEqual({ buffers: 2 * (10 + 10 + 12 + 16), bytes: 96 * 32768 });
  });

  it('rejects edges to unknown vertices', () => {
    expect(() => exactNetworkNeed({ vertices: [], edges: [{ source: 'a', target: 'b', shipStrategy: 'HASH' }] })).toThrow(/does not list/);
  });

  it('counts a placed TaskManager: local channels take no exclusive buffers', () => {
    // Subtask i of every vertex in slot i; this TaskManager holds slots 0 and 1 of 4.
    const here = (_vertex: string, subtask: number) => subtask < 2;
    // src ×2: out forward S=1 → 2 each. map ×2: in forward, local → 0·2+1; out hash S=2 → 3.
    // agg ×2: in hash from 4 map subtasks, 2 of them remote → 2·2+1 = 5.
    expect(placedNetworkNeed(job, here)).toEqual({
      buffers: 2 * 2 + 2 * (1 + 3) + 2 * 5,
      bytes: 22 * 32768,
      // desirable: src 1·2+8; map 0+8 and 2·2+8; agg 2·2+8.
      desirableBuffers: 2 * 10 + 2 * (8 + 12) + 2 * 12,
      desirableBytes: 84 * 32768,
      exclusiveBuffers: 2 * 4,
    });
    // Only subtask 0 of agg here: all 4 map channels remote, exactly the unplaced worst case of one slot's agg.
    expect(placedNetworkNeed(job, (vertex, subtask) => vertex === 'agg' && subtask === 0).buffers).toBe(9);
    // The whole job on one TaskManager: every channel local.
    expect(placedNetworkNeed(job, () => true).exclusiveBuffers).toBe(0);
  });

  it('connects pointwise edges as Flink does (EdgeManagerBuildUtil)', () => {
    const rescale = (from: number, to: number): JobTopology => ({
      vertices: [{ id: 'a', parallelism: from }, { id: 'b', parallelism: to }],
      edges: [{ source: 'a', target: 'b', shipStrategy: 'RESCALE' }],
    });
    const only = (vertex: string, index: number) => (v: string, i: number) => v === vertex && i === index;
    // 3 → 2: target 0 reads source 0, target 1 reads sources 1 and 2 (all remote here).
    expect(placedNetworkNeed(rescale(3, 2), only('b', 0)).exclusiveBuffers).toBe(2);
    expect(placedNetworkNeed(rescale(3, 2), only('b', 1)).exclusiveBuffers).toBe(4);
    // 2 → 3: source 0 feeds targets 0 and 1 (S = 2 → 3 required), source 1 feeds target 2 (S = 1 → 2).
    expect(placedNetworkNeed(rescale(2, 3), only('a', 0)).buffers).toBe(3);
    expect(placedNetworkNeed(rescale(2, 3), only('a', 1)).buffers).toBe(2);
    // FORWARD between different parallelisms is pointwise too.
    const forward = { ...rescale(2, 3), edges: [{ source: 'a', target: 'b', shipStrategy: 'FORWARD' }] };
    expect(placedNetworkNeed(forward, only('a', 0))).toEqual(placedNetworkNeed(rescale(2, 3), only('a', 0)));
  });

  it('never needs more than the unplaced worst case for as many subtasks per vertex', () => {
    const ships = ['FORWARD', 'RESCALE', 'HASH', 'REBALANCE', 'BROADCAST'];
    const arbitrary = fc
      .record({
        parallelisms: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 2, maxLength: 5 }),
        ships: fc.array(fc.constantFrom(...ships), { minLength: 4, maxLength: 4 }),
        taskManagers: fc.integer({ min: 1, max: 6 }),
        seed: fc.integer(),
      });
    fc.assert(
      fc.property(arbitrary, ({ parallelisms, ships: shipOf, taskManagers, seed }) => {
        const topology: JobTopology = {
          vertices: parallelisms.map((p, i) => ({ id: `v${i}`, parallelism: p })),
          edges: parallelisms.slice(1).map((_, i) => ({ source: `v${i}`, target: `v${i + 1}`, shipStrategy: shipOf[i]! })),
        };
        // An arbitrary placement: each subtask on one of the TaskManagers.
        const tmOf = (vertex: string, subtask: number) => Math.abs((seed ^ (Number(vertex.slice(1)) * 7919 + subtask * 104729)) % taskManagers);
        for (let tm = 0; tm < taskManagers; tm++) {
          const placed = placedNetworkNeed(topology, (v, i) => tmOf(v, i) === tm);
          const hostedMost = Math.max(...topology.vertices.map((v) => Array.from({ length: v.parallelism }, (_, i) => tmOf(v.id, i)).filter((t) => t === tm).length));
          const worst = exactNetworkNeed(topology, { slotsPerTaskManager: Math.max(1, hostedMost) });
          if (placed.buffers > worst.buffers || placed.desirableBuffers > worst.desirableBuffers) return false;
          if (placed.exclusiveBuffers > placed.buffers) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
