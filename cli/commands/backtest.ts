import type { Command } from 'commander';
import { addHistoryOptions } from '../../model/history-options.ts';
import { CliError, ExitCode, historyExitCodesHelp } from '../errors.ts';
import { info, printJson, printText } from '../output.ts';

export function registerBacktest(program: Command): void {
  const command = program
    .command('backtest')
    .description(
      'replay history walk-forward: at each decision time every policy (ours, a model of the other kind, Flink operator, VPA, oracle) recommends from the past and is scored on the horizon after it',
    );
  addHistoryOptions(command, { simulate: '20', seed: '2', verb: 'replay' })
    .option('--model-dir <dir>', 'our model (default: the shipped data/models/default)')
    .option('--compare-model-dir <dir>', 'a second model scored beside ours (default: the shipped model of the other kind: data/models/mlp when ours is linear, data/models/linear when ours is the network ensemble)')
    .option('--step-hours <h>', "hours between decisions (lookback and horizon are our model's)", '6')
    .option('--backend <name>', 'force a TensorFlow.js backend: tfjs-node, wasm or cpu')
    .option('--json', 'print the results as JSON')
    .addHelpText('after', historyExitCodesHelp)
    .action(async (opts: Record<string, string | string[] | boolean | undefined>) => {
      const { prepareScoringRun, loadModelOrFail } = await import('./scoring-run.ts');
      const { withTruth } = await import('../../model/job-history.ts');
      const { defaultModelDir, otherKindModelDir } = await import('../../model/default-model-dir.ts');
      const { modelWindows } = await import('../../model/evaluate-run.ts');
      const { standardBacktest, formatBacktest } = await import('../../model/backtest-run.ts');
      const { stepHours, history } = await prepareScoringRun(opts);
      const ours = await loadModelOrFail(typeof opts.modelDir === 'string' ? opts.modelDir : defaultModelDir);
      const compared = await loadModelOrFail(typeof opts.compareModelDir === 'string' ? opts.compareModelDir : otherKindModelDir(ours.meta.kind));
      const loaded = await history();
      const windows = modelWindows(ours, stepHours);
      info(`replaying ${loaded.description}${loaded.groundTruth ? '' : ' (scored against the demand observed after each decision; the oracle knows it)'}`);
      const results = standardBacktest(withTruth(loaded.histories), ours, compared, windows);
      if (results[0]?.decisions === 0) {
        throw new CliError(`no decision points: the history is shorter than a ${windows.lookbackHours} h lookback plus a ${windows.horizonHours} h horizon`, ExitCode.invalidInput);
      }
      if (opts.json) printJson({ history: { source: loaded.source, description: loaded.description, groundTruth: loaded.groundTruth }, windows, results });
      else printText(formatBacktest(results));
    });
}
