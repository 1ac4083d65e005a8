import type { Command } from 'commander';

// Kept apart from history-flags.ts (which loads the simulator) so that `fma --help` stays fast.

/** Adds the shared history options to a command (commander), with this command's simulator defaults. */
export function addHistoryOptions(command: Command, defaults: { simulate: string; seed: string; verb: string }): Command {
  return command
    .option('--recording <files...>', `${defaults.verb} recordings (contract 3), ingested into --store or a temporary store; targets are the observed demand`)
    .option('--store <file>', `${defaults.verb} this DuckDB history store (with --recording: the store the recordings are added to, and all of it is used)`)
    .option('--job <ids...>', 'only these job ids (with --recording or --store)')
    .option('--simulate <jobs>', 'without --recording/--store: a simulated fleet of this many jobs (ground truth known)', defaults.simulate)
    .option('--seed <s>', 'simulator seed', defaults.seed)
    .option('--days <d>', 'days of simulated history per job', '7')
    .option('--step-minutes <m>', 'sampling interval of the simulated history', '10');
}
