import { deriveJobManagerMemory } from '../flink/jobmanager-memory.ts';
import { MemorySize } from '../flink/memory-size.ts';
import { configForTaskManagerPools } from '../flink/taskmanager-config-for.ts';
import { deriveTaskManagerMemory } from '../flink/taskmanager-memory.ts';
import { resolveFlinkVersion } from '../flink/version.ts';
import { fromFlinkPools, toFlinkPools } from './flink-pools.ts';
import { POOL_NAMES, type PoolBytes } from '../optimizer/types.ts';
import { recommendationSchema, sumPools, type JobManagerPools, type Recommendation } from './recommendation.ts';

/**
 * A plausible, internally consistent recommendation for tests and examples (the real advisor
 * builds them from the model and optimizer): the current shape is derived from a process size
 * the way Flink does, the recommended config from flink/'s pools -> options.
 */
export interface SampleRecommendationOptions {
  jobId?: string;
  jobName?: string;
  cluster?: string;
  flinkVersion?: string;
  taskManagers?: number;
  currentProcessSize?: string;
  recommendedPools?: Partial<Record<keyof PoolBytes, string>>;
  withJobManager?: boolean;
}

const MIB = 1024 * 1024;

export function sampleRecommendation(options: SampleRecommendationOptions = {}): Recommendation {
  const version = resolveFlinkVersion(options.flinkVersion ?? '1.20');
  const current = fromFlinkPools(
    deriveTaskManagerMemory({ 'taskmanager.memory.process.size': options.currentProcessSize ?? '4096m' }, version),
  );
  const wanted = { taskHeap: '900m', managed: '700m', network: '96m', metaspace: '200m', ...options.recommendedPools };
  const recommended: PoolBytes = { ...current, overhead: 192 * MIB };
  for (const [pool, text] of Object.entries(wanted)) recommended[pool as keyof PoolBytes] = MemorySize.parse(text).toNumber();
  const processSize = sumPools;
  const taskManagers = options.taskManagers ?? 3;
  const saving = processSize(current) - processSize(recommended);

  const peaks = Object.fromEntries(
    (['taskHeap', 'managed', 'network', 'metaspace'] as const).map((p) => [p, Math.floor(recommended[p] * 0.7)]),
  );
  const predicted = Object.fromEntries(
    POOL_NAMES.map((p) => [p, { p50: Math.floor(recommended[p] * 0.6), p95: Math.floor(recommended[p] * 0.85) }]),
  );
  return recommendationSchema.parse({
    jobId: options.jobId ?? 'a3f1c2d4e5b60718293a4b5c6d7e8f90',
    jobName: options.jobName ?? 'orders-enrichment',
    cluster: options.cluster ?? 'prod-eu',
    flinkVersion: version.name,
    taskManagers,
    current: { pools: current, processSize: processSize(current) },
    recommended: {
      pools: recommended,
      processSize: processSize(recommended),
      flinkConfig: configForTaskManagerPools(toFlinkPools(recommended), version),
    },
    predicted,
    observedPeaks: peaks,
    evidence: {
      gcTimeRatio: 0.012,
      outOfMemoryErrors: [],
      networkFormula: '2 buffers x 64 remote channels + 8 floating x 4 gates + 2 x 4 outputs = 168 buffers x 32 KiB x 4 slots',
    },
    reasons: [
      `Task heap: live set after GC peaked at ${Math.round(peaks.taskHeap! / MIB)} MiB; p95 forecast ${Math.round(predicted.taskHeap!.p95 / MIB)} MiB.`,
      'GC time is 1.2% of wall time: the heap is not under pressure.',
      'No OutOfMemoryError in the job\'s exception history.',
    ],
    risk: { level: 'low', exceedProbability: 0.02, horizonHours: 24 },
    saving: { perTaskManager: saving, total: saving * taskManagers },
    ...(options.withJobManager === false ? {} : { jobManager: sampleJobManagerAdvice(version.name) }),
  });
}

function sampleJobManagerAdvice(flinkVersion: string) {
  const version = resolveFlinkVersion(flinkVersion);
  const toPools = (config: Record<string, string>): JobManagerPools => {
    const m = deriveJobManagerMemory(config, version);
    return { jvmHeap: m.jvmHeap.toNumber(), offHeap: m.offHeap.toNumber(), metaspace: m.metaspace.toNumber(), overhead: m.overhead.toNumber() };
  };
  const flinkConfig = { 'jobmanager.memory.heap.size': '512m', 'jobmanager.memory.jvm-metaspace.size': '192m' };
  const current = toPools({ 'jobmanager.memory.process.size': '1600m' });
  const recommended = toPools(flinkConfig);
  return {
    current: { pools: current, processSize: sumPools(current) },
    recommended: { pools: recommended, processSize: sumPools(recommended), flinkConfig },
    reasons: ['JobManager heap peaked at 301 MiB with 12 jobs tracked.'],
  };
}
