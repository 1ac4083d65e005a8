import type { JobDeployment, JobSeries } from './job-series.ts';
import type { FeatureValues } from './feature-schema.ts';
import { exactNetworkNeed } from '../flink/network-need.ts';
import { cyclicLiveSetPeak, ewma, last, liveSetPeak, max, mean, min, quantiles, slope } from './series-stats.ts';

/** One job's features at one decision time, plus what the model's callers need beside the vector. */
export interface JobFeatures {
  jobId: string;
  /** Decision time: the end of the history the features were computed from, epoch ms. */
  at: number;
  historyHours: number;
  samples: number;
  deployment: JobDeployment;
  values: FeatureValues;
  /** What the advisor's floors read beside the network's inputs (not part of the vector). */
  evidence: FloorEvidence;
}

/** Evidence the model's answer is checked against (model/demand-answer.ts), beside the feature vector. */
export interface FloorEvidence {
  /** The peak of a live set cycling within the hour (series-stats.ts cyclicLiveSetPeak); NaN when unknown or not needed. */
  cyclicLiveSetPeak: number;
  /** Least-squares rise of metaspace used over the samples below its limit, bytes per hour, 0 when flat or falling. */
  metaspaceGrowthPerHour: number;
  /** Metaspace used reached its limit: the JVM fails with OutOfMemoryError: Metaspace, and any need above it is hidden. */
  metaspaceAtLimit: boolean;
}

export interface FeatureOptions {
  /** EWMA smoothing factor for load, in (0, 1]; higher follows recent samples more. */
  ewmaAlpha: number;
}

export const defaultFeatureOptions: FeatureOptions = { ewmaAlpha: 0.1 };

const HOUR_MS = 3_600_000;

/** Features of a job from its history (all samples given are "known at decision time"). */
export function extractFeatures(series: JobSeries, options: FeatureOptions = defaultFeatureOptions): JobFeatures {
  const d = series.deployment;
  const n = series.t.length;
  if (n === 0) throw new Error(`job ${series.jobId}: no samples to compute features from`);
  const t0 = series.t[0]!;
  const at = series.t[n - 1]!;
  const [heapP05, heapP50, heapP95] = quantiles(series.heapUsed, [0.05, 0.5, 0.95]) as [number, number, number];
  const [gcP95] = quantiles(series.heapAfterGc, [0.95]) as [number];
  const hasAfterGc = Number.isFinite(gcP95);
  const subtasksPerTm = Math.min(d.parallelism, d.slotsPerTaskManager);
  const perSubtask = (a: Float64Array) => a.map((v) => v / d.parallelism);
  const records = perSubtask(series.recordsInPerSecond);
  const bytes = perSubtask(series.bytesInPerSecond);
  const stateNow = last(series.stateBytes);
  const days = series.t.map((t) => (t - t0) / (24 * HOUR_MS));
  const growth = stateNow > 0 ? slope(days, series.stateBytes) / stateNow : 0;
  const cache = blockCacheFill(series);
  const values: FeatureValues = {
    parallelism: d.parallelism,
    slotsPerTaskManager: d.slotsPerTaskManager,
    taskManagers: d.taskManagers,
    subtasksPerTaskManager: subtasksPerTm,
    rocksdb: d.stateBackend === 'rocksdb' ? 1 : 0,
    // What the buffer pools use when free (exclusive + floating): Flink's hard minimum is smaller.
    networkNeedBytes: d.topology.vertices.length > 0 ? exactNetworkNeed(d.topology, { slotsPerTaskManager: d.slotsPerTaskManager }).desirableBytes : 0,
    currentHeapBytes: d.current.heap,
    currentManagedBytes: d.current.managed,
    heapP05,
    heapP50,
    heapP95,
    heapMax: max(series.heapUsed),
    // Without a live-set signal, the median of heap used is the closest stand-in.
    heapAfterGcP95: hasAfterGc ? gcP95 : heapP50,
    heapAfterGcMax: hasAfterGc ? max(series.heapAfterGc) : heapP50,
    hasHeapAfterGc: hasAfterGc ? 1 : 0,
    liveSetPeak: liveSetPeak(series.t, series.heapUsed, series.heapAfterGc),
    // A heap whose lows sit at its size hides its need: the live set cannot be seen above -Xmx.
    heapFullShare: shareAtLeast(series.heapUsed, heapFullShare * d.current.heap),
    managedP50: quantiles(series.managedUsed, [0.5])[0]!,
    managedMax: max(series.managedUsed),
    hasBlockCacheMetrics: cache.samples > 0 ? 1 : 0,
    blockCacheUsagePeak: max(series.blockCacheUsage),
    blockCacheFullShare: cache.samples > 0 ? cache.full / cache.samples : 0,
    // Unknown counts as a perfect hit ratio: no evidence of a short cache.
    blockCacheHitRatioMin: Number.isFinite(min(series.blockCacheHitRatio)) ? min(series.blockCacheHitRatio) : 1,
    metaspaceP50: quantiles(series.metaspaceUsed, [0.5])[0]!,
    metaspaceMax: max(series.metaspaceUsed),
    directP50: quantiles(series.directUsed, [0.5])[0]!,
    directMax: max(series.directUsed),
    gcRatioMean: mean(series.gcTimeRatio),
    gcRatioP95: quantiles(series.gcTimeRatio, [0.95])[0]!,
    recordsPerSubtask: last(records),
    recordsPerSubtaskEwma: ewma(records, options.ewmaAlpha),
    recordsPerSubtaskP95: quantiles(records, [0.95])[0]!,
    bytesPerSubtask: last(bytes),
    bytesPerSubtaskEwma: ewma(bytes, options.ewmaAlpha),
    skewEwma: ewma(series.subtaskSkew, options.ewmaAlpha),
    skewMax: max(series.subtaskSkew),
    statePerTaskManagerBytes: stateNow / d.taskManagers,
    stateGrowthPerDay: growth,
  };
  // A metric a job never reported (e.g. no managed memory) counts as zero, never as NaN in a tensor.
  for (const key of Object.keys(values) as Array<keyof FeatureValues>) if (!Number.isFinite(values[key])) values[key] = 0;
  return { jobId: series.jobId, at, historyHours: (at - t0) / HOUR_MS, samples: n, deployment: d, values, evidence: floorEvidence(series) };
}

