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
    // The application cluster's job is left as it was.
    expect(sc).toBe(alone);
  });

  it("gives every slot the largest member's managed share, even when RocksDB jobs fill fewer slots than a TaskManager has", () => {
    // Flink splits managed memory evenly over the slots: a 1-slot RocksDB job that needed 4 GiB per
    // TaskManager (1 GiB per slot) needs 4 GiB in the shared shape, whatever the other jobs use.
    const managed = { observedPeak: 4096 * MiB, p50: 3000 * MiB, p95: 4096 * MiB };
    const none = { observedPeak: 0, p50: 0, p95: 0 };
    const rocks = jobFixture({ id: 'r', cluster: 's', parallelism: 1, slotsPerTaskManager: 4, demand: { ...jobFixture().demand, managed } });
    const heapOnly = jobFixture({ id: 'h', cluster: 's', parallelism: 2, slotsPerTaskManager: 4, usesManaged: false, demand: { ...jobFixture().demand, managed: none } });
    expect(sessionClusterJob('s', [rocks, heapOnly]).demand.managed.observedPeak).toBeLessThan(4096 * MiB);
    const cluster = sessionClusterJob('s', sessionMemberDemand([rocks, heapOnly], kinds));
    expect(cluster.demand.managed.observedPeak).toBeGreaterThanOrEqual(4096 * MiB);
    expect(cluster.demand.managed.observedPeak).toBeLessThan(4097 * MiB);
    expect(cluster.demand.managed.p95).toBeGreaterThanOrEqual(4096 * MiB);
    expect(cluster.usesManaged).toBe(true);
  });
});
