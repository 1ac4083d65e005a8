import type { Command } from 'commander';
import { CliError, ExitCode } from '../errors.ts';
import { info, printJson, printText } from '../output.ts';

export function registerBacktest(program: Command): void {
  program
    .command('backtest')
    .description(
      'Replay history walk-forward: at each decision time every policy (ours, linear, Flink operator, VPA, oracle) recommends from the past and is scored on the next 24 h',
    )
    .option('--simulate <jobs>', 'replay a simulated fleet of this many jobs', '20')
    .option('--seed <s>', 'simulator seed (use one the models were not trained on)', '2')
    .option('--days <d>', 'days of history per job', '7')
    .option('--step-minutes <m>', 'sampling interval of the history', '10')
    .option('--model-dir <dir>', 'our model (default: the shipped data/models/default)')
    .option('--linear-model-dir <dir>', 'the linear baseline model (default: the shipped data/models/linear)')
    .option('--backend <name>', 'force a TensorFlow.js backend: tfjs-node, wasm or cpu')
    .option('--json', 'print the results as JSON')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const { parseSimulatedFleet, simulatedFleetHistories } = await import('../../model/simulated-fleet.ts');
      const { parseBackend, selectBackend } = await import('../../model/tf-backend.ts');
      const { loadModel } = await import('../../model/model-dir.ts');
      const { defaultModelDir, linearModelDir } = await import('../../model/default-model-dir.ts');
      const { standardBacktest, formatBacktest } = await import('../../model/backtest-run.ts');
      let fleet;
      let backend;
      try {
        fleet = parseSimulatedFleet(opts);
        backend = parseBackend(opts.backend);
      } catch (error) {
        throw new CliError((error as Error).message, ExitCode.invalidInput);
      }
      await selectBackend(backend);
      const load = async (dir: string) =>
        loadModel(dir).catch((error: Error) => {
          throw new CliError(`cannot load the model in ${dir}: ${error.message}`, ExitCode.invalidInput);
        });
      const ours = await load(typeof opts.modelDir === 'string' ? opts.modelDir : defaultModelDir);
      const linear = await load(typeof opts.linearModelDir === 'string' ? opts.linearModelDir : linearModelDir);
      info(`replaying ${fleet.jobs} simulated jobs (seed ${fleet.seed}) over ${fleet.days} days`);
      const results = standardBacktest(simulatedFleetHistories(fleet), ours, linear);
      if (opts.json) printJson({ fleet, horizonHours: 24, results });
      else printText(formatBacktest(results));
    });
}
