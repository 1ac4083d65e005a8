import { readFile } from 'node:fs/promises';
import { ExitCode } from '../cli/errors.ts';
import { info, printJson, printText } from '../cli/output.ts';
import { withFleetBudget } from '../optimizer/budgets.ts';
import { parseOptimizerInput } from '../optimizer/input-file.ts';
import { optimizeFleet } from '../optimizer/optimize-fleet.ts';
import { budgetNotMet, formatPlan } from '../optimizer/plan-text.ts';
import type { OptimizerInput } from '../optimizer/types.ts';
import { invalid, parseNumber, parseSize } from './run-context.ts';

export interface OptimizeFlags {
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

/** `fma optimize`: the optimizer's input from a file, or built from history as `fma advise` does; then the plan. */
export async function runOptimize(flags: OptimizeFlags): Promise<void> {
  const given = [flags.input && '--input', flags.recording?.length && '--recording', flags.store && !flags.recording?.length && '--store'].filter(Boolean);
  if (given.length !== 1) throw invalid(given.length === 0 ? 'give --input FILE, --store FILE or --recording FILE' : `give only one of ${given.join(', ')}`);
  // The history path loads DuckDB and TensorFlow.js: only when asked for.
  const input = flags.input ? await inputFile(flags.input) : await (await import('./optimize-from-store.ts')).optimizerInputFromHistory(flags);
  if (flags.budget !== undefined) {
    parseSize('--budget', flags.budget);
    input.budgets = withFleetBudget(input.budgets, flags.budget);
  }
  const unitBytes = parseSize('--unit', flags.unit);
  if (unitBytes < 1) throw invalid('--unit: must be at least 1 byte');
  const plan = await optimizeFleet(input, {
    unitBytes,
    riskWeight: parseNumber('--risk-weight', flags.riskWeight, (n) => n >= 0, 'a number >= 0'),
    changeCost: parseSize('--change-cost', flags.changeCost),
    mipRelGap: parseNumber('--gap', flags.gap, (n) => n >= 0 && n < 1, 'in [0, 1)'),
    timeLimitSeconds: parseNumber('--time-limit', flags.timeLimit, (n) => n > 0, 'a number > 0'),
  });
  if (flags.json) printJson(plan);
  else printText(formatPlan(plan));
  for (const b of plan.budgets.filter((b) => !b.feasible)) info(`fma: ${budgetNotMet(b)}`);
  if (!plan.feasible) process.exitCode = ExitCode.failure;
}

async function inputFile(path: string): Promise<OptimizerInput> {
  const text = await readFile(path, 'utf8').catch((error: Error) => {
    throw invalid(`--input: cannot read ${path}: ${error.message}`);
  });
  try {
    return parseOptimizerInput(text, path);
  } catch (error) {
    throw invalid((error as Error).message);
  }
}
