import type { Command } from 'commander';
import { CliError, ExitCode } from '../errors.ts';

interface OptimizeFlags {
  input?: string;
  store?: string;
  recording?: string[];
  modelDir?: string;
  budget?: string;
  unit: string;
  riskWeight: string;
  changeCost: string;
  gap: string;
  timeLimit: string;
  json?: boolean;
}

export function registerOptimize(program: Command): void {
  program
    .command('optimize')
    .description('Pick the cheapest safe TaskManager memory shape for every job so that the fleet fits its budgets (HiGHS MILP)')
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
      '\nExit codes: 0 the plan fits every budget; 1 a budget is too small (the plan then assumes the smallest\nbudget that fits and lists the jobs that would run below p95); 2 invalid input.',
    )
    .action(async (flags: OptimizeFlags) => {
      const [{ readFile }, { MemorySize }, { parseOptimizerInput }, { withFleetBudget }, { optimizeFleet }, { formatPlan }, output] =
        await Promise.all([
          import('node:fs/promises'),
          import('../../flink/memory-size.ts'),
          import('../../optimizer/input-file.ts'),
          import('../../optimizer/budgets.ts'),
          import('../../optimizer/optimize-fleet.ts'),
          import('../../optimizer/plan-text.ts'),
          import('../output.ts'),
        ]);
      const invalid = (message: string) => new CliError(message, ExitCode.invalidInput);
      const size = (flag: string, text: string) => {
        try {
          return MemorySize.parse(text).toNumber();
        } catch (error) {
          throw invalid(`${flag}: ${(error as Error).message}`);
        }
      };
      const number = (flag: string, text: string, check: (n: number) => boolean) => {
        const n = Number(text);
        if (!Number.isFinite(n) || !check(n)) throw invalid(`${flag}: '${text}' is out of range`);
        return n;
      };

      const given = [flags.input && '--input', flags.recording?.length && '--recording', flags.store && !flags.recording?.length && '--store'].filter(Boolean);
      if (given.length !== 1) throw invalid(given.length === 0 ? 'give --input FILE, --store FILE or --recording FILE' : `give only one of ${given.join(', ')}`);
      let input;
      if (flags.input) {
        let text: string;
        try {
          text = await readFile(flags.input, 'utf8');
        } catch (error) {
          throw invalid(`--input: cannot read ${flags.input}: ${(error as Error).message}`);
        }
        try {
          input = parseOptimizerInput(text, flags.input);
        } catch (error) {
          throw invalid((error as Error).message);
        }
      } else {
        const { optimizerInputFromHistory } = await import('../../advisor/optimize-from-store.ts');
        input = await optimizerInputFromHistory(flags);
      }
      if (flags.budget !== undefined) {
        size('--budget', flags.budget);
        input.budgets = withFleetBudget(input.budgets, flags.budget);
      }
      const unitBytes = size('--unit', flags.unit);
      if (unitBytes < 1) throw invalid('--unit: must be at least 1 byte');

      const plan = await optimizeFleet(input, {
        unitBytes,
        riskWeight: number('--risk-weight', flags.riskWeight, (n) => n >= 0),
        changeCost: size('--change-cost', flags.changeCost),
        mipRelGap: number('--gap', flags.gap, (n) => n >= 0 && n < 1),
        timeLimitSeconds: number('--time-limit', flags.timeLimit, (n) => n > 0),
      });
      if (flags.json) output.printJson(plan);
      else output.printText(formatPlan(plan));
      if (!plan.feasible) {
        output.info('fma: a budget is too small for the fleet; see the smallest budget that fits above');
        process.exitCode = ExitCode.failure;
      }
    });
}
