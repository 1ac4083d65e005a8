import { predictedPools, type PredictedPool } from '../features/job-series.ts';
import { predictLevels } from './demand-model.ts';
import { evaluatePredictions, type PoolEvaluation } from './evaluation.ts';
import { defaultWindows, trainingExamples, type JobHistory } from './job-history.ts';
import type { DemandModel } from './model-dir.ts';

/** `fma evaluate`: the model's accuracy per pool on histories it did not train on. */
export function evaluateOnHistories(model: DemandModel, histories: readonly JobHistory[]): Record<PredictedPool, PoolEvaluation> {
  const examples = trainingExamples(histories, { ...defaultWindows, horizonHours: model.meta.horizonHours }, { ewmaAlpha: model.meta.ewmaAlpha });
  if (examples.length === 0) throw new RangeError('no decision points: the histories are shorter than a lookback plus a horizon');
  return evaluatePredictions(model.meta.levels, predictLevels(model, examples.map((e) => e.features)), examples.map((e) => e.demand));
}

const MiB = 1024 * 1024;

export function formatEvaluation(result: Record<PredictedPool, PoolEvaluation>): string {
  const levels = result.heap.calibration.map((c) => c.level);
  const header = ['pool', 'examples', 'MAE p50', 'pinball p50', 'pinball p95', 'p95 coverage', ...levels.map((l) => `<=q${Math.round(l * 100)}`)];
  const rows = predictedPools.map((pool) => {
    const e = result[pool];
    return [
      pool,
      String(e.examples),
      `${(e.maeBytes / MiB).toFixed(1)} MiB`,
      e.pinballP50.toFixed(4),
      e.pinballP95.toFixed(4),
      `${(e.coverageP95 * 100).toFixed(1)}%`,
      ...e.calibration.map((c) => `${(c.observed * 100).toFixed(1)}%`),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    'Calibration: the <=qNN columns give the share of true demands at or below the predicted NN% quantile (calibrated: about NN%).',
  ].join('\n');
}
