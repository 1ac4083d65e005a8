import { jobText } from './job-fixture.ts';
import type { OptimizerInputText } from './types.ts';

type JobText = OptimizerInputText['jobs'][number];
type GroupText = NonNullable<JobText['slotSharingGroups']>[number];

const flat = (size: string | number) => ({ observedPeak: size, p50: size, p95: size });

/**
 * A fine-grained job for tests: a 1-slot source group (0.5 core, 200m heap) and a 4-slot window
 * group (1 core, 400m heap, 300m managed for RocksDB); metaspace 100m per TaskManager.
 */
export function fineGrainedJobText(window: Partial<GroupText> = {}, overrides: Partial<JobText> = {}): JobText {
  return jobText({
    id: 'sessions',
    cluster: 'sessions',
    networkNeed: '16m',
    slotSharingGroups: [
      { name: 'source', slots: 1, cpuCores: 0.5, networkNeedPerSlot: '16m', demand: { taskHeap: flat('200m'), taskOffHeap: flat(0), managed: flat(0) } },
      { name: 'window', slots: 4, cpuCores: 1, networkNeedPerSlot: '32m', demand: { taskHeap: flat('400m'), taskOffHeap: flat(0), managed: flat('300m') }, ...window },
    ],
    ...overrides,
  });
}
