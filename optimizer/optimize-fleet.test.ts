import { describe, expect, it } from 'vitest';
import { MemorySize } from '../flink/memory-size.ts';
import { deriveTaskManagerMemory } from '../flink/taskmanager-memory.ts';
import { resolveFlinkVersion } from '../flink/version.ts';
import { jobText } from './job-fixture.ts';
import { optimizeFleet } from './optimize-fleet.ts';
import { syntheticFleet } from './synthetic-fleet.ts';
import { OptimizerInput, POOL_NAMES, type OptimizerInputText, type PoolBytes } from './types.ts';

const MiB = 1024 * 1024;
const m = (mebibytes: number) => mebibytes * MiB;

/** Heap state, no growth: exactly one new shape, worked out by hand in the first test. */
const steady = jobText({
  id: 'steady',
  cluster: 'steady',
  namespace: 'web',
  usesManaged: false,
  demand: {
    taskHeap: { observedPeak: '1000m', p50: '1000m', p95: '1000m' },
    managed: { observedPeak: 0, p50: 0, p95: 0 },
    metaspace: { observedPeak: '100m', p50: '100m', p95: '100m' },
    taskOffHeap: { observedPeak: 0, p50: 0, p95: 0 },
  },
});
/** RocksDB, growing: heap 700m peak -> 900m p95, managed 300m -> 400m (see job-fixture.ts). */
const orders = jobText();

function plan(jobs: OptimizerInputText['jobs'], budgets: OptimizerInputText['budgets'] = [], options = {}) {
  return optimizeFleet(OptimizerInput.parse({ jobs, budgets }), options);
}

function rederived(config: Record<string, string>, version?: string): PoolBytes {
  const derived = deriveTaskManagerMemory(config, resolveFlinkVersion(version));
  return Object.fromEntries(POOL_NAMES.map((p) => [p, Number(derived[p].bytes)])) as PoolBytes;
}

describe('optimizeFleet on hand-checked instances', () => {
  it('sizes a steady heap job: 1008m heap, no managed, 48m network, 112m metaspace, 192m overhead', async () => {
    const result = await plan([steady]);
    const job = result.jobs[0]!;
    // flink = 128 + 1008 + 128 + 0 + 0 + 48 = 1312m; overhead = max(192m, (1312m + 112m) / 9) = 192m.
    expect(job.recommended.pools).toEqual({
      frameworkHeap: m(128),
      taskHeap: m(1008),
      frameworkOffHeap: m(128),
      taskOffHeap: 0,
      managed: 0,
      network: m(48),
      metaspace: m(112),
      overhead: m(192),
    });
    expect(job.recommended.processSize).toBe(m(1616));
    expect(job.recommended.taskManagers).toBe(2);
    expect(job.change).toBe(true);
    expect(job.current.memory).toBe(2 * m(4288));
    expect(result.totals).toEqual({ before: 2 * m(4288), after: 2 * m(1616) });
    expect(job.belowP95).toEqual([]);
    expect(rederived(job.recommended.flinkConfig)).toEqual(job.recommended.pools);
  });

  it('covers every p95 when the budget allows it', async () => {
    // orders at p95: heap 912m, managed 400m -> process 1920m; steady 1616m; 2 TMs each.
    const result = await plan([steady, orders], [{ name: 'all', total: `${2 * 1616 + 2 * 1920}m` }]);
    expect(result.feasible).toBe(true);
    expect(result.belowP95).toEqual([]);
    expect(result.jobs[1]!.recommended.pools).toMatchObject({ taskHeap: m(912), managed: m(400) });
    expect(result.budgets[0]).toMatchObject({ after: m(7072), minimalFeasible: m(6464), feasible: true });
    // The budget holds exactly every job's cheapest shape: it does not bind, so no solver runs.
    expect(result.solver).toMatchObject({ solver: 'independent', status: 'optimal (budgets not binding)' });
  });

  it('trades p95 cover for the budget where it costs least, and says which job runs below p95', async () => {
    // 6800m leaves orders 1784m per TM: heap + managed <= 1176m, best 1168m, 132m below the 900m + 400m p95s.
    const result = await plan([steady, orders], [{ name: 'all', total: '6800m' }]);
    expect(result.feasible).toBe(true);
    expect(result.totals.after).toBe(m(6784));
    expect(result.belowP95).toEqual(['orders']);
    const short = result.jobs[1]!.belowP95.reduce((s, x) => s + x.shortBy, 0);
    expect(short).toBe(m(132));
    expect(result.solver.gap).toBeLessThanOrEqual(1e-3);
  });

  it('takes every cheapest shape without HiGHS when no budget binds, and goes to HiGHS when one does', async () => {
    const roomy = await plan([steady, orders], [{ name: 'all', total: '100g' }]);
    expect(roomy.solver).toMatchObject({ solver: 'independent', status: 'optimal (budgets not binding)', gap: 0, variables: 0 });
    const tight = await plan([steady, orders], [{ name: 'all', total: '6800m' }]);
    expect(tight.solver.solver).toBe('highs');
    expect(tight.solver.variables).toBeGreaterThan(0);
    // Unbound, each job gets at least the memory it gets under the binding budget.
    expect(roomy.totals.after).toBeGreaterThan(tight.totals.after);
  });

  it('reports an infeasible budget with the smallest budget that fits and the jobs below p95', async () => {
    const result = await plan([steady, orders], [{ name: 'all', total: '6000m' }]);
    expect(result.feasible).toBe(false);
    expect(result.budgets[0]).toMatchObject({ total: m(6000), minimalFeasible: m(6464), after: m(6464), feasible: false });
    expect(result.belowP95).toEqual(['orders']);
    // Never below an observed peak, even then.
    expect(result.jobs[1]!.recommended.pools).toMatchObject({ taskHeap: m(704), managed: m(304) });
  });

  it('lets a namespace budget bind only its own jobs', async () => {
    const result = await plan(
      [steady, orders],
      [
        { name: 'shop', namespace: 'shop', total: '3300m' },
        { name: 'web', clusters: ['steady'], total: '100g' },
      ],
    );
    expect(result.budgets.map((b) => b.jobs)).toEqual([1, 1]);
    expect(result.jobs[1]!.recommended.memory).toBeLessThanOrEqual(m(3300));
    expect(result.jobs[0]!.recommended.processSize).toBe(m(1616));
  });
});

