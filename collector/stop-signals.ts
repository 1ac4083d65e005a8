import { CliError, ExitCode } from '../cli/errors.ts';

/** SIGINT / SIGTERM during a long run (`fma collect --duration`, `fma record`), turned into a request to stop. */
export interface StopSignals {
  /** Aborted by the first signal. */
  readonly signal: AbortSignal;
  /** ExitCode.interrupted (SIGINT) or ExitCode.terminated (SIGTERM) once one arrived. */
  readonly exitCode: ExitCode | undefined;
  /** Gives the signals back their default behaviour. */
  dispose(): void;
}

const stopping = { SIGINT: ExitCode.interrupted, SIGTERM: ExitCode.terminated } as const;
const signals = Object.keys(stopping) as Array<keyof typeof stopping>;

/**
 * The first signal aborts `signal` so the run can keep what it has (finish writing, close files,
 * record the run) and report; a second one exits at once, as Ctrl-C pressed twice is meant.
 */
export function watchStopSignals(): StopSignals {
  const controller = new AbortController();
  let exitCode: ExitCode | undefined;
  const onSignal = (name: keyof typeof stopping) => {
    if (exitCode !== undefined) process.exit(exitCode);
    exitCode = stopping[name];
    controller.abort();
  };
  for (const name of signals) process.on(name, onSignal);
  return {
    signal: controller.signal,
    get exitCode() {
      return exitCode;
    },
    dispose() {
      for (const name of signals) process.off(name, onSignal);
    },
  };
}

/**
 * The error that ends a run a signal stopped, once it kept what it had: main() prints it as one
 * line (`fma: interrupted: ...`) and exits with the signal's code, whichever command ran it.
 */
export function stoppedError(exitCode: ExitCode, kept: string): CliError {
  return new CliError(`interrupted: ${kept}`, exitCode);
}
