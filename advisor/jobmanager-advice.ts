import { deriveJobManagerMemory } from '../flink/jobmanager-memory.ts';
import { MemorySize } from '../flink/memory-size.ts';
import { resolveFlinkVersion } from '../flink/version.ts';
import { sumPools, type JobManagerAdvice, type JobManagerPools } from './recommendation.ts';
import type { JobManagerFacts } from './store-facts.ts';

const MiB = 1024 * 1024;
/** Heap used peaks at most this share of the heap: the JobManager's GC stays calm and it survives a burst of job submissions. */
const HEAP_PEAK_SHARE = 0.6;
const METASPACE_PEAK_SHARE = 0.8;
const MIN_HEAP = 256 * MiB;
const UNIT = 64 * MiB;
/** Fewer heap samples than this say too little about the JobManager to advise on it. */
const MIN_SAMPLES = 2;

const roundUp = (bytes: number, unit: number) => Math.ceil(bytes / unit) * unit;

/**
 * JobManager advice from its collected heap and metaspace use (only where /jobmanager/metrics was
 * collected): heap sized so the observed peak is 60% of it, metaspace raised only when its peak
 * passes 80%. The options are re-derived through flink/ so the pools shown are what Flink will make.
 */
export function jobManagerAdvice(facts: JobManagerFacts | undefined): JobManagerAdvice | undefined {
  if (!facts || facts.samples < MIN_SAMPLES) return undefined;
  const version = resolveFlinkVersion(facts.flinkVersion);
  if (!version.jobManagerModel) return undefined;
  const current = deriveJobManagerMemory(facts.config, version);
  const heap = Math.max(MIN_HEAP, roundUp(facts.heapUsedPeak / HEAP_PEAK_SHARE, UNIT));
  const metaspacePeak = facts.metaspaceUsedPeak ?? 0;
  const metaspace = Math.max(current.metaspace.toNumber(), roundUp(metaspacePeak / METASPACE_PEAK_SHARE, 16 * MiB));
  const flinkConfig = {
    'jobmanager.memory.heap.size': MemorySize.ofBytes(heap).toConfigString(),
    'jobmanager.memory.off-heap.size': current.offHeap.toConfigString(),
    'jobmanager.memory.jvm-metaspace.size': MemorySize.ofBytes(metaspace).toConfigString(),
  };
  const recommended = deriveJobManagerMemory(flinkConfig, version);
  const pools = (m: typeof current): JobManagerPools => ({
    jvmHeap: m.jvmHeap.toNumber(),
    offHeap: m.offHeap.toNumber(),
    metaspace: m.metaspace.toNumber(),
    overhead: m.overhead.toNumber(),
  });
  const mib = (bytes: number) => `${Math.round(bytes / MiB)} MiB`;
  const reasons = [
    `JobManager heap used peaked at ${mib(facts.heapUsedPeak)} over ${facts.samples} samples with ${facts.jobs} job(s): heap ${mib(heap)} keeps that peak at ${HEAP_PEAK_SHARE * 100}% of it (now ${mib(current.jvmHeap.toNumber())}).`,
  ];
  if (facts.metaspaceUsedPeak !== undefined) {
    reasons.push(`JobManager metaspace peaked at ${mib(facts.metaspaceUsedPeak)} of ${mib(current.metaspace.toNumber())}${metaspace > current.metaspace.toNumber() ? `: raised to ${mib(metaspace)}` : ': kept'}.`);
  }
  const currentPools = pools(current);
  const recommendedPools = pools(recommended);
  return {
    current: { pools: currentPools, processSize: sumPools(currentPools) },
    recommended: { pools: recommendedPools, processSize: sumPools(recommendedPools), flinkConfig },
    reasons,
  };
}
