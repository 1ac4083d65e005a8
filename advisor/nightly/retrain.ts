import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadJobSeries } from '../../features/store-series.ts';
import { defaultWindows, trainingExamples } from '../../model/job-history.ts';
import { inMemory, type LazyDemandModel } from '../../model/model-files.ts';
import type { HistoryStore } from '../../store/history-store.ts';
import { loadDemandModel } from '../run-context.ts';
import type { Log } from './log.ts';

/** Fewer jobs than this cannot fill the train, validation and calibration splits with anything useful. */
const MIN_JOBS = 10;
export const STORE_SOURCE = 'store';

export interface ModelChoice {
  model: LazyDemandModel;
  dir: string;
  /** What happened, for the log and the report. */
  note: string;
}

/**
 * Tonight's model: the one retrained into `<out>/model` on an earlier night when present, else
 * --model-dir or the shipped one. It is retrained on the store's history when it was not trained
 * on this store or is older than `retrainAfterMs`; with too little history the model in hand stays
 * and the note says so.
 */
export async function modelForTonight(store: HistoryStore, o: { outDir: string; modelDir?: string; retrainAfterMs: number; now: Date; log: Log }): Promise<ModelChoice> {
  const ownDir = join(o.outDir, 'model');
  const { model, dir } = await loadDemandModel(existsSync(join(ownDir, 'meta.json')) ? ownDir : o.modelDir);
  const ageMs = o.now.getTime() - Date.parse(model.meta.createdAt);
  const fromStore = model.meta.trainedOn.source === STORE_SOURCE;
  if (fromStore && ageMs <= o.retrainAfterMs) {
    return { model, dir, note: `model ${dir} trained ${model.meta.createdAt} on this store is fresh` };
  }
  const why = fromStore ? `it is ${(ageMs / 86_400_000).toFixed(1)} days old` : `it was trained on ${model.meta.trainedOn.source}, not on this store`;
  o.log(`model ${dir} is due for retraining (${why}); building examples from the store`);
  const histories = (await loadJobSeries(store)).map((series) => ({ series }));
  // The windows the model in hand was trained with, so a retrained model answers the same question.
  const windows = { ...defaultWindows, lookbackHours: model.meta.lookbackHours, horizonHours: model.meta.horizonHours };
  const examples = trainingExamples(histories, windows, { ewmaAlpha: model.meta.ewmaAlpha });
  const jobs = new Set(examples.map((e) => e.features.jobId)).size;
  const keep = (reason: string) => ({ model, dir, note: `kept model ${dir}: ${reason}` });
  if (jobs < MIN_JOBS) {
    const need = windows.lookbackHours + windows.horizonHours;
    return keep(`too little history to retrain (${jobs} job(s) with ${need} h or more of history; at least ${MIN_JOBS} needed)`);
  }
  try {
    // TensorFlow.js takes over a second to import: only a night that retrains pays for it here.
    const [{ defaultTrainOptions }, { describeSelection, trainChosenModel }, { saveModel }, { selectBackend }] = await Promise.all([
      import('../../model/demand-model.ts'),
      import('../../model/model-selection.ts'),
      import('../../model/model-dir.ts'),
      import('../../model/tf-backend.ts'),
    ]);
    const backend = await selectBackend();
    // Both kinds, the one that scores better on this store's held-out jobs kept (model-selection.ts).
    const trained = await trainChosenModel(
      examples,
      {
        ...defaultTrainOptions,
        source: STORE_SOURCE,
        description: `the history store (${jobs} jobs, ${examples.length} decision points)`,
        backend: backend.name,
        lookbackHours: windows.lookbackHours,
        horizonHours: windows.horizonHours,
        ewmaAlpha: model.meta.ewmaAlpha,
      },
      'auto',
    );
    const staging = `${ownDir}.new`;
    await rm(staging, { recursive: true, force: true });
    await saveModel(trained, staging);
    await rm(ownDir, { recursive: true, force: true });
    await rename(staging, ownDir);
    return { model: inMemory(trained), dir: ownDir, note: `retrained into ${ownDir} on ${examples.length} decision points of ${jobs} jobs (${trained.meta.selection ? describeSelection(trained.meta.selection) : trained.meta.kind}, ${trained.meta.training.epochs} epochs)` };
  } catch (error) {
    return keep(`retraining failed: ${(error as Error).message}`);
  }
}
