import { createHash } from 'node:crypto';
import { anchorBytes, featureSchema, writeFeatureVector } from '../features/feature-schema.ts';
import type { JobFeatures } from '../features/job-features.ts';
import { predictedPools, type PredictedPool } from '../features/job-series.ts';
import { demandFromLevels, perPool, usesModelAnswer } from './demand-answer.ts';
import { evaluatePool, type LevelPredictions } from './evaluation.ts';
import type { DemandModel } from './model-dir.ts';
import { modelFormatVersion, type ModelMeta } from './model-meta.ts';
import type * as tfl from '@tensorflow/tfjs-layers';
import { averageNetworks, buildNetwork, fitNetwork, runNetwork, type NetworkShape } from './quantile-network.ts';
import { groupConformalThreshold } from './conformal.ts';
import { splitOfJob, type SplitName } from './job-split.ts';
import { fitStandardizer, standardize, unstandardize } from './standardizer.ts';
import type { DemandPrediction, TrainingExample, WhatIf } from './types.ts';
import { defaultWindows } from './job-history.ts';

export interface TrainOptions {
  kind: 'mlp' | 'linear';
  hidden: number[];
  levels: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  patience: number;
  /** Seeds the initial weights and the order training rows are visited in (quantile-network.ts). */
  seed: number;
  /** Confidence of the conformal calibration's tolerance limits (conformal.ts); 0.5: expected coverage only. */
  calibrationConfidence: number;
  /** Networks in the seed ensemble (member k trained with seed + 1000 k); their quantiles are averaged, then calibrated. */
  ensemble: number;
  /** Below this much history a job gets the conservative rule instead of the model. */
  minHistoryHours: number;
  horizonHours: number;
  /** Hours of history features are computed from (default: defaultWindows). */
  lookbackHours?: number;
  ewmaAlpha: number;
  source: string;
  description: string;
  backend: string;
  onEpoch?: (epoch: number, loss: number, valLoss: number) => void;
}

export const defaultTrainOptions: Omit<TrainOptions, 'source' | 'description' | 'backend' | 'horizonHours' | 'lookbackHours' | 'ewmaAlpha'> = {
  kind: 'mlp',
  hidden: [64, 32],
  levels: [0.5, 0.9, 0.95, 0.99],
  epochs: 200,
  batchSize: 256,
  learningRate: 3e-3,
  patience: 40,
  seed: 1,
  ensemble: 1,
  calibrationConfidence: 0.9,
  minHistoryHours: 6,
};

const inputs = featureSchema.length;
const targets = predictedPools.length;

/** Fits the quantile network, stops early on held-out jobs and calibrates its quantiles on others. */
export async function trainDemandModel(examples: readonly TrainingExample[], options: TrainOptions): Promise<DemandModel> {
  const started = performance.now();
  const { splits, by } = splitExamples(examples);
  for (const [name, rows] of Object.entries(splits)) {
    if (rows.length === 0) throw new Error(`too few jobs to train: the ${name} split is empty (${examples.length} examples)`);
  }
  const raw = matrixOf(splits.train);
  const inputNorm = fitStandardizer(raw.x, inputs);
  const targetNorm = fitStandardizer(raw.y, targets);
  const prepare = (rows: TrainingExample[]) => {
    const m = matrixOf(rows);
    return { x: standardize(m.x, inputNorm), y: standardize(m.y, targetNorm) };
  };
  const shape: NetworkShape = { inputs, targets, levels: options.levels, hidden: options.kind === 'linear' ? [] : options.hidden };
  const train = prepare(splits.train);
  const validation = prepare(splits.validation);
  const members: Array<{ seed: number; epochs: number; network: tfl.LayersModel }> = [];
  for (let k = 0; k < options.ensemble; k++) {
    const seed = memberSeed(options.seed, k);
    const member = buildNetwork(shape, seed);
    const fit = await fitNetwork(member, shape, train, validation, { ...options, seed });
    members.push({ seed, epochs: fit.epochs, network: member });
  }
  const network = averageNetworks(members.map((m) => m.network), shape);
  // The average holds copies of the members' weights.
  if (members.length > 1) for (const m of members) m.network.dispose();
  const featureRange = rangeOf(raw.x);
  const meta: ModelMeta = {
    format: modelFormatVersion,
    kind: options.kind,
    createdAt: new Date().toISOString(),
    trainedOn: {
      source: options.source,
      description: options.description,
      jobs: new Set(examples.map((e) => e.features.jobId)).size,
      examples: examples.length,
      fingerprint: fingerprint(examples),
    },
    features: featureSchema.map((f) => ({ name: f.name, transform: f.transform })),
    pools: [...predictedPools],
    levels: options.levels,
    hidden: shape.hidden.slice(),
    inputNormalization: inputNorm,
    targetNormalization: targetNorm,
    logShift: perPool(() => options.levels.map(() => 0)),
    calibrationConfidence: options.calibrationConfidence,
    featureRange,
    horizonHours: options.horizonHours,
    lookbackHours: options.lookbackHours ?? defaultWindows.lookbackHours,
    minHistoryHours: options.minHistoryHours,
    ewmaAlpha: options.ewmaAlpha,
    metrics: { split: `calibration (by ${by})`, pools: perPool(() => ({ maeBytes: 0, pinballP50: 0, pinballP95: 0, coverageP95: 0, examples: 0, calibration: [] })) },
    training: {
      backend: options.backend,
      epochs: members.reduce((sum, m) => sum + m.epochs, 0),
      seconds: 0,
      seed: options.seed,
      ...(members.length > 1 ? { members: members.map(({ seed, epochs }) => ({ seed, epochs })) } : {}),
    },
  };
  const model: DemandModel = { network, meta };
  const calibration = splits.calibration;
  meta.logShift = conformalShifts(options.levels, networkLevels(model, calibration.map((e) => e.features)), calibration, options.calibrationConfidence);
  const calibrated = predictLevels(model, calibration.map((e) => e.features));
  meta.metrics.pools = perPool((pool) => {
    const rows = calibrationRows(calibration, pool);
    const scored = evaluatePool(options.levels, rows.map((i) => calibrated[i]![pool]), rows.map((i) => calibration[i]!.demand[pool]));
    return { ...scored, jobs: new Set(rows.map((i) => calibration[i]!.features.jobId)).size };
  });
  meta.training.seconds = (performance.now() - started) / 1000;
  return model;
}

