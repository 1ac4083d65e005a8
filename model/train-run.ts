import { defaultFeatureOptions } from '../features/job-features.ts';
import { defaultTrainOptions } from './demand-model.ts';
import { loadHistories, type HistorySource } from './history-source.ts';
import { trainingExamples, type DecisionWindows } from './job-history.ts';
import type { DemandModel } from './model-dir.ts';
import { describeSelection, trainChosenModel, type KindChoice } from './model-selection.ts';
import type { BackendName } from './tf-backend.ts';
import { selectBackend } from './tf-backend.ts';

// bench/model.bench.ts reads the ensemble size from here.
export { defaultEnsemble } from './model-selection.ts';

export interface TrainRun {
  source: HistorySource;
  jobIds?: string[];
  windows: DecisionWindows;
  /** `auto`: train both kinds and keep the better on held-out jobs (model-selection.ts). */
  kind: KindChoice;
  backend?: BackendName;
  epochs?: number;
  /** Training seed (initial weights, row order); default defaultTrainOptions.seed. */
  seed?: number;
  /** Networks in the mlp's seed ensemble (default defaultEnsemble.mlp). */
  ensemble?: number;
  ewmaAlpha?: number;
  log?: (line: string) => void;
}

/** `fma train`: load histories (simulator, recordings or the store), build examples, train and calibrate (each candidate, with `auto`). */
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
  const model = await trainChosenModel(
    examples,
    {
      ...defaultTrainOptions,
      epochs: run.epochs ?? defaultTrainOptions.epochs,
      seed: run.seed ?? defaultTrainOptions.seed,
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
    },
    run.kind,
    run.ensemble,
  );
  if (model.meta.selection) run.log?.(`${describeSelection(model.meta.selection)} (${model.meta.selection.criterion})`);
  return { model, backend: backend.name, skipped: backend.skipped };
}
