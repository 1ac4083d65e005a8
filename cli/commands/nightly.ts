import type { Command } from 'commander';
import { addSourceOptions } from '../../collector/source-options.ts';
import type { NightlyFlags } from '../../advisor/nightly/nightly-command.ts';

/** `fma nightly`: the whole fleet, unattended: collect, retrain when due, optimize, report, patches. */
export function registerNightly(program: Command): void {
  const command = program
    .command('nightly')
    .description('collect, retrain when due, advise every job under the budget, and write report.html, summary.json and patches (for cron)');
  addSourceOptions(command)
    .requiredOption('--out <dir>', 'output directory: report.html, summary.json, patches/<job>/, nightly.log, the model it retrains')
    .option('--store <file>', 'history store (DuckDB file); default <out>/history.duckdb')
    .option('--model-dir <dir>', 'demand model to start from (default: <out>/model when retrained before, else the shipped one)')
    .option('--budget <size>', "total TaskManager memory of the fleet, e.g. 512g (adds to the fleet file's budgets)")
    .option('--retrain-after <duration>', 'retrain a model trained on this store once it is older than this', '7d')
    .option('--smoothing <s>', 'weight of the last recommendation when a pool shrinks, in [0, 1) (0: no smoothing)', '0.5')
    .option('--min-change <fraction>', 'hold back proposals that differ from the last recommendation by less than this (e.g. 5%)', '5%')
    .option('--unit <size>', 'pools are whole multiples of this size', '16m')
    .option('--json', 'print a JSON summary of the run on stdout')
    .addHelpText(
      'after',
      `
Safe under cron: one run per --out (a second one exits 3), resumable after a kill (it picks up
where the killed run stopped), atomic writes, a readable log in <out>/nightly.log and on stderr.
Every recommendation is kept in the store; the next night smooths against it and holds back
changes below --min-change, so patches do not flap. Nothing is changed on any cluster.

Examples:
  fma nightly --fleet fleet.yaml --budget 512g --out /var/lib/fma/nightly
  fma nightly --recording captures/ --out nightly-out --min-change 10%

Exit codes: 0 done; 1 something failed (a partial collection: the report covers what was
collected; or a budget too small for the fleet: the plan assumes the smallest budget that fits);
2 invalid input; 3 another nightly is writing to --out or holds the store.`,
    )
    .action(async (flags: NightlyFlags) => {
      const { runNightlyCommand } = await import('../../advisor/nightly/nightly-command.ts');
      await runNightlyCommand(flags);
    });
}
