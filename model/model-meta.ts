import { z } from 'zod';
import { predictedPools } from '../features/job-series.ts';

/** Bumped when meta.json or the network's inputs/outputs change incompatibly. */
export const modelFormatVersion = 2;

const perPool = <T extends z.ZodType>(value: T) =>
  z.object({ heap: value, managed: value, metaspace: value, direct: value });

export const poolMetricsSchema = z.object({
  /** Mean absolute error of p50, bytes. */
  maeBytes: z.number(),
  /** Mean pinball loss in log space, at p50 and p95. */
  pinballP50: z.number(),
  pinballP95: z.number(),
  /** Fraction of examples whose true demand was <= the model's calibrated p95. */
  coverageP95: z.number(),
  examples: z.number().int(),
  /** Jobs those examples came from: the units calibration counts (absent in models calibrated before). */
  jobs: z.number().int().optional(),
});
export type PoolMetrics = z.infer<typeof poolMetricsSchema>;

/** meta.json: everything beside the weights that is needed to use the model and to trust it. */
export const modelMetaSchema = z.object({
  format: z.literal(modelFormatVersion),
  kind: z.enum(['mlp', 'linear']),
  createdAt: z.string(),
  /** What the model learned from, in words a person reads in `fma evaluate` and reports. */
  trainedOn: z.object({
    source: z.string(),
    description: z.string(),
    jobs: z.number().int(),
    examples: z.number().int(),
    /** sha256 over the training matrix and targets: two models with the same fingerprint saw the same data. */
    fingerprint: z.string(),
    /** The command that trained it, as typed (shipped models: how to retrain them). */
    command: z.string().optional(),
  }),
  features: z.array(z.object({ name: z.string(), transform: z.enum(['log', 'raw']) })),
  pools: z.array(z.enum(predictedPools)),
  levels: z.array(z.number()),
  hidden: z.array(z.number().int()),
  inputNormalization: z.object({ mean: z.array(z.number()), std: z.array(z.number()) }),
  /** Targets are ln(1 + demand) - ln(1 + anchor) (features/feature-schema.ts anchorBytes), standardized per pool. */
  targetNormalization: z.object({ mean: z.array(z.number()), std: z.array(z.number()) }),
  /** Split-conformal shift added to each pool's ln(quantile), per level, so held-out coverage matches the level. */
  logShift: perPool(z.array(z.number())),
  /**
   * The shifts are tolerance limits counted in jobs (model/conformal.ts): with this confidence a new
   * job's expected coverage reaches each level (absent in models calibrated before: 0.5).
   */
  calibrationConfidence: z.number().optional(),
  /** Transformed feature range seen in training; inputs outside it (with a margin) fall back to the rule. */
  featureRange: z.object({ min: z.array(z.number()), max: z.array(z.number()) }),
  horizonHours: z.number(),
  /** Features are computed from this many hours before a decision. */
  lookbackHours: z.number(),
  minHistoryHours: z.number(),
  ewmaAlpha: z.number(),
  metrics: z.object({
    split: z.string(),
    pools: perPool(poolMetricsSchema.extend({ calibration: z.array(z.object({ level: z.number(), observed: z.number() })) })),
  }),
  /**
   * `seed` seeds the initial weights and the order rows are visited in: the same data, seed and
   * backend give the same weights (absent in models trained before training was seeded).
   */
  training: z.object({
    backend: z.string(),
    /** Over all members of a seed ensemble. */
    epochs: z.number().int(),
    seconds: z.number(),
    seed: z.number().int().optional(),
    /** A seed ensemble's networks (absent for a single network): each one's seed and epochs. */
    members: z.array(z.object({ seed: z.number().int(), epochs: z.number().int() })).optional(),
  }),
  /**
   * `fma train --kind auto` (model/model-selection.ts): each candidate kind's held-out score under
   * `criterion` (lower is better) and the one kept; `training.seconds` then covers every candidate.
   * Absent when a kind was asked for, and in models trained before.
   */
  selection: z
    .object({
      criterion: z.string(),
      candidates: z.array(z.object({ kind: z.enum(['mlp', 'linear']), score: z.number() })),
      chosen: z.enum(['mlp', 'linear']),
    })
    .optional(),
});
export type ModelMeta = z.infer<typeof modelMetaSchema>;
