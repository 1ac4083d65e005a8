import { runCollect, type CollectOptions } from '../collector/collect-command.ts';
import type { SourceFlags } from '../collector/source-options.ts';
import { CliError, ExitCode } from '../cli/errors.ts';
import type { HistoryStore } from '../store/history-store.ts';

export interface CollectOutcome {
  /** Set when some requests failed: what was collected is in the store, the rest is not. */
  partial?: string;
}

/**
 * Writes a source into the history store through `fma collect`'s own path (one poll of each live
 * cluster, or polls for `duration`, or the exchanges of the recordings): the advisor has no second
 * way of ingesting. The store is a file, or one the caller holds open (an in-memory store, say). A
 * partial collection is reported, not thrown: the store still holds what was read, and history.
 */
export async function collectIntoStore(
  flags: SourceFlags & { duration?: string; interval?: string },
  store: string | HistoryStore,
  options: CollectOptions = {},
): Promise<CollectOutcome> {
  try {
    await runCollect({ ...flags, store, json: false }, options);
    return {};
  } catch (error) {
    if (error instanceof CliError && error.exitCode === ExitCode.failure) return { partial: error.message };
    throw error;
  }
}
