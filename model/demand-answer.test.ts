import { describe, expect, it } from 'vitest';
import { predictDemandLazily } from './demand-answer.ts';
import { predictDemand } from './demand-model.ts';
import { defaultModelDir } from './default-model-dir.ts';
import { defaultWindows, trainingExamples } from './job-history.ts';
import { loadModel } from './model-dir.ts';
import { openModel, type LazyDemandModel } from './model-files.ts';
import { simulatedFleetHistories } from './simulated-fleet.ts';
import { selectBackend } from './tf-backend.ts';

/** The shipped model as the advisor opens it, counting how often its network is asked for. */
async function counted(): Promise<{ model: LazyDemandModel; loads: () => number }> {
  const opened = await openModel(defaultModelDir, () => selectBackend());
  let loads = 0;
  return { model: { meta: opened.meta, load: () => (loads++, opened.load()) }, loads: () => loads };
}

describe('predictDemandLazily', async () => {
  const { meta } = await openModel(defaultModelDir);
  const histories = simulatedFleetHistories({ jobs: 4, seed: 3, days: 3, stepMinutes: 10 });
  const windows = { ...defaultWindows, lookbackHours: meta.lookbackHours, horizonHours: meta.horizonHours };
  const features = trainingExamples(histories, windows, { ewmaAlpha: meta.ewmaAlpha })
    .slice(0, 12)
    .map((e) => e.features);
  const young = features.map((f) => ({ ...f, historyHours: meta.minHistoryHours / 2 }));

  it('never loads the network when the conservative rule answers every job', async () => {
    const { model, loads } = await counted();
    const advised = await predictDemandLazily(model, young);
    expect(advised.map((p) => p.source)).toEqual(young.map(() => 'rule'));
    expect(loads()).toBe(0);
  });

  it('loads it once when some job needs it, and answers exactly as predictDemand on the loaded model', async () => {
    const { model, loads } = await counted();
    const mixed = [...young.slice(0, 3), ...features];
    const advised = await predictDemandLazily(model, mixed, { loadFactor: 1.5 });
    expect(loads()).toBe(1);
    expect(advised.filter((p) => p.source === 'model').length).toBeGreaterThan(0);
    expect(advised.filter((p) => p.source === 'rule').length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(advised)).toBe(JSON.stringify(predictDemand(await loadModel(defaultModelDir), mixed, { loadFactor: 1.5 })));
  });
});
