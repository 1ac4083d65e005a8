import { CliError, ExitCode } from '../errors.ts';
import type { DemandModel } from '../../model/model-dir.ts';
import type { HistorySource, LoadedHistories } from '../../model/history-source.ts';
import type { BackendName } from '../../model/tf-backend.ts';

type Flags = Record<string, string | string[] | boolean | undefined>;

/**
 * What `fma evaluate` and `fma backtest` share: their flags turned into a backend, a step and a
 * loaded history, with bad input reported as exit 2. Loaded lazily by the commands.
 */
export async function prepareScoringRun(opts: Flags): Promise<{ stepHours: number; history: () => Promise<LoadedHistories> }> {
  const { parseHistorySource, parseWindows } = await import('../../model/history-flags.ts');
  const { loadHistories } = await import('../../model/history-source.ts');
  const { parseBackend, selectBackend } = await import('../../model/tf-backend.ts');
  const { defaultWindows } = await import('../../model/job-history.ts');
  let source: HistorySource;
  let backend: BackendName | undefined;
  let stepHours: number;
  try {
    source = parseHistorySource(opts);
    backend = parseBackend(opts.backend as string | undefined);
    stepHours = parseWindows(opts, defaultWindows).stepHours;
  } catch (error) {
    throw new CliError((error as Error).message, ExitCode.invalidInput);
  }
  await selectBackend(backend);
  const jobIds = Array.isArray(opts.job) ? opts.job : undefined;
  return {
    stepHours,
    history: () =>
      loadHistories(source, jobIds).catch((error: unknown) => {
        throw error instanceof CliError ? error : new CliError(error instanceof Error ? error.message : String(error), ExitCode.invalidInput);
      }),
  };
}

/** A model directory, or exit 2 naming it. */
export async function loadModelOrFail(dir: string): Promise<DemandModel> {
  const { loadModel } = await import('../../model/model-dir.ts');
  return loadModel(dir).catch((error: Error) => {
    throw new CliError(`cannot load the model in ${dir}: ${error.message}`, ExitCode.invalidInput);
  });
}
