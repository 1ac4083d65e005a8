import { describe, expect, it } from 'vitest';
import { jobFixture } from '../optimizer/job-fixture.ts';
import { sessionClusterJob } from '../optimizer/session-cluster.ts';
import { sessionMemberDemand } from './session-demand.ts';

const MiB = 1024 * 1024;
const heap = (observedPeak: number, p95: number) => ({ observedPeak: observedPeak * MiB, p50: observedPeak * MiB, p95: p95 * MiB });

describe('sessionMemberDemand', () => {
  // Two jobs of one and three slots on a half-empty 8-slot TaskManager: both saw the TaskManager's heap.
  const a = jobFixture({ id: 'a', cluster: 's', parallelism: 1, slotsPerTaskManager: 8, demand: { ...jobFixture().demand, taskHeap: heap(1000, 1200), metaspace: heap(150, 200) } });
  const b = jobFixture({ id: 'b', cluster: 's', parallelism: 3, slotsPerTaskManager: 8, demand: { ...jobFixture().demand, taskHeap: heap(900, 1100), metaspace: heap(140, 180) } });
  const alone = jobFixture({ id: 'c', cluster: 'app' });
  const kinds = new Map([['s', 'session' as const]]);

  it("makes the optimizer's session sum come back to the largest TaskManager-level demand a member saw", () => {
    const [sa, sb, sc] = sessionMemberDemand([a, b, alone], kinds);
    const cluster = sessionClusterJob('s', [sa!, sb!]);
    expect(cluster.demand.taskHeap.observedPeak).toBeGreaterThanOrEqual(1000 * MiB);
    expect(cluster.demand.taskHeap.observedPeak).toBeLessThan(1001 * MiB);
    expect(cluster.demand.taskHeap.p95).toBeGreaterThanOrEqual(1200 * MiB);
    expect(cluster.demand.metaspace.observedPeak).toBeGreaterThanOrEqual(150 * MiB);
    expect(cluster.demand.metaspace.observedPeak).toBeLessThan(151 * MiB);
    // Without it the sum of slot shares undercuts what the TaskManager was seen to use.
    expect(sessionClusterJob('s', [a, b]).demand.taskHeap.observedPeak).toBeLessThan(1000 * MiB);
    // A job's own managed memory and the application cluster's job are left as they were.
    expect(sa!.demand.managed).toEqual(a.demand.managed);
    expect(sc).toBe(alone);
  });
});