describe('the change cost', () => {
  // The default 1728m TaskManager, pool for pool as Flink derives it (note the odd bytes).
  const flinkDefault = {
    frameworkHeap: '128m',
    taskHeap: '402653174b',
    frameworkOffHeap: '128m',
    taskOffHeap: 0,
    managed: '536870920b',
    network: '134217730b',
    metaspace: '256m',
    overhead: '192m',
  };
  const legacy = jobText({
    id: 'legacy',
    taskManagers: 1,
    parallelism: 1,
    slotsPerTaskManager: 1,
    networkNeed: '100m',
    current: flinkDefault,
    demand: {
      taskHeap: { observedPeak: '350m', p50: '360m', p95: '380m' },
      managed: { observedPeak: '400m', p50: '450m', p95: '500m' },
      metaspace: { observedPeak: '200m', p50: '200m', p95: '200m' },
      taskOffHeap: { observedPeak: 0, p50: 0, p95: 0 },
    },
  });

  it('keeps a safe current shape when a restart would save less than it costs', async () => {
    const job = (await plan([legacy])).jobs[0]!;
    expect(job.change).toBe(false);
    expect(job.recommended.processSize).toBe(m(1728));
    expect(rederived(job.recommended.flinkConfig)).toEqual(OptimizerInput.parse({ jobs: [legacy] }).jobs[0]!.current);
  });

  it('proposes the restart once it is cheap enough (64m saved)', async () => {
    const job = (await plan([legacy], [], { changeCost: m(32) })).jobs[0]!;
    expect(job.change).toBe(true);
    expect(job.recommended.processSize).toBe(m(1664));
  });
});

describe('the round trip through flink/', () => {
  it('exports keys that re-derive every recommended pool, on every Flink line', async () => {
    const versions = ['1.10', '1.15', '1.17', '1.20', '2.0', undefined];
    const jobs = syntheticFleet(24, 3).map((job, i) => ({ ...job, flinkVersion: versions[i % versions.length] }));
    const result = await plan(jobs, [{ name: 'fleet', total: '1t' }]);
    for (const [i, job] of result.jobs.entries()) {
      const version = jobs[i]!.flinkVersion;
      expect(rederived(job.recommended.flinkConfig, version)).toEqual(job.recommended.pools);
      const derived = deriveTaskManagerMemory(job.recommended.flinkConfig, resolveFlinkVersion(version));
      expect(derived.totalProcess.equals(MemorySize.ofBytes(job.recommended.processSize))).toBe(true);
    }
  });

  it('still re-derives when merged over a user config with other memory keys', async () => {
    const job = (await plan([orders])).jobs[0]!;
    const userConfig = {
      'taskmanager.memory.process.size': '4g',
      'taskmanager.memory.managed.fraction': '0.6',
      'taskmanager.memory.network.fraction': '0.2',
      'taskmanager.memory.jvm-overhead.fraction': '0.3',
    };
    expect(rederived({ ...userConfig, ...job.recommended.flinkConfig })).toEqual(job.recommended.pools);
  });
});
