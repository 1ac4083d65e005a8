import { predictedPools, type PredictedPool } from '../features/job-series.ts';
import { usesModelAnswer } from './demand-answer.ts';
import { predictDemand, predictLevels } from './demand-model.ts';
import { evaluatePool } from './evaluation.ts';
import { defaultWindows, trainingExamples, type DecisionWindows, type JobHistory } from './job-history.ts';
import type { DemandModel } from './model-dir.ts';

/** The decision windows a model was trained with (lookback and horizon from meta.json). */
export function modelWindows(model: DemandModel, stepHours = defaultWindows.stepHours): DecisionWindows {
  return { lookbackHours: model.meta.lookbackHours, horizonHours: model.meta.horizonHours, stepHours };
}

/** How a rule's answers for one pool scored: its p50 against the truth and its p95's coverage. */
export interface RuleScore {
  examples: number;
  /** Mean |true demand - the rule's p50| in bytes (null without examples). */
  maeBytes: number | null;
  /** Share of true demands at or below the rule's p95 (null without examples). */
  coverageP95: number | null;
}

/**
 * One pool in `fma evaluate`. The model's metrics (maeBytes, pinball, coverageP95, calibration)
 * cover only the decisions whose answer for this pool is the model's (`modelExamples`; null when
 * there are none): those `predictDemand` hands to a rule never reach the advisor as the model's
 * quantiles, and far outside the training range those quantiles can be wild. The rule's own
 * decisions are scored in `rule`; `advisedCoverageP95` covers every decision.
 */
export interface PoolScore {
  /** Every decision scored, answered by the model or by a rule. */
  examples: number;
  modelExamples: number;
  maeBytes: number | null;
  pinballP50: number | null;
  pinballP95: number | null;
  coverageP95: number | null;
  calibration: Array<{ level: number; observed: number | null }>;
  /**
   * Decisions a rule answered for this pool: the conservative fallback (too little history, inputs
   * outside the training range) and, for managed, hashmap jobs (they need none) and RocksDB jobs
   * without block cache metrics (kept at its current size).
   */
  rule: RuleScore;
  /** Share of all decisions whose true demand was at or below the p95 the advisor uses, whoever answered. */
  advisedCoverageP95: number;
}

/**
 * `fma evaluate`: per pool, on histories the model did not train on, how the model scores where
 * the advisor uses it, how the rule scores where the advisor uses that, and how often the p95 the
 * advisor is given covers the true demand.
 */
export function evaluateOnHistories(model: DemandModel, histories: readonly JobHistory[], stepHours?: number): Record<PredictedPool, PoolScore> {
  const w = modelWindows(model, stepHours);
  const examples = trainingExamples(histories, w, { ewmaAlpha: model.meta.ewmaAlpha });
  if (examples.length === 0) throw new RangeError(`no decision points: the histories are shorter than a ${w.lookbackHours} h lookback plus a ${w.horizonHours} h horizon`);
  const features = examples.map((e) => e.features);
  const quantiles = predictLevels(model, features);
  const advised = predictDemand(model, features);
  const score = (pool: PredictedPool): PoolScore => {
    const truth = (i: number) => examples[i]!.demand[pool];
    const byModel: number[] = [];
    const byRule: number[] = [];
    examples.forEach((e, i) => (advised[i]!.source === 'model' && usesModelAnswer(e.features, pool) ? byModel : byRule).push(i));
    const m = evaluatePool(model.meta.levels, byModel.map((i) => quantiles[i]![pool]), byModel.map(truth));
    const some = <T>(value: T) => (byModel.length > 0 ? value : null);
    return {
      examples: examples.length,
      modelExamples: byModel.length,
      maeBytes: some(m.maeBytes),
      pinballP50: some(m.pinballP50),
      pinballP95: some(m.pinballP95),
      coverageP95: some(m.coverageP95),
      calibration: m.calibration.map((c) => ({ level: c.level, observed: some(c.observed) })),
      rule: {
        examples: byRule.length,
        maeBytes: meanOf(byRule, (i) => Math.abs(truth(i) - advised[i]!.pools[pool].p50)),
        coverageP95: meanOf(byRule, (i) => (truth(i) <= advised[i]!.pools[pool].p95 ? 1 : 0)),
      },
      advisedCoverageP95: meanOf(examples.map((_, i) => i), (i) => (truth(i) <= advised[i]!.pools[pool].p95 ? 1 : 0)) ?? 0,
    };
  };
  return Object.fromEntries(predictedPools.map((pool) => [pool, score(pool)])) as Record<PredictedPool, PoolScore>;
}

function meanOf(rows: readonly number[], value: (i: number) => number): number | null {
  return rows.length === 0 ? null : rows.reduce((s, i) => s + value(i), 0) / rows.length;
}

const MiB = 1024 * 1024;
const mib = (bytes: number | null) => (bytes === null ? '-' : `${(bytes / MiB).toFixed(1)} MiB`);
const pct = (share: number | null) => (share === null ? '-' : `${(share * 100).toFixed(1)}%`);
const fixed = (x: number | null) => (x === null ? '-' : x.toFixed(4));

export function formatEvaluation(result: Record<PredictedPool, PoolScore>): string {
  const levels = result.heap.calibration.map((c) => c.level);
  const model = table(
    ['pool', 'examples', 'MAE p50', 'pinball p50', 'pinball p95', ...levels.map((l) => `<=q${Math.round(l * 100)}`)],
    predictedPools.map((pool) => {
      const e = result[pool];
      return [pool, String(e.modelExamples), mib(e.maeBytes), fixed(e.pinballP50), fixed(e.pinballP95), ...e.calibration.map((c) => pct(c.observed))];
    }),
  );
  const advised = table(
    ['pool', 'decisions', 'by the model', 'by a rule', 'rule MAE p50', 'rule p95 coverage', 'advised p95 coverage'],
    predictedPools.map((pool) => {
      const e = result[pool];
      return [pool, String(e.examples), String(e.modelExamples), String(e.rule.examples), mib(e.rule.maeBytes), pct(e.rule.coverageP95), pct(e.advisedCoverageP95)];
    }),
  );
  return [
    'Where the model answers (its calibrated quantiles):',
    model,
    '',
    'Who answers, and what the advisor uses:',
    advised,
    '',
    "Calibration: the <=qNN columns give the share of true demands at or below the model's NN% quantile (calibrated: about NN% on held-out jobs, a little more when meta.json's calibrationConfidence makes the levels tolerance limits).",
    'A rule answers when the job has too little history or inputs outside the training range (conservative rule: current size or 1.2x the observed peak), and for managed memory of hashmap jobs (none needed) and of RocksDB jobs without block cache metrics (kept at its current size).',
    'Advised p95 coverage: over all decisions, the share at or below the p95 the advisor uses (the model floored at observed demand, or the rule).',
  ].join('\n');
}

/** Columns padded to their widest cell; the first left-aligned, the rest right-aligned. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
