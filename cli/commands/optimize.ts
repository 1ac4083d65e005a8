import type { Command } from 'commander';
import type { OptimizeFlags } from '../../advisor/optimize-command.ts';

export function registerOptimize(program: Command): void {
  program
    .command('optimize')
    .description('pick the cheapest safe TaskManager memory shape for every job so that the fleet fits its budgets (HiGHS MILP)')
    .option('--input <file>', "the optimizer's input: jobs with predicted demand per pool, and budgets (JSON or YAML)")
    .option('--store <file>', 'build the input from this history store instead (series -> features -> model -> demand), as fma advise does')
    .option('--recording <file>', 'build the input from recordings instead (repeatable; ingested into --store or a temporary store)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--model-dir <dir>', 'with --store/--recording: the demand model (default: the shipped one)')
    .option('--budget <size>', "one budget over the whole fleet, as a Flink memory size (e.g. 512g); replaces an input budget named 'fleet'")
    .option('--unit <size>', 'pools are whole multiples of this size', '16m')
    .option('--risk-weight <n>', 'cost, in bytes of memory, of each byte a pool lies below its p95, per TaskManager', '4')
    .option('--change-cost <size>', 'cost, in memory, of restarting a job onto a new shape', '1g')
    .option('--gap <fraction>', 'relative MIP gap HiGHS must reach', '0.001')
    .option('--time-limit <seconds>', 'HiGHS time limit', '10')
    .option('--json', 'print the plan as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  fma optimize --input optimizer/example-input.yaml --budget 8g
  fma optimize --recording capture.jsonl --budget 512g --json
  fma optimize --store history.duckdb

Exit codes: 0 the plan fits every budget; 1 a budget is too small (the plan then assumes the smallest
budget that fits, named on stderr as a --budget size, and lists the jobs that would run below p95);
2 invalid input; 3 another run holds the --store.`,
    )
    .action(async (flags: OptimizeFlags) => {
      const { runOptimize } = await import('../../advisor/optimize-command.ts');
      await runOptimize(flags);
    });
}
