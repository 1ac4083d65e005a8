import { skippedCount } from '../collector/harvest.ts';
import { readRecordings } from '../collector/recording-reader.ts';
import type { HistoryStore } from '../store/history-store.ts';
import { finishRun, startRun } from '../store/runs.ts';
import { HarvestWriter } from '../store/write-harvest.ts';

export interface IngestedRecordings {
  files: number;
  lines: number;
  understood: number;
  samples: number;
  skipped: Record<string, number>;
}

/**
 * Puts recordings (contract 3) into a history store as one 'recording' collection run, with the
 * collector's own reader and writer (what `fma collect --recording` does), so that models train
 * and backtest on exactly what the store would hold.
 */
export async function ingestRecordings(store: HistoryStore, paths: string[]): Promise<IngestedRecordings> {
  const read = await readRecordings(paths);
  const h = read.harvest;
  const runId = await startRun(store.connection, 'recording');
  const writer = new HarvestWriter(store.connection, runId);
  await writer.add(h);
  await writer.flush();
  const clusters = new Set([...h.jobs.map((j) => j.cluster), ...h.samples.map((s) => s.cluster)]);
  await finishRun(store.connection, runId, {
    status: 'ok',
    clusters: clusters.size,
    samples: h.samples.length,
    failures: 0,
    skipped: skippedCount(h),
    detail: { skipped: h.skipped },
  });
  return { files: read.files.length, lines: read.lines, understood: read.understood, samples: h.samples.length, skipped: h.skipped };
}
