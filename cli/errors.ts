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
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.failure,
  ) {
    super(message);
  }
}
