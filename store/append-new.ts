import type { DuckDBConnection } from '@duckdb/node-api';
import { appendRows, type Cell, type ColumnKind } from './append.ts';

/**
 * What makes a row the same observation as another. `key`: the columns that name it (NULL equals
 * NULL), and `ts`, the TIMESTAMP column among them that dates it. 'primary key': the table's own
 * PRIMARY KEY (checkpoints, exceptions), whose index finds a stored row without a time range.
 */
export type RowIdentity = { key: readonly string[]; ts: string } | 'primary key';

/**
 * Appends the rows whose identity is neither stored yet nor earlier in `rows`, and returns how many
 * it added: reading a recording again, or a range that overlaps one read before, adds nothing twice.
 * Where an identity is stored already the stored row stays, even if its other columns differ: the
 * history a recommendation was computed from does not change under a re-read (a later `fma advise`
 * over the same window gives the same answer), and appending never rewrites DuckDB's compressed row
 * groups. Rows are staged with the Appender and inserted by one anti-join against the stored rows of
 * the staged time range only, which DuckDB's zonemaps answer without reading older row groups.
 * Measured on 800k samples in batches of 100k: the anti-join adds about 1 µs a sample to the
 * Appender's 2 µs, whatever the store's size; a PRIMARY KEY instead cost twice a plain append (its
 * ART index grows with the store) and needs NOT NULL sentinel columns, as NULLs never conflict in it.
 */
export async function appendNew(c: DuckDBConnection, table: string, kinds: ColumnKind[], rows: Cell[][], identity: RowIdentity): Promise<number> {
  if (rows.length === 0) return 0;
  const staging = `staging_${table}`;
  await c.run(`CREATE OR REPLACE TEMP TABLE ${staging} AS SELECT * FROM ${table} LIMIT 0`);
  await appendRows(c, staging, kinds, rows, 'temp');
  const insert = identity === 'primary key' ? `INSERT OR IGNORE INTO ${table} SELECT * FROM temp.${staging}` : await antiJoinInsert(c, table, staging, identity);
  const added = Number((await c.run(insert)).rowsChanged);
  // No DROP in a `finally`: after a failed statement the transaction only accepts ROLLBACK, which drops it anyway.
  await c.run(`DROP TABLE temp.${staging}`);
  return added;
}

async function antiJoinInsert(c: DuckDBConnection, table: string, staging: string, { key, ts }: { key: readonly string[]; ts: string }): Promise<string> {
  const range = (await c.runAndReadAll(`SELECT epoch_us(min(${ts})), epoch_us(max(${ts})) FROM temp.${staging}`)).getRowsJS()[0]!;
  // Literal bounds: a constant filter is pushed into the scan, where the zonemaps skip row groups.
  const stored = `(SELECT ${key.join(', ')} FROM ${table} WHERE ${ts} BETWEEN make_timestamp(${range[0]}) AND make_timestamp(${range[1]}))`;
  const same = key.map((k) => `s.${k} IS NOT DISTINCT FROM t.${k}`).join(' AND ');
  // Of rows repeated within the batch (overlapping recording files, say) the first read is kept.
  return `INSERT INTO ${table} SELECT s.* FROM temp.${staging} s ANTI JOIN ${stored} t ON ${same}
          QUALIFY row_number() OVER (PARTITION BY ${key.map((k) => `s.${k}`).join(', ')} ORDER BY s.rowid) = 1`;
}
