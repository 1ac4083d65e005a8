import { beforeAll, describe, expect, it } from 'vitest';
import { formatBacktest, standardBacktest } from '../backtest-run.ts';
import { defaultModelDir, linearModelDir } from '../default-model-dir.ts';
import { loadModel } from '../model-dir.ts';
import { simulatedFleetHistories } from '../simulated-fleet.ts';
import { selectBackend } from '../tf-backend.ts';
import type { PolicyResult } from './walk-forward.ts';

let results: PolicyResult[];

beforeAll(async () => {
  await selectBackend();
  const [ours, linear] = await Promise.all([loadModel(defaultModelDir), loadModel(linearModelDir)]);
  // A fleet the shipped models never saw (they were trained on seed 1).
  const histories = simulatedFleetHistories({ jobs: 12, seed: 5, days: 4, stepMinutes: 10 });
  results = standardBacktest(histories, ours, linear);
});

const byName = (prefix: string) => results.find((r) => r.policy.startsWith(prefix))!;
const violations = (r: PolicyResult) => r.underProvisionedPoolHours + r.ooms + r.gcAboveTargetHours;

describe('walk-forward backtest on held-out simulated jobs (the table the report quotes)', () => {
  it('scores every policy on the same decisions', () => {
    expect(results.map((r) => r.policy)).toEqual([
      'fma model (p95)',
      'linear model (p95)',
      'flink-operator (avg x1.2)',
      'vpa (p90 daily peaks +15%)',
      'oracle (true future peak)',
    ]);
    expect(new Set(results.map((r) => r.decisions)).size).toBe(1);
    expect(results[0]!.decisions).toBeGreaterThan(0);
    expect(formatBacktest(results)).toMatch(/fma model \(p95\)\s+\d+\s+-?\d+\.\d%/);
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
