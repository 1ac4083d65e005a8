import { predictedPools } from '../features/job-series.ts';
import { trainDemandModel, type TrainOptions } from './demand-model.ts';
import type { DemandModel } from './model-dir.ts';
import type { ModelMeta } from './model-meta.ts';

export const modelKinds = ['mlp', 'linear'] as const;
export type ModelKind = (typeof modelKinds)[number];
/** What `fma train --kind` accepts: a kind, or `auto` to train both and keep the better on held-out jobs. */
export type KindChoice = ModelKind | 'auto';

/**
 * `fma train`'s seed ensemble: five networks average out how one seed happens to extrapolate (the
 * spread across seeds of a single network's held-out savings was tens of points); the linear
 * baseline's convex fit barely depends on the seed.
 */
export const defaultEnsemble = { mlp: 5, linear: 1 } as const;

export const selectionCriterion =
  'mean over pools of the calibrated p95 pinball loss in ln space on the calibration jobs (examples the model answers, usesModelAnswer)';

/** `--kind`, with `--linear` as its old alias. */
export function parseKindChoice(kind: string | undefined, linear: boolean): KindChoice {
  if (linear && kind !== undefined && kind !== 'linear') throw new RangeError(`--linear means --kind linear; it contradicts --kind ${kind}`);
  const choice = linear ? 'linear' : (kind ?? 'auto');
  if (choice !== 'auto' && !modelKinds.includes(choice as ModelKind)) throw new RangeError(`--kind must be auto, mlp or linear, got '${choice}'`);
  return choice as KindChoice;
}

/**
 * A calibrated model's held-out score, lower is better: the p95 pinball loss of ln(demand) per
 * pool (scale-free across job sizes; p95 is the quantile the advisor sizes with), scored on the
 * calibration jobs where the model answers (meta.metrics.pools), averaged over pools.
 */
export function heldOutScore(meta: ModelMeta): number {
  return predictedPools.reduce((sum, pool) => sum + meta.metrics.pools[pool].pinballP95, 0) / predictedPools.length;
}

/** One line for logs: which kind was kept and every candidate's score. */
export function describeSelection(selection: NonNullable<ModelMeta['selection']>): string {
  return `kept ${selection.chosen} (held-out score ${selection.candidates.map((c) => `${c.kind} ${c.score.toFixed(4)}`).join(', ')})`;
}

/**
 * Trains the model `kind` asks for. `auto` trains every kind on the same split with the same seeds,
 * calibrates each, and keeps the lowest heldOutScore (ties: the first of modelKinds); the loser's
 * weights are freed. `ensemble` applies to the network (default defaultEnsemble).
 */
export async function trainChosenModel(
  examples: Parameters<typeof trainDemandModel>[0],
  options: Omit<TrainOptions, 'kind' | 'ensemble'>,
  kind: KindChoice,
  ensemble?: number,
): Promise<DemandModel> {
  const train = (k: ModelKind) => trainDemandModel(examples, { ...options, kind: k, ensemble: k === 'mlp' ? (ensemble ?? defaultEnsemble.mlp) : defaultEnsemble.linear });
  if (kind !== 'auto') return train(kind);
  const candidates: DemandModel[] = [];
  for (const k of modelKinds) candidates.push(await train(k));
  const scores = candidates.map((m) => heldOutScore(m.meta));
  const best = scores.indexOf(Math.min(...scores));
  const chosen = candidates[best]!;
  candidates.forEach((m, i) => i !== best && m.network.dispose());
  chosen.meta.selection = {
    criterion: selectionCriterion,
    candidates: candidates.map((m, i) => ({ kind: m.meta.kind, score: scores[i]! })),
    chosen: chosen.meta.kind,
  };
  chosen.meta.training.seconds = candidates.reduce((sum, m) => sum + m.meta.training.seconds, 0);
  return chosen;
}
