import { describe, expect, it } from 'vitest';
import { exactNetworkNeed, operatorNetworkNeed, type JobTopology } from './network-need.ts';

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
});
