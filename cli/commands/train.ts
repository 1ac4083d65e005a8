import type { Command } from 'commander';
import { CliError, ExitCode, historyExitCodesHelp } from '../errors.ts';
import { info, printJson } from '../output.ts';
import { addHistoryOptions } from '../../model/history-options.ts';

export function registerTrain(program: Command): void {
  const command = program
    .command('train')
    .description(
      'train the per-pool demand model (quantile network ensemble or linear, TensorFlow.js; by default both, the better on held-out jobs kept) on history: a recording (plus the store), a history store, or a simulated fleet; save it',
    );
  addHistoryOptions(command, { simulate: '400', seed: '1', verb: 'train on' })
    .option('--model-dir <dir>', 'where to write model.json, weights.bin, meta.json; pass the same --model-dir to advise, nightly, evaluate', 'fma-model')
    .option('--lookback-hours <h>', 'features come from this many hours before each decision', '24')
    .option('--horizon-hours <h>', 'targets are the peak demand over this many hours after it', '24')
    .option('--step-hours <h>', 'hours between decisions', '6')
    .option('--kind <kind>', 'auto: train the network ensemble and the linear model and keep the one whose calibrated p95 scores better on held-out jobs (meta.json selection); mlp or linear: that one only (default: auto)')
    .option('--linear', 'the same as --kind linear')
    .option('--epochs <n>', 'maximum epochs (early stopping usually ends sooner)', '200')
    .option('--ensemble <k>', 'the network (mlp) is k networks (seeds training-seed + 1000 i) whose quantiles are averaged before calibrating: steadier than one network (default 5; the linear model is always one, its fit barely depends on the seed)')
    .option('--training-seed <n>', 'seeds the initial weights and the order rows are visited in: the same data, seed and backend give the same model (saved in meta.json)', '1')
    .option('--ewma-alpha <a>', 'EWMA smoothing factor for load features, in (0, 1]', '0.1')
    .option('--backend <name>', 'force a TensorFlow.js backend: tfjs-node, wasm or cpu (default: fastest available)')
    .option('--json', "print the saved model's meta.json on stdout")
    .addHelpText('after', historyExitCodesHelp)
    .action(async (opts: Record<string, string | string[] | boolean | undefined>) => {
      const { parseHistorySource, parseWindows } = await import('../../model/history-flags.ts');
      const { parseBackend } = await import('../../model/tf-backend.ts');
      const { trainModel } = await import('../../model/train-run.ts');
      const { saveModel } = await import('../../model/model-dir.ts');
      const { defaultWindows } = await import('../../model/job-history.ts');
      const { parseKindChoice } = await import('../../model/model-selection.ts');
      let source;
      let windows;
      let backend;
      const epochs = Number(opts.epochs);
      const seed = Number(opts.trainingSeed);
      const ewmaAlpha = Number(opts.ewmaAlpha);
      const ensemble = opts.ensemble === undefined ? undefined : Number(opts.ensemble);
      let kind;
      try {
        kind = parseKindChoice(opts.kind as string | undefined, opts.linear === true);
        source = parseHistorySource(opts);
        windows = parseWindows(opts, defaultWindows);
        backend = parseBackend(opts.backend as string | undefined);
        if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`--epochs must be a positive integer, got '${String(opts.epochs)}'`);
        if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 31) throw new RangeError(`--training-seed must be an integer from 0 to 2147483647, got '${String(opts.trainingSeed)}'`);
        if (ensemble !== undefined && !(Number.isInteger(ensemble) && ensemble >= 1 && ensemble <= 20)) throw new RangeError(`--ensemble must be an integer from 1 to 20, got '${String(opts.ensemble)}'`);
        if (!(ewmaAlpha > 0 && ewmaAlpha <= 1)) throw new RangeError(`--ewma-alpha must be in (0, 1], got '${String(opts.ewmaAlpha)}'`);
      } catch (error) {
        throw new CliError((error as Error).message, ExitCode.invalidInput);
      }
      const dir = opts.modelDir as string;
      const { model } = await trainModel({
        source,
        ...(Array.isArray(opts.job) ? { jobIds: opts.job } : {}),
        windows,
        kind,
        backend,
        epochs,
        seed,
        ...(ensemble === undefined ? {} : { ensemble }),
        ewmaAlpha,
        log: info,
      }).catch((error: Error) => {
        if (error instanceof CliError) throw error;
        throw new CliError(error.message, error instanceof RangeError || /recording|ENOENT/.test(error.message) ? ExitCode.invalidInput : ExitCode.failure);
      });
      model.meta.trainedOn.command = ['fma', ...process.argv.slice(2)].join(' ');
      await saveModel(model, dir);
      info(`model saved to ${dir} (${model.meta.training.epochs} epochs, ${model.meta.training.seconds.toFixed(1)} s on ${model.meta.training.backend})`);
      if (opts.json) printJson(model.meta);
    });
}
