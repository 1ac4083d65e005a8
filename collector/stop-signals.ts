import { constants } from 'node:os';
import { CliError, type ExitCode } from '../cli/errors.ts';

/** SIGINT / SIGTERM during a long run (`fma collect --duration`, `fma record`), turned into a request to stop. */
export interface StopSignals {
  /** Aborted by the first signal. */
  readonly signal: AbortSignal;
  /** 128 + the signal's number (130 for SIGINT, 143 for SIGTERM) once one arrived, as a shell reports it. */
  readonly exitCode: number | undefined;
  /** Gives the signals back their default behaviour. */
  dispose(): void;
}

const stopping: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * The first signal aborts `signal` so the run can keep what it has (finish writing, close files,
 * record the run) and report; a second one exits at once, as Ctrl-C pressed twice is meant.
 */
export function watchStopSignals(): StopSignals {
  const controller = new AbortController();
  let exitCode: number | undefined;
  const onSignal = (name: NodeJS.Signals) => {
    if (exitCode !== undefined) process.exit(exitCode);
    exitCode = 128 + constants.signals[name];
    controller.abort();
  };
  for (const name of stopping) process.on(name, onSignal);
  return {
    signal: controller.signal,
    get exitCode() {
      return exitCode;
    },
    dispose() {
      for (const name of stopping) process.off(name, onSignal);
    },
  };
}

/**
 * The error that ends a run a signal stopped, once it kept what it had: main() prints it as one
 * line (`fma: interrupted: ...`) and exits with the signal's code, whichever command ran it.
 */
export function stoppedError(exitCode: number, kept: string): CliError {
  // 130 and 143 are outside ExitCode (the user stopped the run; it did not fail): main() passes any code through.
  return new CliError(`interrupted: ${kept}`, exitCode as ExitCode);
}
