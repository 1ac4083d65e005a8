import type { FloorEvidence, JobFeatures } from '../features/job-features.ts';
import { featureNames, type FeatureValues } from '../features/feature-schema.ts';
import type { JobDeployment } from '../features/job-series.ts';
import { Random } from '../simulator/random.ts';
import type { TrainingExample } from './types.ts';

const MiB = 1024 * 1024;

/**
 * Seeded feature/demand pairs with a known relation (demand = observed live set x noise), for
 * tests and benchmarks of the model machinery. Half the jobs run RocksDB with its block cache
 * metrics on (managed demand = the cache usage observed x noise), half the hashmap backend.
 * Real training data comes from the simulator.
 */
export function syntheticExamples(jobs: number, perJob: number, seed: number): TrainingExample[] {
  const rnd = new Random(seed);
  const out: TrainingExample[] = [];
  for (let j = 0; j < jobs; j++) {
    const parallelism = rnd.int(1, 32);
    const slots = rnd.pick([1, 2, 4]);
    const liveSet = rnd.between(200, 3000) * MiB;
    const managed = rnd.chance(0.5) ? rnd.between(100, 2000) * MiB : 0;
    const metaspace = rnd.between(80, 300) * MiB;
    const direct = rnd.between(50, 400) * MiB;
    for (let k = 0; k < perJob; k++) {
      const wobble = rnd.between(0.9, 1.1);
      const features = syntheticFeatures(`job-${seed}-${j}`, {
        parallelism,
        slots,
        historyHours: 24,
        values: {
          heapAfterGcMax: liveSet * wobble,
          liveSetPeak: liveSet * wobble,
          heapAfterGcP95: liveSet * wobble * 0.95,
          heapMax: liveSet * wobble * 1.8,
          heapP95: liveSet * wobble * 1.6,
          heapP50: liveSet * wobble * 1.2,
          managedMax: managed,
          managedP50: managed,
          rocksdb: managed > 0 ? 1 : 0,
          hasBlockCacheMetrics: managed > 0 ? 1 : 0,
          blockCacheUsagePeak: managed / slots,
          metaspaceMax: metaspace,
          metaspaceP50: metaspace * 0.98,
          directMax: direct * wobble,
          directP50: direct * 0.9,
        },
      });
      const noise = () => Math.exp(0.08 * (rnd.float() + rnd.float() + rnd.float() - 1.5) * 2);
      out.push({
        features,
        demand: { heap: liveSet * wobble * 1.1 * noise(), managed: managed * noise(), metaspace: metaspace * noise(), direct: direct * noise() },
      });
    }
  }
  return out;
}

/** A job's features with plausible defaults for every value not given. */
export function syntheticFeatures(
  jobId: string,
  options: { parallelism: number; slots: number; historyHours: number; values?: Partial<FeatureValues>; evidence?: Partial<FloorEvidence> },
): JobFeatures {
  const taskManagers = Math.ceil(options.parallelism / options.slots);
  const deployment: JobDeployment = {
    parallelism: options.parallelism,
    slotsPerTaskManager: options.slots,
    taskManagers,
    stateBackend: options.values?.rocksdb ? 'rocksdb' : 'hashmap',
    topology: {
      vertices: [
        { id: 'src', parallelism: options.parallelism },
        { id: 'agg', parallelism: options.parallelism },
      ],
      edges: [{ source: 'src', target: 'agg', shipStrategy: 'HASH' }],
    },
    current: { heap: 4096 * MiB, managed: 1024 * MiB, metaspace: 256 * MiB, direct: 512 * MiB, network: 128 * MiB },
  };
  const values = Object.fromEntries(featureNames.map((n) => [n, 0])) as FeatureValues;
  Object.assign(values, {
    parallelism: options.parallelism,
    slotsPerTaskManager: options.slots,
    taskManagers,
    subtasksPerTaskManager: Math.min(options.parallelism, options.slots),
    currentHeapBytes: deployment.current.heap,
    currentManagedBytes: deployment.current.managed,
    recordsPerSubtask: 1000,
    recordsPerSubtaskEwma: 1000,
    recordsPerSubtaskP95: 1500,
    skewEwma: 1.2,
    skewMax: 1.5,
    ...options.values,
  });
  const evidence: FloorEvidence = { cyclicLiveSetPeak: Number.NaN, metaspaceGrowthPerHour: 0, metaspaceAtLimit: false, ...options.evidence };
  return { jobId, at: 0, historyHours: options.historyHours, samples: Math.round(options.historyHours * 60), deployment, values, evidence };
}