type Splits = Record<SplitName, TrainingExample[]>;

/**
 * Examples split by job (no job in two splits). With too few jobs for that (a short recording of
 * a handful of jobs), each job's decisions are split in time instead: the earliest fit, later
 * ones stop early, the latest calibrate.
 */
function splitExamples(examples: readonly TrainingExample[]): { splits: Splits; by: 'job' | 'time' } {
  const byJob: Splits = { train: [], validation: [], calibration: [] };
  for (const e of examples) byJob[splitOfJob(e.features.jobId)].push(e);
  if (Object.values(byJob).every((rows) => rows.length > 0)) return { splits: byJob, by: 'job' };
  const byTime: Splits = { train: [], validation: [], calibration: [] };
  const jobs = new Map<string, TrainingExample[]>();
  for (const e of examples) jobs.set(e.features.jobId, [...(jobs.get(e.features.jobId) ?? []), e]);
  for (const rows of jobs.values()) {
    rows.sort((a, b) => a.features.at - b.features.at);
    rows.forEach((e, i) => {
      const u = (i + 0.5) / rows.length;
      byTime[u < 0.6 ? 'train' : u < 0.75 ? 'validation' : 'calibration'].push(e);
    });
  }
  return { splits: byTime, by: 'time' };
}

/**
 * The advisor's entry point: per job, per-TaskManager demand per pool (p50, p95 bytes) with
 * reasons. Jobs with too little history, or inputs outside the training range, get the
 * conservative rule and say so. `whatIf` moves the answer to another parallelism or load.
 */
export function predictDemand(model: DemandModel, features: readonly JobFeatures[], whatIf: WhatIf = {}): DemandPrediction[] {
  return demandFromLevels(model.meta, features, predictLevels(model, features), whatIf);
}

/**
 * The model's calibrated quantiles per pool for each job, bytes per TaskManager (no fallback, no
 * what-if): the network's, shifted by the calibration, and never below what the pool is known to
 * need (quantileFloor). The calibration is of this floored predictor (conformalShifts).
 */
export function predictLevels(model: DemandModel, features: readonly JobFeatures[]): LevelPredictions[] {
  return networkLevels(model, features).map((levels, i) => perPool((pool) => levels[pool].map((q) => Math.max(q, quantileFloor(features[i]!, pool)))));
}

/**
 * What a pool's quantiles are floored at, 0 for none. Managed memory of RocksDB with cache
 * metrics: the busiest slot's block cache usage x slots (below capacity it is the need already
 * seen; a full cache's need lies above it). The network's own quantile fell below it for a whole
 * held-out job (seed 2's `a7333eff`, flat at exactly that need: network p95 1-2% under it at every
 * decision), a miss no calibration on 15 jobs could see coming.
 */
