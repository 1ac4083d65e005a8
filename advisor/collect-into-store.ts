import { runCollect } from '../collector/collect-command.ts';
import type { SourceFlags } from '../collector/source-options.ts';
import { CliError, ExitCode } from '../cli/errors.ts';

export interface CollectOutcome {
  /** Set when some requests failed: what was collected is in the store, the rest is not. */
  partial?: string;
}

/**
 * Writes a source into the history store through `fma collect`'s own path (one poll of each live
 * cluster, or polls for `duration`, or every exchange of the recordings): the advisor has no second way of ingesting. A
 * partial collection is reported, not thrown: the store still holds what was read, and history.
 */
export async function collectIntoStore(flags: SourceFlags & { duration?: string; interval?: string }, storePath: string): Promise<CollectOutcome> {
  try {
    await runCollect({ ...flags, store: storePath, json: false });
    return {};
  } catch (error) {
    if (error instanceof CliError && error.exitCode === ExitCode.failure) return { partial: error.message };
    throw error;
  }
}
