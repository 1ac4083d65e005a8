import { predictedPools, type PredictedPool } from '../features/job-series.ts';
import { predictDemand, predictLevels } from './demand-model.ts';
import { evaluatePredictions, type PoolEvaluation } from './evaluation.ts';
import { defaultWindows, trainingExamples, type DecisionWindows, type JobHistory } from './job-history.ts';
import type { DemandModel } from './model-dir.ts';

/** The decision windows a model was trained with (lookback and horizon from meta.json). */
export function modelWindows(model: DemandModel, stepHours = defaultWindows.stepHours): DecisionWindows {
  return { lookbackHours: model.meta.lookbackHours, horizonHours: model.meta.horizonHours, stepHours };
}

/**
 * `fma evaluate`: the model's accuracy per pool on histories it did not train on: its calibrated
 * quantiles (MAE, pinball, calibration table) and the coverage of the p95 the advisor is given.
 */
export function evaluateOnHistories(model: DemandModel, histories: readonly JobHistory[], stepHours?: number): Record<PredictedPool, PoolEvaluation> {
  const w = modelWindows(model, stepHours);
  const examples = trainingExamples(histories, w, { ewmaAlpha: model.meta.ewmaAlpha });
  if (examples.length === 0) throw new RangeError(`no decision points: the histories are shorter than a ${w.lookbackHours} h lookback plus a ${w.horizonHours} h horizon`);
  const features = examples.map((e) => e.features);
  const result = evaluatePredictions(model.meta.levels, predictLevels(model, features), examples.map((e) => e.demand));
  const advised = predictDemand(model, features);
  for (const pool of predictedPools) {
    const covered = advised.filter((p, i) => examples[i]!.demand[pool] <= p.pools[pool].p95).length;
    result[pool].advisedCoverageP95 = covered / examples.length;
  }
  return result;
}

const MiB = 1024 * 1024;

export function formatEvaluation(result: Record<PredictedPool, PoolEvaluation>): string {
  const levels = result.heap.calibration.map((c) => c.level);
  const header = ['pool', 'examples', 'MAE p50', 'pinball p50', 'pinball p95', 'advised p95 coverage', ...levels.map((l) => `<=q${Math.round(l * 100)}`)];
  const rows = predictedPools.map((pool) => {
    const e = result[pool];
    return [
      pool,
      String(e.examples),
      `${(e.maeBytes / MiB).toFixed(1)} MiB`,
      e.pinballP50.toFixed(4),
      e.pinballP95.toFixed(4),
      e.advisedCoverageP95 === undefined ? '-' : `${(e.advisedCoverageP95 * 100).toFixed(1)}%`,
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
    'Calibration: the <=qNN columns give the share of true demands at or below the model\'s NN% quantile (calibrated: about NN%).',
    'Advised p95 coverage: the share at or below the p95 the advisor uses (the model, floored at observed demand; RocksDB without cache metrics keeps its managed size).',
  ].join('\n');
}
