import { info } from '../cli/output.ts';
import type { OptimizerInput } from '../optimizer/types.ts';
import { inMemoryStore, openStore } from '../store/history-store.ts';
import { collectIntoStore } from './collect-into-store.ts';
import { loadDemandModel } from './run-context.ts';
import { optimizerInputFromStore } from './store-input.ts';

/**
 * `fma optimize --store/--recording`: the advisor's pipeline up to the optimizer's input.
 * Recordings without --store go into an in-memory store, as in `fma advise`.
 */
export async function optimizerInputFromHistory(flags: { store?: string; recording?: string[]; modelDir?: string }): Promise<OptimizerInput> {
  // Without recordings nothing is collected: the store must exist, and a missing one is not created.
  const store = await openStore(flags.store ?? inMemoryStore, { mustExist: !flags.recording?.length && flags.store !== undefined });
  try {
    if (flags.recording?.length) {
      const collected = await collectIntoStore({ recording: flags.recording, all: true }, store);
      if (collected.partial) info(`fma: ingestion was partial: ${collected.partial}`);
    }
    const { model } = await loadDemandModel(flags.modelDir);
    const { input, skipped } = await optimizerInputFromStore(store, { model });
    for (const s of skipped) info(`fma: job ${s.jobId} on ${s.cluster} left out: ${s.reason}`);
    return input;
  } finally {
    store.close();
  }
}
