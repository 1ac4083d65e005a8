import type { Command } from 'commander';
import { addHistoryOptions } from '../../model/history-options.ts';
import { CliError, ExitCode } from '../errors.ts';
import { info, printJson, printText } from '../output.ts';

export function registerEvaluate(program: Command): void {
  const command = program
    .command('evaluate')
    .description('score the demand model per pool on history it did not train on: MAE, pinball loss, p95 coverage, calibration table');
  addHistoryOptions(command, { simulate: '30', seed: '2', verb: 'evaluate on' })
    .option('--model-dir <dir>', 'model to evaluate (default: the shipped data/models/default)')
    .option('--step-hours <h>', 'hours between decisions (lookback and horizon are the model\'s)', '6')
    .option('--backend <name>', 'force a TensorFlow.js backend: tfjs-node, wasm or cpu')
    .option('--json', 'print the evaluation as JSON')
    .action(async (opts: Record<string, string | string[] | boolean | undefined>) => {
      const { parseHistorySource, parseWindows } = await import('../../model/history-flags.ts');
      const { loadHistories } = await import('../../model/history-source.ts');
      const { parseBackend, selectBackend } = await import('../../model/tf-backend.ts');
      const { loadModel } = await import('../../model/model-dir.ts');
      const { defaultModelDir } = await import('../../model/default-model-dir.ts');
      const { evaluateOnHistories, formatEvaluation } = await import('../../model/evaluate-run.ts');
      const { defaultWindows } = await import('../../model/job-history.ts');
      let source;
      let backend;
      let stepHours;
      try {
        source = parseHistorySource(opts);
        backend = parseBackend(opts.backend as string | undefined);
        stepHours = parseWindows(opts, defaultWindows).stepHours;
      } catch (error) {
        throw new CliError((error as Error).message, ExitCode.invalidInput);
      }
      await selectBackend(backend);
      const dir = typeof opts.modelDir === 'string' ? opts.modelDir : defaultModelDir;
      const model = await loadModel(dir).catch((error: Error) => {
        throw new CliError(`cannot load the model in ${dir}: ${error.message}`, ExitCode.invalidInput);
      });
      info(`model: ${model.meta.kind}, trained on ${model.meta.trainedOn.description}`);
      const loaded = await loadHistories(source, Array.isArray(opts.job) ? opts.job : undefined).catch((error: Error) => {
        throw new CliError(error.message, ExitCode.invalidInput);
      });
      info(`evaluating on ${loaded.description}`);
      let pools;
      try {
        pools = evaluateOnHistories(model, loaded.histories, stepHours);
      } catch (error) {
        throw new CliError((error as Error).message, ExitCode.invalidInput);
      }
      if (opts.json) printJson({ model: { dir, kind: model.meta.kind, trainedOn: model.meta.trainedOn }, history: { source: loaded.source, description: loaded.description, groundTruth: loaded.groundTruth }, pools });
      else printText(formatEvaluation(pools));
    });
}
