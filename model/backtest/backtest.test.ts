import { beforeAll, describe, expect, it } from 'vitest';
import { formatBacktest, standardBacktest } from '../backtest-run.ts';
import { defaultModelDir, otherKindModelDir } from '../default-model-dir.ts';
import { loadModel } from '../model-dir.ts';
import { simulatedFleetHistories } from '../simulated-fleet.ts';
import { selectBackend } from '../tf-backend.ts';
import { generateFleet } from '../../simulator/fleet-generator.ts';
import { Simulation } from '../../simulator/simulation.ts';
import { predictDemand } from '../demand-model.ts';
import { decisionTimes, defaultWindows, featuresAt } from '../job-history.ts';
import { simulatedHistory } from '../simulated-histories.ts';
import { modelPolicy, operatorPolicy } from './policies.ts';
import { runBacktest, type PolicyResult } from './walk-forward.ts';

let results: PolicyResult[];
let oursIsLinear: boolean;

beforeAll(async () => {
  await selectBackend();
  const ours = await loadModel(defaultModelDir);
  const compared = await loadModel(otherKindModelDir(ours.meta.kind));
  expect(compared.meta.kind).not.toBe(ours.meta.kind);
  oursIsLinear = ours.meta.kind === 'linear';
  // A fleet the shipped models never saw (they were trained on seed 1).
  const histories = simulatedFleetHistories({ jobs: 12, seed: 5, days: 4, stepMinutes: 10 });
  results = standardBacktest(histories, ours, compared);
});

const byName = (prefix: string) => results.find((r) => r.policy.startsWith(prefix))!;
const violations = (r: PolicyResult) => r.underProvisionedPoolHours + r.ooms + r.gcAboveTargetHours;

describe('walk-forward backtest on held-out simulated jobs (the table the report quotes)', () => {
  it('scores every policy on the same decisions', () => {
    expect(results.map((r) => r.policy)).toEqual([
      'fma model (p95)',
      oursIsLinear ? 'network ensemble (p95)' : 'linear model (p95)',
      'flink-operator (avg x1.2)',
      'vpa (p90 daily peaks +15%)',
      'oracle (true future peak)',
    ]);
    expect(new Set(results.map((r) => r.decisions)).size).toBe(1);
    expect(results[0]!.decisions).toBeGreaterThan(0);
    expect(formatBacktest(results)).toMatch(/fma model \(p95\)\s+\d+\s+-?\d+\.\d%/);
    // A saving that rounds to nothing is 0.0%, never -0.0%.
    expect(formatBacktest([{ ...results[0]!, savedFraction: -0.0001 }])).toMatch(/\s0\.0%/);
  });

  it('the oracle breaks nothing and saves the most', () => {
    const oracle = byName('oracle');
    expect(violations(oracle)).toBe(0);
    for (const r of results) expect(oracle.savedFraction).toBeGreaterThanOrEqual(r.savedFraction);
  });

  it('our model saves more memory than the operator baseline, breaks less and causes no OOM', () => {
    const ours = byName('fma model');
    const operator = byName('flink-operator');
    expect(ours.savedFraction).toBeGreaterThan(operator.savedFraction);
    expect(ours.underProvisionedPoolHours).toBeLessThan(operator.underProvisionedPoolHours);
    expect(violations(ours)).toBeLessThan(violations(operator));
    expect(ours.gcAboveTargetHours).toBeLessThan(operator.gcAboveTargetHours);
    expect(ours.ooms).toBe(0);
  });
});

describe('the two seed-7 jobs where fma once failed more often than the operator', () => {
  it('sees a live set cycling within the hour (no OOM, fewer than the operator) and flags the metaspace leak', async () => {
    const fleet = generateFleet({ jobs: 100, seed: 7 });
    const sim = new Simulation(fleet);
    const window = { from: fleet.epoch, to: fleet.epoch + 4 * 86_400_000, stepMs: 600_000 };
    const job = (prefix: string) => simulatedHistory(sim, [...sim.jobs.keys()].find((id) => id.startsWith(prefix))!, window);
    const [cycling, leaking] = [job('d9d07dcb'), job('0b0cf1c8')];
    const model = await loadModel(defaultModelDir);
    const scored = (h: typeof cycling) => runBacktest([h], [modelPolicy('fma', model), operatorPolicy], defaultWindows, { ewmaAlpha: model.meta.ewmaAlpha });
    const [ours, operator] = scored(cycling);
    expect(ours!.ooms).toBe(0);
    expect(operator!.ooms).toBeGreaterThan(0);
    // The leak fails both (the backtest's truth is the crash loop under the current config), ours no more often, and ours says so.
    const [oursLeak, operatorLeak] = scored(leaking);
    expect(oursLeak!.ooms).toBeLessThanOrEqual(operatorLeak!.ooms);
    const last = featuresAt(leaking.series, decisionTimes(leaking.series, defaultWindows).at(-1)!, defaultWindows, { ewmaAlpha: model.meta.ewmaAlpha });
    const [advice] = predictDemand(model, [last]);
    expect(advice!.unboundedGrowth).toEqual(['metaspace']);
    expect(advice!.reasons.join(' ')).toMatch(/classloader leak/);
  });
});
