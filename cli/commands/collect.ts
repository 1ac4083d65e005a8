import type { Command } from 'commander';
import { addSourceOptions } from '../../collector/source-options.ts';
import type { CollectFlags } from '../../collector/collect-command.ts';

/** `fma collect`: harvest Flink clusters (REST, fleet, recordings) into the history store. */
export function registerCollect(program: Command): void {
  const command = program
    .command('collect')
    .description('collect jobs, topology, TaskManager memory, metrics, checkpoints and exceptions into the history store');
  addSourceOptions(command)
    .option('--duration <duration>', 'keep polling this long (e.g. 10m); one poll when absent')
    .option('--interval <duration>', 'time between polls with --duration (default 60s)')
    .option('--prometheus-url <url>', "read long history from Prometheus scraping Flink's PrometheusReporter instead")
    .option('--since <duration>', 'with --prometheus-url: how far back (e.g. 7d)')
    .option('--step <duration>', 'with --prometheus-url: resolution (default 60s)')
    .option('--cluster-label <label>', 'with --prometheus-url: the series label naming the Flink cluster (default "cluster")')
    .option('--store <file>', 'history store (DuckDB file)', 'fma-history.duckdb')
    .option('--json', 'print a JSON summary only')
    .addHelpText(
      'after',
      '\nExamples:\n  fma collect --rest-url http://jobmanager:8081 --all --store history.duckdb\n  fma collect --fleet fleet.yaml --duration 1h --interval 30s\n  fma collect --recording capture.jsonl --store history.duckdb\n  fma collect --prometheus-url http://prometheus:9090 --since 7d --step 5m',
    )
    .action(async (flags: CollectFlags) => {
      const { runCollect } = await import('../../collector/collect-command.ts');
      await runCollect(flags);
    });
}
