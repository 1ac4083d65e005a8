import { beforeAll, describe, expect, it } from 'vitest';
import { predictedPools } from '../features/job-series.ts';
import { defaultTrainOptions, predictDemand, predictLevels, trainDemandModel } from './demand-model.ts';
import { evaluateOnHistories, formatEvaluation, type PoolScore } from './evaluate-run.ts';
import { defaultWindows, trainingExamples, type JobHistory } from './job-history.ts';
import type { DemandModel } from './model-dir.ts';
import { simulatedFleetHistories } from './simulated-fleet.ts';
import { selectBackend } from './tf-backend.ts';

// A model trained on 12 small simulated jobs answers for the jobs it fitted; most jobs of another
// fleet fall outside its training range and go to the conservative rule: a mix of both.
const trainFleet = { jobs: 12, seed: 1, days: 3, stepMinutes: 10 };
const otherFleet = { jobs: 6, seed: 4, days: 3, stepMinutes: 10 };
let model: DemandModel;
let seen: JobHistory[];
let unseen: JobHistory[];

beforeAll(async () => {
  const backend = await selectBackend();
  seen = simulatedFleetHistories(trainFleet);
  unseen = simulatedFleetHistories(otherFleet);
  model = await trainDemandModel(trainingExamples(seen, defaultWindows, { ewmaAlpha: 0.1 }), {
    ...defaultTrainOptions,
    hidden: [16],
    epochs: 20,
    source: 'simulator',
    description: 'a small simulated fleet',
    backend: backend.name,
    horizonHours: 24,
    lookbackHours: 24,
    ewmaAlpha: 0.1,
  });
});

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('fma evaluate scores what the advisor uses', () => {
  it('scores the model only where it answers, and the rule where it does', () => {
    const histories = [...seen, ...unseen];
    const result = evaluateOnHistories(model, histories);
    const examples = trainingExamples(histories, defaultWindows, { ewmaAlpha: 0.1 });
    const features = examples.map((e) => e.features);
    const advised = predictDemand(model, features);
    const quantiles = predictLevels(model, features);
    const byModel = examples.map((_, i) => i).filter((i) => advised[i]!.source === 'model');
    const byRule = examples.map((_, i) => i).filter((i) => advised[i]!.source === 'rule');
    expect(byModel.length).toBeGreaterThan(0);
    expect(byRule.length).toBeGreaterThan(0);

    for (const pool of ['heap', 'metaspace', 'direct'] as const) {
      const e = result[pool];
      expect(e).toMatchObject({ examples: examples.length, modelExamples: byModel.length, rule: { examples: byRule.length } });
      const truth = (i: number) => examples[i]!.demand[pool];
      // The p50 error of the model's own answers only: the rule's decisions (raw quantiles far outside
      // the training range) stay out of it.
      expect(e.maeBytes).toBeCloseTo(mean(byModel.map((i) => Math.abs(truth(i) - quantiles[i]![pool][0]!))), 0);
      expect(e.rule.maeBytes).toBeCloseTo(mean(byRule.map((i) => Math.abs(truth(i) - advised[i]!.pools[pool].p50))), 0);
      expect(e.rule.coverageP95).toBeCloseTo(mean(byRule.map((i) => (truth(i) <= advised[i]!.pools[pool].p95 ? 1 : 0))), 9);
      expect(e.advisedCoverageP95).toBeCloseTo(mean(examples.map((_, i) => (truth(i) <= advised[i]!.pools[pool].p95 ? 1 : 0))), 9);
    }
    // Managed: the model's answer is used only for RocksDB jobs with block cache metrics.
    const managedByModel = byModel.filter((i) => features[i]!.values.rocksdb === 1 && features[i]!.values.hasBlockCacheMetrics === 1);
    expect(result.managed.modelExamples).toBe(managedByModel.length);
    expect(result.managed.rule.examples).toBe(examples.length - managedByModel.length);
  });

  it('reports no model metrics (not zeros) where the rule answers every decision', () => {
    const result = evaluateOnHistories(model, unseen);
    const advised = predictDemand(model, trainingExamples(unseen, defaultWindows, { ewmaAlpha: 0.1 }).map((e) => e.features));
    expect(advised.every((p) => p.source === 'rule')).toBe(true);
    for (const pool of predictedPools) {
      const e: PoolScore = result[pool];
      expect(e).toMatchObject({ modelExamples: 0, maeBytes: null, pinballP50: null, pinballP95: null, coverageP95: null });
      expect(e.calibration.map((c) => c.observed)).toEqual([null, null, null, null]);
      expect(e.rule.examples).toBe(e.examples);
      expect(e.advisedCoverageP95).toBe(e.rule.coverageP95);
    }
    const text = formatEvaluation(result);
    expect(text).toMatch(/^heap\s+0\s+-\s+-\s+-\s+-/m);
    expect(text).toMatch(new RegExp(`^heap\\s+${result.heap.examples}\\s+0\\s+${result.heap.examples}\\s`, 'm'));
  });
});
