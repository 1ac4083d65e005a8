import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadJobSeries } from '../features/store-series.ts';
import { inMemoryStore, openStore } from '../store/history-store.ts';
import { listJobs, tableCounts } from '../store/read.ts';
import { repoRoot, runCli } from '../test-support/run-cli.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { collectIntoStore } from './collect-into-store.ts';
import { loadJobFacts, loadJobManagerFacts, loadSharedClusters } from './store-facts.ts';

const independent = join(repoRoot, 'collector/fixtures/independent-capture.jsonl');
const simulated = join(repoRoot, 'data/simulated-3-jobs-seed42.jsonl.gz');

/** Everything the advisor reads from a store: row counts (but of runs and poll markers), per-job series and facts. */
async function whatTheAdvisorReads(path: string) {
  const store = await openStore(path, { readOnly: true });
  try {
    const { collection_runs: runs, cluster_observations: polls, job_observations: jobPolls, ...counts } = await tableCounts(store.connection);
    return {
      runs,
      markers: [polls, jobPolls],
      counts,
      series: await loadJobSeries(store),
      facts: await loadJobFacts(store.connection),
      jobManagers: await loadJobManagerFacts(store.connection),
      shared: await loadSharedClusters(store.connection),
    };
  } finally {
    store.close();
  }
}

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

  it('collecting the same recording twice into one store changes nothing the advisor reads', async () => {
    const path = join(await tempDir('fma-twice-'), 'history.duckdb');
    expect(await collectIntoStore({ recording: [simulated], all: true }, path)).toEqual({});
    const once = await whatTheAdvisorReads(path);
    expect(once.series.map((s) => s.jobId)).toHaveLength(3);
    expect(await collectIntoStore({ recording: [simulated], all: true }, path)).toEqual({});
    const twice = await whatTheAdvisorReads(path);
    expect(twice.runs).toBe(2);
    expect(twice.markers).toEqual(once.markers.map((n) => 2 * n!));
    expect({ ...twice, runs: 1, markers: once.markers }).toEqual(once);
  });

  it('fma advise --recording --store twice gives the same answer', async () => {
    const store = join(await tempDir('fma-advise-twice-'), 'history.duckdb');
    const args = ['advise', '--recording', simulated, '--store', store, '--json'];
    const first = await runCli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).jobs).toHaveLength(3);
    const second = await runCli(args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });
});
