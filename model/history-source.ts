import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ingestRecordings } from '../features/recording-store.ts';
import { loadJobSeries } from '../features/store-series.ts';
import { openStore } from '../store/history-store.ts';
import type { JobHistory } from './job-history.ts';
import { describeSimulatedFleet, simulatedFleetHistories, type SimulatedFleetOptions } from './simulated-fleet.ts';

/** Where a model's histories come from: the simulator (with ground truth), recordings, or a history store. */
export type HistorySource =
  | { kind: 'simulator'; fleet: SimulatedFleetOptions }
  /** Recordings are ingested into `store` (kept, and its earlier history used too) or a temporary store. */
  | { kind: 'recording'; paths: string[]; store?: string }
  | { kind: 'store'; path: string };

export interface LoadedHistories {
  histories: JobHistory[];
  /** 'simulator', 'recording' or 'store': meta.json's trainedOn.source. */
  source: HistorySource['kind'];
  description: string;
  /** True when the targets are the simulator's ground truth, false when they are observed demand. */
  groundTruth: boolean;
}

/**
 * Loads the histories of a source. Recordings go through the collector's ingestion into a DuckDB
 * store and out through features' SQL, exactly as collected history would.
 */
export async function loadHistories(source: HistorySource, jobIds?: string[]): Promise<LoadedHistories> {
  if (source.kind === 'simulator') {
    return { histories: simulatedFleetHistories(source.fleet), source: 'simulator', description: describeSimulatedFleet(source.fleet), groundTruth: true };
  }
  const only = jobIds ? { jobIds } : {};
  if (source.kind === 'store') {
    const store = await openStore(source.path, { readOnly: true });
    try {
      const series = await loadJobSeries(store, only);
      return { histories: series.map((s) => ({ series: s })), source: 'store', description: `history store ${basename(source.path)}: ${describe(series.length)}`, groundTruth: false };
    } finally {
      store.close();
    }
  }
  const temp = source.store === undefined ? await mkdtemp(join(tmpdir(), 'fma-recording-')) : undefined;
  const path = source.store ?? join(temp!, 'history.duckdb');
  try {
    const store = await openStore(path);
    try {
      await ingestRecordings(store, source.paths);
      const series = await loadJobSeries(store, only);
      const files = source.paths.map((p) => basename(p)).join(', ');
      return { histories: series.map((s) => ({ series: s })), source: 'recording', description: `recording ${files}${source.store ? ' (plus its store)' : ''}: ${describe(series.length)}`, groundTruth: false };
    } finally {
      store.close();
    }
  } finally {
    if (temp) await rm(temp, { recursive: true, force: true });
  }
}

function describe(jobs: number): string {
  return `${jobs} job${jobs === 1 ? '' : 's'}, targets = observed demand`;
}