/** Metaspace used at or above this share of its configured size is at the limit (-XX:MaxMetaspaceSize). */
const metaspaceFullShare = 0.98;

function floorEvidence(series: JobSeries): FloorEvidence {
  const limit = metaspaceFullShare * series.deployment.current.metaspace;
  // Samples at the limit hide the need: the trend is read from the others.
  const below = series.metaspaceUsed.map((v) => (v < limit ? v : Number.NaN));
  const hours = series.t.map((t) => t / HOUR_MS);
  return {
    cyclicLiveSetPeak: cyclicLiveSetPeak(series.t, series.heapUsed, series.heapAfterGc),
    metaspaceGrowthPerHour: Math.max(0, slope(hours, below)),
    metaspaceAtLimit: max(series.metaspaceUsed) >= limit,
  };
}

/** A block cache at or above this share of its capacity is full: its usage is then its budget, not its need. */
export const blockCacheFullShare = 0.95;

/** Samples with a block cache figure, and how many of them found the cache full. */
function blockCacheFill(series: JobSeries): { samples: number; full: number } {
  let samples = 0;
  let full = 0;
  for (let i = 0; i < series.t.length; i++) {
    const usage = series.blockCacheUsage[i]!;
    if (!Number.isFinite(usage)) continue;
    samples++;
    if (usage >= blockCacheFullShare * series.blockCacheCapacity[i]!) full++;
  }
  return { samples, full };
}

/** Heap used at or above this share of the heap counts as a full heap. */
export const heapFullShare = 0.95;

function shareAtLeast(values: Float64Array, threshold: number): number {
  let n = 0;
  let hits = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    n++;
    if (v >= threshold) hits++;
  }
  return n === 0 ? 0 : hits / n;
}
