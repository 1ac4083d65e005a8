import { describe, expect, it } from 'vitest';
import { deriveTaskManagerMemory } from '../flink/taskmanager-memory.ts';
import { resolveFlinkVersion } from '../flink/version.ts';
import { fineGrainedJobText } from './fine-grained-fixture.ts';
import { slotMixes, slotProfiles } from './fine-grained.ts';
import { optimizeFleet } from './optimize-fleet.ts';
import { formatPlan } from './plan-text.ts';
import { DEFAULT_OPTIONS, OptimizerInput, POOL_NAMES, SlotSharingGroupDemand, type OptimizerInputText } from './types.ts';

const MiB = 1024 * 1024;
const m = (mebibytes: number) => mebibytes * MiB;

function plan(jobs: OptimizerInputText['jobs'], budgets: OptimizerInputText['budgets'] = []) {
  return optimizeFleet(OptimizerInput.parse({ jobs, budgets }));
}

describe('slot profiles per slot-sharing group', () => {
  it('moves all pools of a group from the observed peak to p95 together, in whole units, heap never 0', () => {
    const group = SlotSharingGroupDemand.parse({
      name: 'g',
      slots: 2,
      cpuCores: 1,
      demand: {
        taskHeap: { observedPeak: 0, p50: 0, p95: 0 },
        taskOffHeap: { observedPeak: '10m', p50: '10m', p95: '40m' },
        managed: { observedPeak: '300m', p50: '310m', p95: '400m' },
      },
    });
    // targets: peak, p50, two steps (1/3, 2/3 of the way), p95
    expect(slotProfiles(group, true, DEFAULT_OPTIONS).map((p) => [p.taskHeap, p.taskOffHeap, p.managed].map((b) => b / MiB))).toEqual([
      [16, 16, 304],
      [16, 16, 320],
      [16, 32, 336],
      [16, 32, 368],
      [16, 48, 400],
    ]);
    expect(slotProfiles(group, false, DEFAULT_OPTIONS).every((p) => p.managed === 0)).toBe(true);
  });

  it('mixes 0..slots of each group, 1..max slots per TaskManager', () => {
    const group = (slots: number) => ({ slots }) as SlotSharingGroupDemand;
    expect(slotMixes([group(1), group(2)], 2)).toEqual([[0, 1], [0, 2], [1, 0], [1, 1]]);
  });

  it('rejects a group CPU Flink cannot take exactly', () => {
    expect(() => OptimizerInput.parse({ jobs: [fineGrainedJobText({ cpuCores: 0.0005 })] })).toThrow(/multiple of 0.001/);
  });
});

describe('optimizeFleet on a fine-grained job (hand-checked)', () => {
  it('carves all five slots out of one TaskManager and exports the profiles as code, the TaskManager as keys', async () => {
    const result = await plan([fineGrainedJobText()]);
    const job = result.jobs[0]!;
    expect(formatPlan(result)).toContain(`sessions: slot-sharing group profiles to set in the job's code (not config keys):\n  SlotSharingGroup.newBuilder("source")`);
    // Source slot 208m heap; window slots 400m heap + 304m managed. One TM with 1 source + 4 window slots:
    // heap 208 + 4 x 400 = 1808m, managed 4 x 304 = 1216m, CPU 0.5 + 4 = 4.5, network 16 + 4 x 32 = 144m,
    // flink = 128 + 128 + 1808 + 1216 + 144 = 3424m, + metaspace 112m = 3536m, overhead 3536 / 9 = 392.9 -> 400m.
    // Two TMs would pay framework, metaspace and overhead twice: one TM of 3936m is the least memory.
    expect(job.recommended.pools).toEqual({
      frameworkHeap: m(128),
      taskHeap: m(1808),
      frameworkOffHeap: m(128),
      taskOffHeap: 0,
      managed: m(1216),
      network: m(144),
      metaspace: m(112),
      overhead: m(400),
    });
    expect(job.recommended).toMatchObject({ processSize: m(3936), taskManagers: 1, slotsPerTaskManager: 5, memory: m(3936) });
    expect(job.recommended.flinkConfig['taskmanager.cpu.cores']).toBe('4.5');
    expect(job.recommended.slotSharingGroups).toEqual([
      {
        name: 'source',
        slots: 1,
        perTaskManager: 1,
        cpuCores: 0.5,
        profile: { taskHeap: m(208), taskOffHeap: 0, managed: 0 },
        code: 'SlotSharingGroup.newBuilder("source").setCpuCores(0.5).setTaskHeapMemoryMB(208).setTaskOffHeapMemoryMB(0).setManagedMemoryMB(0).build()',
      },
      {
        name: 'window',
        slots: 4,
        perTaskManager: 4,
        cpuCores: 1,
        profile: { taskHeap: m(400), taskOffHeap: 0, managed: m(304) },
        code: 'SlotSharingGroup.newBuilder("window").setCpuCores(1.0).setTaskHeapMemoryMB(400).setTaskOffHeapMemoryMB(0).setManagedMemoryMB(304).build()',
      },
    ]);
    expect(job.belowP95).toEqual([]);
    const derived = deriveTaskManagerMemory(job.recommended.flinkConfig, resolveFlinkVersion(undefined));
    for (const pool of POOL_NAMES) expect(Number(derived[pool].bytes)).toBe(job.recommended.pools[pool]);
  });

  it('shrinks the window profile under a budget and reports the shortfall per slot of that group', async () => {
    // Window heap grows 352m -> 400m. Heap 368m per window slot: total 1680m, flink 3296m, +112m,
    // overhead 378.7 -> 384m, process 3792m <= 3800m; 384m per slot would need 3872m.
    const growing = fineGrainedJobText({
      demand: { taskHeap: { observedPeak: '352m', p50: '352m', p95: '400m' }, taskOffHeap: { observedPeak: 0, p50: 0, p95: 0 }, managed: { observedPeak: '300m', p50: '300m', p95: '300m' } },
    });
    const result = await plan([growing], [{ name: 'all', total: '3800m' }]);
    const job = result.jobs[0]!;
    expect(job.recommended.processSize).toBe(m(3792));
    expect(job.recommended.slotSharingGroups?.[1]?.profile.taskHeap).toBe(m(368));
    expect(job.belowP95).toEqual([{ pool: 'taskHeap', slotSharingGroup: 'window', p95: m(400), size: m(368), shortBy: m(32) }]);
    expect(result.belowP95).toEqual(['sessions']);
  });

  it('keeps declared profiles and pools when a restart would save less than it costs', async () => {
    const current = {
      frameworkHeap: '128m',
      taskHeap: '1824m',
      frameworkOffHeap: '128m',
      taskOffHeap: 0,
      managed: '1216m',
      network: '144m',
      metaspace: '112m',
      overhead: '400m',
    };
    const declared = fineGrainedJobText({ current: { taskHeap: '400m', taskOffHeap: 0, managed: '304m' } }, { current, taskManagers: 1 });
    declared.slotSharingGroups![0]!.current = { taskHeap: '208m', taskOffHeap: 0, managed: 0 };
    const job = (await plan([declared])).jobs[0]!;
    expect(job.change).toBe(false);
    expect(job.recommended.processSize).toBe(m(3952));
    expect(job.recommended.flinkConfig['taskmanager.cpu.cores']).toBeUndefined();
    expect(job.recommended.slotSharingGroups?.map((g) => g.perTaskManager)).toEqual([undefined, undefined]);
  });
});
