import { defaultFeatureOptions } from '../features/job-features.ts';
import { defaultTrainOptions, trainDemandModel } from './demand-model.ts';
import { defaultWindows, trainingExamples } from './job-history.ts';
import type { DemandModel } from './model-dir.ts';
import { describeSimulatedFleet, simulatedFleetHistories, type SimulatedFleetOptions } from './simulated-fleet.ts';
import type { BackendName } from './tf-backend.ts';
import { selectBackend } from './tf-backend.ts';

export interface TrainRun {
  fleet: SimulatedFleetOptions;
  kind: 'mlp' | 'linear';
  backend?: BackendName;
  epochs?: number;
  ewmaAlpha?: number;
  log?: (line: string) => void;
}

/** `fma train`: simulate a fleet, build examples, train and calibrate. */
export async function trainFromSimulation(run: TrainRun): Promise<{ model: DemandModel; backend: string; skipped: string[] }> {
  const backend = await selectBackend(run.backend);
  const ewmaAlpha = run.ewmaAlpha ?? defaultFeatureOptions.ewmaAlpha;
  run.log?.(`backend ${backend.name}${backend.skipped.length ? ` (skipped ${backend.skipped.join('; ')})` : ''}`);
  const histories = simulatedFleetHistories(run.fleet);
  const examples = trainingExamples(histories, defaultWindows, { ewmaAlpha });
  run.log?.(`${examples.length} examples from ${histories.length} simulated jobs`);
  const model = await trainDemandModel(examples, {
    ...defaultTrainOptions,
    kind: run.kind,
    epochs: run.epochs ?? defaultTrainOptions.epochs,
    source: 'simulator',
    description: describeSimulatedFleet(run.fleet),
    backend: backend.name,
    horizonHours: defaultWindows.horizonHours,
    ewmaAlpha,
    onEpoch: (epoch, loss, val) => {
      if (epoch % 10 === 0) run.log?.(`epoch ${epoch}: loss ${loss.toFixed(4)} validation ${val.toFixed(4)}`);
    },
  });
  return { model, backend: backend.name, skipped: backend.skipped };
}
