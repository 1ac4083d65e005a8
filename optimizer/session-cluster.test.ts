import { describe, expect, it } from 'vitest';
import { jobText } from './job-fixture.ts';
import { optimizeFleet } from './optimize-fleet.ts';
import { formatPlan } from './plan-text.ts';
import { shareBySlots } from './session-cluster.ts';
import { OptimizerInput, type OptimizerInputText } from './types.ts';

const MiB = 1024 * 1024;
const m = (mebibytes: number) => mebibytes * MiB;
const flat = (size: string | number) => ({ observedPeak: size, p50: size, p95: size });

/** Two jobs in session cluster 'shared' (2 slots per TM, the fixture's 4288m TaskManagers, 2 of them). */
const a = jobText({
  id: 'a',
  cluster: 'shared',
  parallelism: 3,
  usesManaged: false,
  networkNeed: '40m',
  demand: { taskHeap: flat('800m'), managed: flat(0), metaspace: flat('100m'), taskOffHeap: flat(0) },
});
const b = jobText({
  id: 'b',
  cluster: 'shared',
  parallelism: 1,
  usesManaged: true,
  networkNeed: '40m',
  demand: { taskHeap: flat('600m'), managed: flat('400m'), metaspace: flat('80m'), taskOffHeap: flat(0) },
});
const session = [{ name: 'shared', kind: 'session' as const }];

function plan(jobs: OptimizerInputText['jobs'], clusters: OptimizerInputText['clusters'], budgets: OptimizerInputText['budgets'] = []) {
  return optimizeFleet(OptimizerInput.parse({ jobs, budgets, clusters }));
}

describe('a session cluster (hand-checked)', () => {
  it('gives its jobs one shape that holds the heaviest two slots, and shares the memory by slots', async () => {
    const result = await plan([a, b], session);
    // Per slot: a 400m heap, 20m network; b 300m heap, 200m managed, 20m network. The worst TM holds two
    // of a's three slots: heap 800m, network 40m; managed: b's slot with one of a's, 200m -> 208m; metaspace
    // both jobs 180m -> 192m. flink = 256 + 800 + 208 + 48 = 1312m, +192m, overhead 192m: 1696m x ceil(4/2) = 2 TMs.
    const [pa, pb] = result.jobs;
    expect(pa!.recommended.pools).toEqual({
      frameworkHeap: m(128),
      taskHeap: m(800),
      frameworkOffHeap: m(128),
      taskOffHeap: 0,
      managed: m(208),
      network: m(48),
      metaspace: m(192),
      overhead: m(192),
    });
    expect(pb!.recommended.pools).toEqual(pa!.recommended.pools);
    expect(pb!.recommended.flinkConfig).toEqual(pa!.recommended.flinkConfig);
    expect(pa!.recommended).toMatchObject({ processSize: m(1696), taskManagers: 2, memory: m(2544) });
    expect(pb!.recommended).toMatchObject({ taskManagers: 2, memory: m(848) });
    expect([pa!.sessionCluster, pb!.sessionCluster]).toEqual(['shared', 'shared']);
    expect(result.sessionClusters).toEqual([
      {
        name: 'shared',
        jobs: ['a', 'b'],
        change: true,
        current: { taskManagers: 2, processSize: m(4288), memory: m(8576) },
        recommended: { taskManagers: 2, processSize: m(1696), memory: m(3392) },
      },
    ]);
    expect(result.totals).toEqual({ before: m(8576), after: m(3392) });
    expect(formatPlan(result)).toContain('session cluster shared (a, b): 2 x 4.2g -> 2 x 1.7g, restart');
  });

  it('plans the same jobs on their own TaskManagers when the cluster is not a session cluster', async () => {
    const own = await plan([a, { ...b, cluster: 'b-own' }], []);
    expect(own.sessionClusters).toEqual([]);
    expect(own.jobs.map((j) => j.recommended.taskManagers)).toEqual([2, 1]);
  });

  it('counts the whole cluster against a budget naming it, and reports one feasibility for it', async () => {
    const result = await plan([a, b], session, [{ name: 'q', clusters: ['shared'], total: '3g' }]);
    expect(result.budgets[0]).toMatchObject({ jobs: 2, minimalFeasible: m(3392), feasible: false, after: m(3392) });
  });

  it('rejects session jobs that disagree on the shared config', () => {
    expect(() => OptimizerInput.parse({ jobs: [a, { ...b, slotsPerTaskManager: 4 }], clusters: session })).toThrow(/disagree on slots per TaskManager/);
    expect(() => OptimizerInput.parse({ jobs: [a, { ...b, current: { ...b.current!, metaspace: '512m' } }], clusters: session })).toThrow(/current TaskManager pools/);
  });
});

describe('shareBySlots', () => {
  it('splits in proportion and adds up to the byte', () => {
    expect(shareBySlots(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(shareBySlots(2 ** 53 - 1, [3, 5]).reduce((x, y) => x + y, 0)).toBe(2 ** 53 - 1);
  });
});
