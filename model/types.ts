import type { JobFeatures } from '../features/job-features.ts';
import type { PredictedPool } from '../features/job-series.ts';

/** A predicted demand interval for one pool of one TaskManager, bytes. */
export interface Quantiles {
  p50: number;
  p95: number;
}

/** The pools the model predicts, plus network, which comes from the topology formula (p50 = p95). */
export type DemandPool = PredictedPool | 'network';

/** What `predictDemand` returns for one job: per-TaskManager demand per pool and why. */
export interface DemandPrediction {
  jobId: string;
  /** TaskManagers the prediction assumes (changes under a parallelism what-if). */
  taskManagers: number;
  parallelism: number;
  pools: Record<DemandPool, Quantiles>;
  /** 'model' when the network answered; 'rule' when the conservative fallback did. */
  source: 'model' | 'rule';
  reasons: string[];
  /** Pools whose use keeps rising or sat at its hard limit (a leak): no size holds them for long. */
  unboundedGrowth: PredictedPool[];
}

/** One supervised example: a job's features at decision time and its true per-pool demand (peak over the horizon). */
export interface TrainingExample {
  features: JobFeatures;
  demand: Record<PredictedPool, number>;
}

/** A what-if: the same job at another parallelism and/or load. */
export interface WhatIf {
  parallelism?: number;
  loadFactor?: number;
}
