import { parseDuration } from '../../collector/duration.ts';
import { resolveSource } from '../../collector/source.ts';
import type { SourceFlags } from '../../collector/source-options.ts';
import { info, printJson } from '../../cli/output.ts';
import { invalid, parseNumber, parseSize } from '../run-context.ts';
import { runNightly } from './run-nightly.ts';

export interface NightlyFlags extends SourceFlags {
  out: string;
  store?: string;
  modelDir?: string;
  budget?: string;
  retrainAfter: string;
  smoothing: string;
  minChange: string;
  unit: string;
  json?: boolean;
}

/** `fma nightly` for the CLI: checks the flags, runs, and sets the exit code the run earned. */
export async function runNightlyCommand(flags: NightlyFlags): Promise<void> {
  try {
    await resolveSource(flags);
  } catch (error) {
    throw invalid((error as Error).message);
  }
  if (flags.job?.length) throw invalid('fma nightly advises every job: drop --job');
  if (flags.budget !== undefined) parseSize('--budget', flags.budget);
  let retrainAfterMs: number;
  try {
    retrainAfterMs = parseDuration(flags.retrainAfter, '--retrain-after');
  } catch (error) {
    throw invalid((error as Error).message);
  }
  const result = await runNightly({
    source: flags,
    out: flags.out,
    ...(flags.store ? { store: flags.store } : {}),
    ...(flags.modelDir ? { modelDir: flags.modelDir } : {}),
    ...(flags.budget ? { budget: flags.budget } : {}),
    retrainAfterMs,
    smoothing: parseNumber('--smoothing', flags.smoothing, (n) => n >= 0 && n < 1, 'in [0, 1)'),
    minChange: parseNumber('--min-change', flags.minChange, (n) => n >= 0 && n < 1, 'a fraction or percentage in [0, 100%)'),
    unitBytes: parseSize('--unit', flags.unit),
  });
  if (flags.json) printJson(result);
  else info(`report: ${result.report}`);
  process.exitCode = result.exitCode;
}
