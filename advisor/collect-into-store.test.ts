import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inMemoryStore, openStore } from '../store/history-store.ts';
import { listJobs } from '../store/read.ts';
import { repoRoot } from '../test-support/run-cli.ts';
import { collectIntoStore } from './collect-into-store.ts';

const independent = join(repoRoot, 'collector/fixtures/independent-capture.jsonl');

describe('collectIntoStore', () => {
  it("writes into a store the caller holds open (in memory), leaves it open, and reads only the asked clusters' exchanges", async () => {
    const store = await openStore(inMemoryStore);
    try {
      expect(await collectIntoStore({ recording: [independent], all: true }, store, { recordingClusters: new Set(['pricing-features']) })).toEqual({});
      const jobs = await listJobs(store.connection);
      expect(jobs.map((j) => j.cluster)).toEqual(['pricing-features']);
      // A second collection into the same open store adds the rest.
      await collectIntoStore({ recording: [independent], all: true }, store);
      expect((await listJobs(store.connection)).map((j) => j.cluster)).toEqual(['bookings-router', 'fraud-archiver-v2', 'pricing-features']);
    } finally {
      store.close();
    }
  });
});
