import * as tf from '@tensorflow/tfjs-core';
import { defaultTrainOptions, predictDemand, trainDemandModel } from '../model/demand-model.ts';
import type { DemandModel } from '../model/model-dir.ts';
import { syntheticExamples } from '../model/synthetic-examples.ts';
import { defaultEnsemble } from '../model/train-run.ts';
import { selectBackend, type BackendName } from '../model/tf-backend.ts';
import type { Bench, BenchRow } from './report.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyHarvest, type Harvest } from '../collector/harvest.ts';
import { loadJobSeries } from '../features/store-series.ts';
import { openStore } from '../store/history-store.ts';
import { writeHarvest } from '../store/write-harvest.ts';

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
    lookbackHours: 24,
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
    const timeOn = async (backend: BackendName, ensemble = 1) => {
      await selectBackend(backend);
      const examples = syntheticExamples(same.jobs, same.perJob, 13);
      const t0 = performance.now();
      const model = await trainDemandModel(examples, { ...fixed, ensemble, epochs: same.epochs, source: 'synthetic', description: 'ratio', backend, horizonHours: 24, lookbackHours: 24, ewmaAlpha: 0.1 });
      return { seconds: (performance.now() - t0) / 1000, model };
    };
    const { seconds: wasm, model: single } = await timeOn('wasm');
    const { seconds: cpu } = await timeOn('cpu');
    const label = `train ${same.jobs * same.perJob} samples x ${same.epochs} epochs`;
    rows.push({ area, case: `${label}, cpu`, metric: 'wall time', value: cpu, unit: 's' });
    rows.push({ area, case: `${label}, wasm`, metric: 'wall time', value: wasm, unit: 's', ratio: { vs: 'cpu backend (speed-up)', value: cpu / wasm } });
    // fma train's seed ensemble (defaultEnsemble.mlp networks averaged into one): its cost against one network.
    const { seconds: wasmEnsemble, model: ensemble } = await timeOn('wasm', defaultEnsemble.mlp);
    rows.push({ area, case: `${label}, wasm, ensemble of ${defaultEnsemble.mlp}`, metric: 'wall time', value: wasmEnsemble, unit: 's', ratio: { vs: 'one network (slow-down)', value: wasmEnsemble / wasm } });
    const latency = (model: DemandModel) => {
      predictDemand(model, one);
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) predictDemand(model, one);
      return (performance.now() - t0) / reps;
    };
    const [oneNetwork, averaged] = [latency(single), latency(ensemble)];
    rows.push({ area, case: `predict 1 job, wasm, ensemble of ${defaultEnsemble.mlp}`, metric: 'latency', value: averaged, unit: 'ms', ratio: { vs: 'one network (slow-down)', value: averaged / oneNetwork } });
    tf.disposeVariables();
    rows.push(...(await storeSeries(quick ? { jobs: 10, polls: 144 } : { jobs: 100, polls: 1440 })));
    return rows;
  },
};

/**
 * loadJobSeries (DuckDB aggregation to typed arrays) on a store of `jobs` one-job clusters, each
 * polled `polls` times a minute apart: 2 TaskManagers x 6 pool metrics, 2 vertices x 4 subtasks.
 */
async function storeSeries(size: { jobs: number; polls: number }): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'fma-bench-series-'));
  const store = await openStore(join(dir, 'history.duckdb'));
  try {
    let samples = 0;
    for (let j = 0; j < size.jobs; j++) {
      const h = syntheticHarvest(j, size.polls);
      samples += h.samples.length;
      await writeHarvest(store.connection, h, `bench-${j}`);
    }
    const started = performance.now();
    const series = await loadJobSeries(store);
    const seconds = (performance.now() - started) / 1000;
    const label = `loadJobSeries ${series.length} jobs x ${size.polls} polls (${samples} samples)`;
    return [
      { area, case: label, metric: 'wall time', value: seconds, unit: 's' },
      { area, case: label, metric: 'throughput', value: samples / seconds, unit: 'samples/s' },
    ];
  } finally {
    store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function syntheticHarvest(j: number, polls: number): Harvest {
  const h = emptyHarvest();
  const cluster = `bench-${j}`;
  const jobId = `job-${j}`;
  const t0 = 1_700_000_000_000;
  const tms = ['tm-0', 'tm-1'];
  const vertices = ['src', 'agg'];
  const memory = { frameworkHeap: 128 << 20, taskHeap: 1 << 30, frameworkOffHeap: 128 << 20, taskOffHeap: 0, network: 128 << 20, managed: 512 << 20, metaspace: 256 << 20, overhead: 192 << 20, totalFlink: 2 << 30, totalProcess: 2.5 * 2 ** 30 };
  h.topologies.push({ ts: t0, cluster, jobId, vertices: vertices.map((id) => ({ id, name: id, parallelism: 4 })), edges: [{ source: 'src', target: 'agg', shipStrategy: 'HASH' }] });
  for (const tmId of tms) h.taskManagers.push({ ts: t0, cluster, tmId, slots: 2, memory, slotsByJob: { [jobId]: 2 } });
  for (let p = 0; p < polls; p++) {
    const ts = t0 + p * 60_000;
    h.clusters.push({ ts, cluster, taskManagers: 2 });
    h.jobs.push({ ts, cluster, jobId, name: cluster, state: 'RUNNING' });
    tms.forEach((tmId, k) => {
      const at = ts + 5 + k;
      const put = (metric: string, value: number) => h.samples.push({ ts: at, cluster, scope: 'taskmanager', tmId, metric, value });
      put('Status.JVM.Memory.Heap.Used', (300 + ((p * 37 + k * 11) % 400)) * 2 ** 20);
      put('Status.Flink.Memory.Managed.Used', 512 * 2 ** 20);
      put('Status.JVM.Memory.Metaspace.Used', 120 * 2 ** 20);
      put('Status.JVM.Memory.Direct.MemoryUsed', 150 * 2 ** 20);
      put('Status.Shuffle.Netty.TotalMemory', 128 * 2 ** 20);
      put('Status.JVM.GarbageCollector.All.TimeMsPerSecond', 5 + (p % 7));
    });
    for (const vertexId of vertices) {
      for (let subtask = 0; subtask < 4; subtask++) {
        h.samples.push({ ts: ts + 20, cluster, scope: 'subtask', jobId, vertexId, subtask, metric: 'numRecordsInPerSecond', value: 1000 + subtask * 100 });
      }
    }
  }
  return h;
}
