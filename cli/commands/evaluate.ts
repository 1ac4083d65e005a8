import type { Command } from 'commander';
import { CliError, ExitCode } from '../errors.ts';
import { info, printJson, printText } from '../output.ts';

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('Score the demand model per pool on held-out simulated jobs: MAE, pinball loss, p95 coverage, calibration table')
    .option('--model-dir <dir>', 'model to evaluate (default: the shipped data/models/default)')
    .option('--simulate <jobs>', 'evaluate on a simulated fleet of this many jobs', '30')
    .option('--seed <s>', 'simulator seed (use one the model was not trained on)', '2')
    .option('--days <d>', 'days of history per job', '7')
    .option('--step-minutes <m>', 'sampling interval of the history', '10')
    .option('--backend <name>', 'force a TensorFlow.js backend: tfjs-node, wasm or cpu')
    .option('--json', 'print the evaluation as JSON')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const { parseSimulatedFleet, simulatedFleetHistories } = await import('../../model/simulated-fleet.ts');
      const { parseBackend, selectBackend } = await import('../../model/tf-backend.ts');
      const { loadModel } = await import('../../model/model-dir.ts');
      const { defaultModelDir } = await import('../../model/default-model-dir.ts');
      const { evaluateOnHistories, formatEvaluation } = await import('../../model/evaluate-run.ts');
      let fleet;
      let backend;
      try {
        fleet = parseSimulatedFleet(opts);
        backend = parseBackend(opts.backend);
      } catch (error) {
        throw new CliError((error as Error).message, ExitCode.invalidInput);
      }
      await selectBackend(backend);
      const dir = typeof opts.modelDir === 'string' ? opts.modelDir : defaultModelDir;
      const model = await loadModel(dir).catch((error: Error) => {
        throw new CliError(`cannot load the model in ${dir}: ${error.message}`, ExitCode.invalidInput);
      });
      info(`model: ${model.meta.kind}, trained on ${model.meta.trainedOn.description}`);
      const pools = evaluateOnHistories(model, simulatedFleetHistories(fleet));
      if (opts.json) printJson({ model: { dir, kind: model.meta.kind, trainedOn: model.meta.trainedOn }, fleet, pools });
      else printText(formatEvaluation(pools));
    });
}
