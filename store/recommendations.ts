import type { DuckDBConnection } from '@duckdb/node-api';
import { recommendationSchema, type Recommendation } from '../advisor/recommendation.ts';
import { inTransaction } from './history-store.ts';

/** One stored recommendation (table `recommendations`, schema version 2). */
export interface StoredRecommendation {
  runId: string;
  ts: number;
  heldBack: boolean;
  recommendation: Recommendation;
}

/**
 * Stores one run's recommendations. Idempotent: a resumed run replaces what it wrote before under
 * the same run id, in one transaction.
 */
export async function saveRecommendations(
  c: DuckDBConnection,
  runId: string,
  ts: number,
  rows: ReadonlyArray<{ recommendation: Recommendation; heldBack: boolean }>,
): Promise<void> {
  await inTransaction(c, async () => {
    await c.run('DELETE FROM recommendations WHERE run_id = $1', [runId]);
    for (const { recommendation: r, heldBack } of rows) {
      await c.run(
        'INSERT INTO recommendations VALUES ($1, epoch_ms($2::BIGINT), $3, $4, $5::BIGINT, $6, $7)',
        [runId, ts, r.cluster, r.jobId, r.recommended.processSize, heldBack, JSON.stringify(r)],
      );
    }
  });
}

/** The latest recommendation per job from runs other than `exceptRunId`, keyed by `cluster/jobId`. */
export async function latestRecommendations(c: DuckDBConnection, exceptRunId = ''): Promise<Map<string, StoredRecommendation>> {
  const result = await c.runAndReadAll(
    `SELECT run_id, epoch_ms(ts) AS ts, held_back, recommendation FROM recommendations WHERE run_id <> $1
     QUALIFY row_number() OVER (PARTITION BY cluster, job_id ORDER BY ts DESC, run_id DESC) = 1`,
    [exceptRunId],
  );
  const out = new Map<string, StoredRecommendation>();
  for (const row of result.getRowObjectsJS()) {
    const recommendation = recommendationSchema.parse(JSON.parse(String(row.recommendation)));
    out.set(recommendationKey(recommendation), { runId: String(row.run_id), ts: Number(row.ts), heldBack: Boolean(row.held_back), recommendation });
  }
  return out;
}

export function recommendationKey(r: { cluster: string; jobId: string }): string {
  return `${r.cluster}/${r.jobId}`;
}
