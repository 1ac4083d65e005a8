import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFeatures } from '../features/job-features.ts';
import { sliceSeries } from '../features/job-series.ts';
import { simulatedFleetHistories } from '../model/simulated-fleet.ts';
import type { ModelMeta } from '../model/model-meta.ts';
import type { LazyDemandModel } from '../model/model-files.ts';
import { inMemoryStore, openStore } from '../store/history-store.ts';
import { repoRoot } from '../test-support/run-cli.ts';
import { collectIntoStore } from './collect-into-store.ts';
import { loadDemandModel } from './run-context.ts';
import { modelFeatures, optimizerInputFromStore, withSessionMates } from './store-input.ts';

const HOUR = 3_600_000;
const meta = { lookbackHours: 24, ewmaAlpha: 0.1 } as ModelMeta;

describe('modelFeatures', () => {
  const [history] = simulatedFleetHistories({ jobs: 3, seed: 3, days: 3, stepMinutes: 10 });
  const series = history!.series;
  const end = series.t[series.t.length - 1]!;

  it("gives the model the same features for a long history as for its last lookback window (the window it was trained on)", () => {
    const lastWindow = sliceSeries(series, end + 1 - meta.lookbackHours * HOUR, end + 1);
    expect(lastWindow.t.length).toBeLessThan(series.t.length / 2);
    const fromLong = modelFeatures(series, { meta });
    expect(fromLong).toEqual(modelFeatures(lastWindow, { meta }));
    expect(fromLong.historyHours).toBeLessThanOrEqual(meta.lookbackHours);
    expect(fromLong.at).toBe(end);
    // Over the whole three days the statistics differ: the window is what keeps them equal.
    expect(extractFeatures(series, { ewmaAlpha: meta.ewmaAlpha }).values).not.toEqual(fromLong.values);
  });

  it('follows the lookback the model was trained with', () => {
    const twelve = modelFeatures(series, { meta: { ...meta, lookbackHours: 12 } });
    expect(twelve.historyHours).toBeLessThanOrEqual(12);
    expect(twelve.samples).toBeLessThan(modelFeatures(series, { meta }).samples);
  });
});

describe('withSessionMates', () => {
  const jobs = [
    { cluster: 'app-1', jobId: 'a' },
    { cluster: 'shared', jobId: 'b' },
    { cluster: 'shared', jobId: 'c' },
    { cluster: 'shared', jobId: 'd' },
    { cluster: 'app-2', jobId: 'e' },
  ];
  const kinds = new Map([['shared', 'session' as const], ['app-1', 'application' as const]]);

  it("adds every job of an asked job's session cluster, since one shape serves them all", () => {
    expect(withSessionMates(['c'], jobs, kinds)).toEqual(['c', 'b', 'd']);
    expect(withSessionMates(['a', 'd'], jobs, kinds)).toEqual(['a', 'd', 'b', 'c']);
  });

  it('leaves jobs of application clusters, and unknown ids, alone', () => {
    expect(withSessionMates(['a', 'e'], jobs, kinds)).toEqual(['a', 'e']);
    expect(withSessionMates(['zz'], jobs, kinds)).toEqual(['zz']);
  });
});

describe('optimizerInputFromStore', () => {
  /** The shipped model as the advisor loads it, counting how often its network is asked for. */
  async function counted(): Promise<{ model: LazyDemandModel; loads: () => number }> {
    const { model } = await loadDemandModel(undefined);
    let loads = 0;
    return { model: { meta: model.meta, load: () => (loads++, model.load()) }, loads: () => loads };
  }

  async function sources(recording: string, model: LazyDemandModel): Promise<string[]> {
    const store = await openStore(inMemoryStore);
    try {
      await collectIntoStore({ recording: [join(repoRoot, recording)], all: true }, store);
      const { evidence } = await optimizerInputFromStore(store, { model });
      return [...evidence.values()].map((e) => e.prediction.source);
    } finally {
      store.close();
    }
  }

  it('never loads the network when the conservative rule answers every job', async () => {
    const { model, loads } = await counted();
    const answered = await sources('collector/fixtures/independent-capture.jsonl', model);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.every((s) => s === 'rule')).toBe(true);
    expect(loads()).toBe(0);
  });

  it('loads it once for all the jobs the model answers', async () => {
    const { model, loads } = await counted();
    expect(await sources('data/simulated-3-jobs-seed42.jsonl.gz', model)).toContain('model');
    expect(loads()).toBe(1);
  });
});
