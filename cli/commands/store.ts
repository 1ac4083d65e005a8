import type { Command } from 'commander';
import type { StoreFlags } from '../../store/store-command.ts';

/** `fma store`: look after the history store (row counts, pruning, Parquet export). */
export function registerStore(program: Command): void {
  const store = program.command('store').description('inspect, prune and export the history store (DuckDB file)');
  const common = (c: Command) => c.option('--store <file>', 'history store (DuckDB file)', 'fma-history.duckdb').option('--json', 'print JSON only');
  common(store.command('info').description('row counts per table'))
    .addHelpText('after', '\nExample:\n  fma store info --store history.duckdb')
    .action(async (flags: StoreFlags) => (await import('../../store/store-command.ts')).runStoreInfo(flags));
  common(store.command('prune').description('delete observations older than a duration (the versions still in force stay)'))
    .requiredOption('--older-than <duration>', 'e.g. 30d')
    .addHelpText('after', '\nExample:\n  fma store prune --older-than 30d --store history.duckdb')
    .action(async (flags: StoreFlags & { olderThan: string }) => (await import('../../store/store-command.ts')).runStorePrune(flags));
  common(store.command('export').description('write every table as <dir>/<table>.parquet'))
    .requiredOption('--parquet <dir>', 'output directory')
    .addHelpText('after', '\nExample:\n  fma store export --parquet ./history-parquet --store history.duckdb')
    .action(async (flags: StoreFlags & { parquet: string }) => (await import('../../store/store-command.ts')).runStoreExport(flags));
}
