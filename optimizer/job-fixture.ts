import { OptimizerJob, type OptimizerInputText } from './types.ts';

type JobText = OptimizerInputText['jobs'][number];

/**
 * A job for tests, written as a person would write it in an input file: 2 TaskManagers of 2
 * slots, RocksDB (managed used), heap growing from a 700m peak to a 900m p95, and an
 * over-provisioned current shape (4288m per TaskManager).
 */
export function jobText(overrides: Partial<JobText> = {}): JobText {
  return {
    id: 'orders',
    cluster: 'orders',
    namespace: 'shop',
    taskManagers: 2,
    parallelism: 4,
    slotsPerTaskManager: 2,
    usesManaged: true,
    networkNeed: '40m',
    demand: {
      taskHeap: { observedPeak: '700m', p50: '750m', p95: '900m' },
      managed: { observedPeak: '300m', p50: '320m', p95: '400m' },
      metaspace: { observedPeak: '100m', p50: '100m', p95: '100m' },
      taskOffHeap: { observedPeak: 0, p50: 0, p95: 0 },
    },
    current: {
      frameworkHeap: '128m',
      taskHeap: '2g',
      frameworkOffHeap: '128m',
      taskOffHeap: 0,
      managed: '1g',
      network: '256m',
      metaspace: '256m',
      overhead: '448m',
    },
    ...overrides,
  };
}

export function jobFixture(overrides: Partial<JobText> = {}): OptimizerJob {
  return OptimizerJob.parse(jobText(overrides));
}
