import type { Command } from 'commander';
import { addHistoryOptions } from '../../model/history-options.ts';
import { CliError, ExitCode, historyExitCodesHelp } from '../errors.ts';
import { info, printJson, printText } from '../output.ts';

export function registerEvaluate(program: Command): void {
  const command = program
    .command('evaluate')
    .description(
      'score the demand model per pool on history it did not train on: where the model answers, MAE, pinball loss and calibration table; where the conservative rule answers, its MAE and p95 coverage; and the coverage of the p95 the advisor uses',
    );
  addHistoryOptions(command, { simulate: '30', seed: '2', verb: 'evaluate on' })
    .option('--model-dir <dir>', 'model to evaluate (default: the shipped data/models/default)')
    .option('--step-hours <h>', 'hours between decisions (lookback and horizon are the model\'s)', '6')
    .option('--backend <name>', 'force a TensorFlow.js backend: tfjs-node, wasm or cpu')
    .option('--json', 'print the evaluation as JSON')
    .addHelpText('after', historyExitCodesHelp)
    .action(async (opts: Record<string, string | string[] | boolean | undefined>) => {
      const { prepareScoringRun, loadModelOrFail } = await import('./scoring-run.ts');
      const { defaultModelDir } = await import('../../model/default-model-dir.ts');
      const { evaluateOnHistories, formatEvaluation } = await import('../../model/evaluate-run.ts');
      const { stepHours, history } = await prepareScoringRun(opts);
      const dir = typeof opts.modelDir === 'string' ? opts.modelDir : defaultModelDir;
      const model = await loadModelOrFail(dir);
      info(`model: ${model.meta.kind}, trained on ${model.meta.trainedOn.description}`);
      const loaded = await history();
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
