import { defaultFeatureOptions } from '../features/job-features.ts';
import { defaultTrainOptions, trainDemandModel } from './demand-model.ts';
import { loadHistories, type HistorySource } from './history-source.ts';
import { trainingExamples, type DecisionWindows } from './job-history.ts';
import type { DemandModel } from './model-dir.ts';
import type { BackendName } from './tf-backend.ts';
import { selectBackend } from './tf-backend.ts';

export interface TrainRun {
  source: HistorySource;
  jobIds?: string[];
  windows: DecisionWindows;
  kind: 'mlp' | 'linear';
  backend?: BackendName;
  epochs?: number;
  /** Training seed (initial weights, row order); default defaultTrainOptions.seed. */
  seed?: number;
  /** Networks in the seed ensemble (default defaultEnsemble for the kind). */
  ensemble?: number;
  ewmaAlpha?: number;
  log?: (line: string) => void;
}

/**
 * `fma train`'s seed ensemble: five networks average out how one seed happens to extrapolate (the
 * spread across seeds of a single network's held-out savings was tens of points); the linear
 * baseline's convex fit barely depends on the seed.
 */
export const defaultEnsemble = { mlp: 5, linear: 1 } as const;

/** `fma train`: load histories (simulator, recordings or the store), build examples, train and calibrate. */
export async function trainModel(run: TrainRun): Promise<{ model: DemandModel; backend: string; skipped: string[] }> {
  const backend = await selectBackend(run.backend);
  const ewmaAlpha = run.ewmaAlpha ?? defaultFeatureOptions.ewmaAlpha;
  run.log?.(`backend ${backend.name}${backend.skipped.length ? ` (skipped ${backend.skipped.join('; ')})` : ''}`);
  const loaded = await loadHistories(run.source, run.jobIds);
  const examples = trainingExamples(loaded.histories, run.windows, { ewmaAlpha });
  const w = run.windows;
  if (examples.length === 0) {
    throw new RangeError(
      `no decision points in ${loaded.description}: each job needs ${w.lookbackHours} h of lookback plus ${w.horizonHours} h of horizon (--lookback-hours, --horizon-hours)`,
    );
  }
  run.log?.(`${examples.length} examples from ${loaded.histories.length} jobs (${loaded.description})`);
  const model = await trainDemandModel(examples, {
    ...defaultTrainOptions,
    kind: run.kind,
    epochs: run.epochs ?? defaultTrainOptions.epochs,
    seed: run.seed ?? defaultTrainOptions.seed,
    ensemble: run.ensemble ?? defaultEnsemble[run.kind],
    // Shorter lookbacks (short recordings) lower the history the model insists on before it answers.
    minHistoryHours: Math.min(defaultTrainOptions.minHistoryHours, w.lookbackHours / 2),
    source: loaded.source,
    description: loaded.description,
    backend: backend.name,
    horizonHours: w.horizonHours,
    lookbackHours: w.lookbackHours,
    ewmaAlpha,
    onEpoch: (epoch, loss, val) => {
      if (epoch % 10 === 0) run.log?.(`epoch ${epoch}: loss ${loss.toFixed(4)} validation ${val.toFixed(4)}`);
    },
  });
  return { model, backend: backend.name, skipped: backend.skipped };
}
