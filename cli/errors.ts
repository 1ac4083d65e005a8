/**
 * Errors the CLI reports as one line on stderr with a chosen exit code. Anything else that
 * escapes a command is a bug and exits 1 with its message (and stack under FMA_DEBUG=1).
 */
export const ExitCode = {
  ok: 0,
  /** The run failed: unreachable cluster, partial collection, solver failure, ... */
  failure: 1,
  /** The input is wrong: bad flags, invalid Flink configuration, malformed file. */
  invalidInput: 2,
  /** Another run holds the lock (store, nightly output). */
  busy: 3,
  /** Stopped by SIGINT (Ctrl-C) after keeping what it had: 128 + 2, as a shell reports it. */
  interrupted: 130,
  /** Stopped by SIGTERM after keeping what it had: 128 + 15. */
  terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  override readonly name: string = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.failure,
  ) {
    super(message);
  }
}

/** The exit codes, as the --help of the commands that read history (train, evaluate, backtest) states them. */
export const historyExitCodesHelp =
  '\nExit codes: 0 done; 1 the run failed; 2 invalid input (bad flags, a missing or malformed recording or\nmodel, a history too short for the windows); 3 another run holds the --store.';
