import type { Command } from 'commander';
import { CliError, ExitCode } from '../errors.ts';
import { info, printJson } from '../output.ts';

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('Train the per-pool demand model (quantile network, TensorFlow.js) on simulated fleet history and save it')
    .option('--simulate <jobs>', 'train on a simulated fleet of this many jobs', '150')
    .option('--seed <s>', 'simulator seed', '1')
    .option('--days <d>', 'days of history per job', '7')
    .option('--step-minutes <m>', 'sampling interval of the history', '10')
    .option('--model-dir <dir>', 'where to write model.json, weights.bin, meta.json (default: the shipped data/models/default)')
    .option('--linear', 'train the linear baseline (no hidden layers) instead of the network')
    .option('--epochs <n>', 'maximum epochs (early stopping usually ends sooner)', '200')
    .option('--ewma-alpha <a>', 'EWMA smoothing factor for load features, in (0, 1]', '0.1')
    .option('--backend <name>', 'force a TensorFlow.js backend: tfjs-node, wasm or cpu (default: fastest available)')
    .option('--json', 'print the saved model\'s meta.json on stdout')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const { parseSimulatedFleet } = await import('../../model/simulated-fleet.ts');
      const { parseBackend } = await import('../../model/tf-backend.ts');
      const { trainFromSimulation } = await import('../../model/train-run.ts');
      const { saveModel } = await import('../../model/model-dir.ts');
      const { defaultModelDir } = await import('../../model/default-model-dir.ts');
      let fleet;
      let backend;
      const epochs = Number(opts.epochs);
      const ewmaAlpha = Number(opts.ewmaAlpha);
      try {
        fleet = parseSimulatedFleet(opts);
        backend = parseBackend(opts.backend);
        if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`--epochs must be a positive integer, got '${opts.epochs}'`);
        if (!(ewmaAlpha > 0 && ewmaAlpha <= 1)) throw new RangeError(`--ewma-alpha must be in (0, 1], got '${opts.ewmaAlpha}'`);
      } catch (error) {
        throw new CliError((error as Error).message, ExitCode.invalidInput);
      }
      const dir = typeof opts.modelDir === 'string' ? opts.modelDir : defaultModelDir;
      const { model } = await trainFromSimulation({ fleet, kind: opts.linear ? 'linear' : 'mlp', backend, epochs, ewmaAlpha, log: info });
      await saveModel(model, dir);
      info(`model saved to ${dir} (${model.meta.training.epochs} epochs, ${model.meta.training.seconds.toFixed(1)} s on ${model.meta.training.backend})`);
      if (opts.json) printJson(model.meta);
    });
}
