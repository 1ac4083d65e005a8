import type { Command } from 'commander';
import { addSourceOptions } from '../../collector/source-options.ts';
import type { AdviseFlags } from '../../advisor/advise-command.ts';

/** `fma advise`: per-pool memory advice for one job or all, from a live cluster, a fleet or a recording. */
export function registerAdvise(program: Command): void {
  const command = program
    .command('advise')
    .description('how much memory each pool of a job needs (p50/p95 forecast, observed peaks) and the exact config change; a dry run');
  addSourceOptions(command)
    .option('--store <file>', 'history store (DuckDB file) holding earlier collections; default fma-history.duckdb, or a temporary one for --recording; alone, advise from it without reading any cluster')
    .option('--model-dir <dir>', 'demand model to use (default: the shipped data/models/default)')
    .option('--budget <size>', 'total TaskManager memory the advised jobs may use, e.g. 64g (adds to the fleet file\'s budgets)')
    .option('--parallelism <n>', 'what-if: advise for the job at this parallelism')
    .option('--load-factor <x>', 'what-if: advise for this multiple of the observed load, e.g. 1.5')
    .option('--export <dir>', 'write config patches per job under <dir>/<job>/')
    .option('--format <formats>', 'flink-conf, config-yaml, flinkdeployment, dynamic-properties or all (comma-separated; default all)')
    .option('--json', 'print {"jobs": [...]} only')
    .addHelpText(
      'after',
      `
Collects one poll now into the store (earlier collections and nightly runs there are the history),
or ingests the recordings, or with --store alone reads no cluster; then forecasts each pool's demand
and picks the cheapest safe shape.
Nothing is changed on any cluster. Never recommends a pool below its observed peak.

Examples:
  fma advise --rest-url http://jobmanager:8081 --job 3252e0778f209c9ca34c448c5f7eb925
  fma advise --recording capture.jsonl --all --json
  fma advise --store history.duckdb --all          # from what fma collect gathered, offline
  fma advise --fleet fleet.yaml --all --budget 256g --export patches --format config-yaml,flinkdeployment

Exit codes: 0 advice printed; 1 collection was partial or found nothing to advise on, a budget is
too small for the advised jobs (the plan then assumes the smallest budget that fits, named as a
--budget size), or the advice failed its checks; 2 invalid input (e.g. an unknown job id, a file
that is not a recording); 3 another run holds the store.`,
    )
    .action(async (flags: AdviseFlags) => {
      const { runAdvise } = await import('../../advisor/advise-command.ts');
      await runAdvise(flags);
    });
}
