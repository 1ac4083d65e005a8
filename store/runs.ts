import { randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';

export type RunSource = 'rest' | 'fleet' | 'recording' | 'prometheus';

export interface RunSummary {
  /** 'interrupted': a signal stopped the run; what it read until then is stored. */
  status: 'ok' | 'partial' | 'failed' | 'interrupted';
  clusters: number;
  samples: number;
  failures: number;
  skipped: number;
  detail: unknown;
}

/** Records the start of a collection run; a run killed midway keeps finished_at NULL. */
export async function startRun(connection: DuckDBConnection, source: RunSource, now = Date.now()): Promise<string> {
  const runId = randomUUID();
  await connection.run(`INSERT INTO collection_runs (run_id, started_at, source, status) VALUES ($1, epoch_ms($2::BIGINT), $3, 'running')`, [runId, now, source]);
  return runId;
}

export async function finishRun(connection: DuckDBConnection, runId: string, summary: RunSummary, now = Date.now()): Promise<void> {
  await connection.run(
    `UPDATE collection_runs SET finished_at = epoch_ms($2::BIGINT), status = $3, clusters = $4, samples = $5, failures = $6, skipped = $7, detail = $8 WHERE run_id = $1`,
    [runId, now, summary.status, summary.clusters, summary.samples, summary.failures, summary.skipped, JSON.stringify(summary.detail)],
  );
}
