import { mkdir } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { inTransaction } from './history-store.ts';

/** Tables that hold observations over time, and the column that dates them. */
const dated: Array<[string, string]> = [
  ['metric_samples', 'ts'],
  ['cluster_observations', 'ts'],
  ['job_observations', 'ts'],
  ['exceptions', 'ts'],
  ['checkpoints', 'trigger_ts'],
  ['collection_runs', 'started_at'],
];

/**
 * Deletes observations older than `before` (epoch ms), in one transaction. Changes-only tables keep
 * every version still in force: only versions superseded before the cutoff go.
 */
export async function prune(c: DuckDBConnection, before: number): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  await inTransaction(c, async () => {
    for (const [table, column] of dated) {
      const result = await c.run(`DELETE FROM ${table} WHERE ${column} < epoch_ms($1::BIGINT)`, [before]);
      deleted[table] = Number(result.rowsChanged);
    }
    const versioned: Array<[string, string]> = [
      ['configs', 'cluster, job_id, source'],
      ['vertices', 'cluster, job_id'],
      ['edges', 'cluster, job_id'],
      ['taskmanagers', 'cluster, tm_id'],
      ['tm_slots', 'cluster, tm_id'],
      ['placements', 'cluster, job_id, vertex_id'],
      ['job_checkpoint_configs', 'cluster, job_id'],
    ];
    for (const [table, key] of versioned) {
      // A version is superseded when a newer one of the same key started before the cutoff.
      const result = await c.run(
        `DELETE FROM ${table} t WHERE t.ts < (SELECT max(n.ts) FROM ${table} n WHERE (${key.split(', ').map((k) => `n.${k} = t.${k}`).join(' AND ')}) AND n.ts <= epoch_ms($1::BIGINT))`,
        [before],
      );
      deleted[table] = Number(result.rowsChanged);
    }
  });
  return deleted;
}

/** Writes every table as `<dir>/<table>.parquet`. */
export async function exportParquet(c: DuckDBConnection, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const tables = (await c.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary ORDER BY 1`)).getRowsJS().map((r) => String(r[0]));
  for (const table of tables) {
    const target = `${dir}/${table}.parquet`.replaceAll("'", "''");
    await c.run(`COPY ${table} TO '${target}' (FORMAT parquet)`);
  }
  return tables;
}
