import type { JobDeployment, PoolSizes } from './job-series.ts';

/** For tests: 2 TaskManagers of 2 slots running a two-vertex job (a -> b, hash-partitioned) at parallelism 4. */
export function testDeployment(stateBackend: JobDeployment['stateBackend'], current: PoolSizes): JobDeployment {
  return {
    parallelism: 4,
    slotsPerTaskManager: 2,
    taskManagers: 2,
    stateBackend,
    topology: { vertices: [{ id: 'a', parallelism: 4 }, { id: 'b', parallelism: 4 }], edges: [{ source: 'a', target: 'b', shipStrategy: 'HASH' }] },
    current,
  };
}
