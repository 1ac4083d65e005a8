import type { JobDeployment, JobSeries } from './job-series.ts';
import type { FeatureValues } from './feature-schema.ts';
import { networkNeedBytes } from './network-need.ts';
import { ewma, last, max, mean, quantiles, slope } from './series-stats.ts';

/** One job's features at one decision time, plus what the model's callers need beside the vector. */
export interface JobFeatures {
  jobId: string;
  /** Decision time: the end of the history the features were computed from, epoch ms. */
  at: number;
  historyHours: number;
  samples: number;
  deployment: JobDeployment;
  values: FeatureValues;
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
  const values: FeatureValues = {
    parallelism: d.parallelism,
    slotsPerTaskManager: d.slotsPerTaskManager,
    taskManagers: d.taskManagers,
    subtasksPerTaskManager: subtasksPerTm,
    rocksdb: d.stateBackend === 'rocksdb' ? 1 : 0,
    networkNeedBytes: networkNeedBytes(d.topology, d.slotsPerTaskManager),
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
    managedP50: quantiles(series.managedUsed, [0.5])[0]!,
    managedMax: max(series.managedUsed),
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
  return { jobId: series.jobId, at, historyHours: (at - t0) / HOUR_MS, samples: n, deployment: d, values };
}
