import * as tf from '@tensorflow/tfjs-core';
import { defaultTrainOptions, predictDemand, trainDemandModel } from '../model/demand-model.ts';
import type { DemandModel } from '../model/model-dir.ts';
import { syntheticExamples } from '../model/synthetic-examples.ts';
import { selectBackend, type BackendName } from '../model/tf-backend.ts';
import type { Bench, BenchRow } from './report.ts';

const area = 'model';

async function train(backend: BackendName, jobs: number, perJob: number, epochs: number): Promise<{ seconds: number; model: DemandModel; epochs: number }> {
  await selectBackend(backend);
  const examples = syntheticExamples(jobs, perJob, 11);
  const started = performance.now();
  const model = await trainDemandModel(examples, {
    ...defaultTrainOptions,
    epochs,
    source: 'synthetic',
    description: `${examples.length} synthetic examples`,
    backend,
    horizonHours: 24,
    ewmaAlpha: 0.1,
  });
  return { seconds: (performance.now() - started) / 1000, model, epochs: model.meta.training.epochs };
}

export const bench: Bench = {
  area,
  async run({ quick }) {
    const rows: BenchRow[] = [];
    // Full training (early stopping, at most 40 epochs) on 100k samples, on wasm.
    const big = quick ? { jobs: 100, perJob: 50 } : { jobs: 1000, perJob: 100 };
    const full = await train('wasm', big.jobs, big.perJob, quick ? 3 : 40);
    rows.push({ area, case: `train ${big.jobs * big.perJob} samples, wasm`, metric: 'wall time', value: full.seconds, unit: 's' });
    rows.push({ area, case: `train ${big.jobs * big.perJob} samples, wasm`, metric: 'epochs run', value: full.epochs, unit: 'epochs' });

    const features = syntheticExamples(quick ? 1000 : 10_000, 1, 12).map((e) => e.features);
    const one = features.slice(0, 1);
    predictDemand(full.model, one); // warm-up
    const reps = quick ? 20 : 200;
    let started = performance.now();
    for (let i = 0; i < reps; i++) predictDemand(full.model, one);
    rows.push({ area, case: 'predict 1 job, wasm', metric: 'latency', value: (performance.now() - started) / reps, unit: 'ms' });
    started = performance.now();
    predictDemand(full.model, features);
    rows.push({ area, case: `predict ${features.length} jobs, wasm`, metric: 'latency', value: performance.now() - started, unit: 'ms' });

    // The same fixed-epoch workload on both backends: the speed ratio.
    const same = quick ? { jobs: 50, perJob: 40, epochs: 2 } : { jobs: 200, perJob: 100, epochs: 5 };
    const fixed = { ...defaultTrainOptions, patience: Number.POSITIVE_INFINITY };
    const timeOn = async (backend: BackendName) => {
      await selectBackend(backend);
      const examples = syntheticExamples(same.jobs, same.perJob, 13);
      const t0 = performance.now();
      await trainDemandModel(examples, { ...fixed, epochs: same.epochs, source: 'synthetic', description: 'ratio', backend, horizonHours: 24, ewmaAlpha: 0.1 });
      return (performance.now() - t0) / 1000;
    };
    const wasm = await timeOn('wasm');
    const cpu = await timeOn('cpu');
    const label = `train ${same.jobs * same.perJob} samples x ${same.epochs} epochs`;
    rows.push({ area, case: `${label}, cpu`, metric: 'wall time', value: cpu, unit: 's' });
    rows.push({ area, case: `${label}, wasm`, metric: 'wall time', value: wasm, unit: 's', ratio: { vs: 'cpu backend (speed-up)', value: cpu / wasm } });
    await selectBackend('wasm');
    tf.disposeVariables();
    return rows;
  },
};