function quantileFloor(f: JobFeatures, pool: PredictedPool): number {
  return pool === 'managed' && usesModelAnswer(f, pool) ? Math.ceil(anchorBytes(f.values, pool)) : 0;
}

/** The network's quantiles per pool, shifted by meta.logShift and sorted, before any floor. */
function networkLevels(model: DemandModel, features: readonly JobFeatures[]): LevelPredictions[] {
  const { meta } = model;
  const x = new Float32Array(features.length * inputs);
  features.forEach((f, i) => writeFeatureVector(f.values, x, i * inputs));
  standardize(x, meta.inputNormalization);
  const out = features.length === 0 ? new Float32Array(0) : runNetwork(model.network, x, inputs);
  const levels = meta.levels.length;
  return features.map((_, i) =>
    perPool((pool, t) => {
      const values = meta.levels.map((_, k) => {
        const z = out[(i * targets + t) * levels + k]!;
        const residual = unstandardize(z, meta.targetNormalization, t) + meta.logShift[pool][k]!;
        return Math.max(0, Math.expm1(residual + Math.log1p(anchorBytes(features[i]!.values, pool))));
      });
      // Quantiles of one distribution cannot cross: sort what the network gives.
      return values.sort((a, b) => a - b);
    }),
  );
}

/**
 * Split conformal: for each pool and level, the shift of ln(1 + quantile) that makes the share of
 * held-out truths at or below it reach the level. `predicted` are the network's unshifted,
 * unfloored quantiles; a truth at or below the pool's floor (quantileFloor) is covered whatever
 * the shift, its score -Infinity: the calibration is of the floored predictor predictLevels
 * gives. Examples of one job are strongly correlated, so jobs are the exchangeable units and the
 * finite-sample correction counts them (conformal.ts).
 * A pool is calibrated only on the examples whose answer the model gives (calibrationRows). For
 * managed memory those are few (RocksDB jobs with cache metrics: 15 of the shipped model's 90
 * calibration jobs), too few to vouch for p95 on their own; conformal.ts then widens the shift to
 * a tolerance limit.
 */
function conformalShifts(levels: readonly number[], predicted: LevelPredictions[], examples: readonly TrainingExample[], confidence: number) {
  return perPool((pool) => {
    const rows = calibrationRows(examples, pool);
    const jobs = rows.map((i) => examples[i]!.features.jobId);
    return levels.map((level, k) => {
      const residuals = rows.map((i) => {
        const { features, demand } = examples[i]!;
        const floor = quantileFloor(features, pool);
        return floor > 0 && demand[pool] <= floor ? Number.NEGATIVE_INFINITY : Math.log1p(demand[pool]) - Math.log1p(predicted[i]![pool][k]!);
      });
      return groupConformalThreshold(residuals, jobs, level, confidence);
    });
  });
}

/**
 * The calibration examples a pool is calibrated and scored on: those whose answer the model gives
 * (usesModelAnswer; the managed answer of hashmap jobs and of RocksDB jobs without cache metrics
 * is the rule's, and their residuals would only move everyone else's interval); all of them if
 * none.
 */
function calibrationRows(examples: readonly TrainingExample[], pool: PredictedPool): number[] {
  const own = examples.map((_, i) => i).filter((i) => usesModelAnswer(examples[i]!.features, pool));
  return own.length > 0 ? own : examples.map((_, i) => i);
}

/** Member k's seed: disjoint across training seeds below 1000, and the training seed itself for a single network. */
function memberSeed(seed: number, k: number): number {
  return seed + 1000 * k;
}

function matrixOf(rows: readonly TrainingExample[]): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(rows.length * inputs);
  const y = new Float32Array(rows.length * targets);
  rows.forEach((r, i) => {
    writeFeatureVector(r.features.values, x, i * inputs);
    predictedPools.forEach((pool, t) => (y[i * targets + t] = Math.log1p(r.demand[pool]) - Math.log1p(anchorBytes(r.features.values, pool))));
  });
  return { x, y };
}

function rangeOf(x: Float32Array): { min: number[]; max: number[] } {
  const min = new Array<number>(inputs).fill(Number.POSITIVE_INFINITY);
  const max = new Array<number>(inputs).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < x.length; i++) {
    const j = i % inputs;
    min[j] = Math.min(min[j]!, x[i]!);
    max[j] = Math.max(max[j]!, x[i]!);
  }
  return { min, max };
}

function fingerprint(examples: readonly TrainingExample[]): string {
  const { x, y } = matrixOf(examples);
  return `sha256:${createHash('sha256').update(new Uint8Array(x.buffer)).update(new Uint8Array(y.buffer)).digest('hex')}`;
}
