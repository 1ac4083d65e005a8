import { spawn } from 'node:child_process';

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { readRecordings } from '../collector/recording-reader.ts';
import { openStore, type HistoryStore } from './history-store.ts';
import { exportParquet, prune } from './maintenance.ts';
import { listJobs, samples, tableCounts } from './read.ts';
import { finishRun, startRun } from './runs.ts';
import { migrations, schemaVersion } from './schema.ts';
import { writeHarvest } from './write-harvest.ts';
import { tempDir } from '../test-support/temp-dir.ts';

const sample = fileURLToPath(new URL('../collector/fixtures/independent-capture.jsonl', import.meta.url));
const runTs = fileURLToPath(new URL('../bin/run-ts.js', import.meta.url));
const crashWriter = fileURLToPath(new URL('./testing/crash-writer.ts', import.meta.url));
const opened: HistoryStore[] = [];

async function freshStore(): Promise<{ store: HistoryStore; path: string }> {
  const path = join(await tempDir('fma-store-'), 'history.duckdb');
  const store = await openStore(path);
  opened.push(store);
  return { store, path };
}

afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

describe('history store', () => {
  it('stores a recording and reads it back; a second write of the same data adds no row', async () => {
    const { store } = await freshStore();
    const { harvest } = await readRecordings([sample]);
    const runId = await startRun(store.connection, 'recording');
    await writeHarvest(store.connection, harvest, runId);
    await finishRun(store.connection, runId, { status: 'ok', clusters: 3, samples: harvest.samples.length, failures: 0, skipped: 0, detail: {} });
    const first = await tableCounts(store.connection);
    expect(first.metric_samples).toBe(harvest.samples.length);
    expect(first.taskmanagers).toBeGreaterThanOrEqual(4);
    expect(first.checkpoints).toBe(harvest.checkpoints.length);

    // Only the poll markers are appended again (their readers take distinct times).
    const markers = harvest.clusters.length + harvest.jobs.length;
    expect(await writeHarvest(store.connection, harvest, 'again')).toEqual({ samples: 0, rows: markers });
    expect(await tableCounts(store.connection)).toEqual({ ...first, cluster_observations: 2 * first.cluster_observations!, job_observations: 2 * first.job_observations! });

    const jobs = await listJobs(store.connection);
    expect(jobs.map((j) => j.cluster).sort()).toEqual(['bookings-router', 'fraud-archiver-v2', 'pricing-features']);
    const tm = 'fraud-archiver-v2-taskmanager-1-1';
    const heap = await samples(store.connection, { metric: 'Status.JVM.Memory.Heap.Used', tmId: tm });
    expect(heap.length).toBe(harvest.samples.filter((s) => s.metric === 'Status.JVM.Memory.Heap.Used' && s.tmId === tm).length);
    expect(heap.length).toBeGreaterThanOrEqual(120);
    expect(heap.every((s) => Number.isInteger(s.value))).toBe(true);
    const mem = await store.connection.runAndReadAll(`SELECT task_heap, total_process FROM taskmanagers_latest WHERE tm_id = 'fraud-archiver-v2-taskmanager-1-1'`);
    expect(mem.getRowsJS()[0]).toEqual([1476394934n, 51539607552n]);
  });

  it('migrates a store of the previous schema in place, keeping its rows', async () => {
    const path = join(await tempDir('fma-migrate-'), 'history.duckdb');
    const old = await DuckDBInstance.create(path);
    const c = await old.connect();
    for (const m of migrations.filter((x) => x.version < schemaVersion)) for (const statement of m.statements) await c.run(statement);
    await c.run(`INSERT INTO meta VALUES ('schema_version', '${schemaVersion - 1}')`);
    await c.run(`INSERT INTO configs VALUES (now()::TIMESTAMP, 'c', '', 'jobmanager', 'h', 'state.backend.type', 'rocksdb')`);
    c.closeSync();
    old.closeSync();
    // Even a read-only open migrates an older store first (a reader would otherwise be stuck).
    const store = await openStore(path, { readOnly: true });
    opened.push(store);
    const counts = await tableCounts(store.connection);
    expect([counts.configs, counts.job_checkpoint_configs]).toEqual([1, 0]);
    expect((await store.connection.runAndReadAll(`SELECT value FROM meta WHERE key = 'schema_version'`)).getRowsJS()).toEqual([[String(schemaVersion)]]);
  });

  it('migrating a version-3 store removes the rows of a recording it stored twice', async () => {
    const { store: once, path: oncePath } = await freshStore();
    const { harvest } = await readRecordings([sample]);
    await writeHarvest(once.connection, harvest, 'r');
    const expected = await tableCounts(once.connection);
    once.close();
    opened.splice(opened.indexOf(once), 1);

    // What fma wrote before version 4 when a recording was read twice: every observation twice,
    // and the versions of a changes-only table again. The poll markers stay twice (as now).
    const path = join(await tempDir('fma-migrate-'), 'history.duckdb');
    const old = await DuckDBInstance.create(path);
    const c = await old.connect();
    for (const m of migrations.filter((x) => x.version <= 3)) for (const statement of m.statements) await c.run(statement);
    await c.run(`INSERT INTO meta VALUES ('schema_version', '3')`);
    await c.run(`ATTACH '${oncePath}' AS once (READ_ONLY)`);
    const tables = Object.keys(expected).filter((t) => t !== 'collection_runs' && t !== 'checkpoints' && t !== 'exceptions');
    for (const table of tables) for (let i = 0; i < 2; i++) await c.run(`INSERT INTO ${table} SELECT * FROM once.${table}`);
    await c.run(`INSERT INTO checkpoints SELECT * FROM once.checkpoints`);
    await c.run(`INSERT INTO exceptions SELECT * FROM once.exceptions`);
    expect(Number((await c.runAndReadAll(`SELECT count(*) FROM metric_samples`)).getRowsJS()[0]![0])).toBe(2 * expected.metric_samples!);
    c.closeSync();
    old.closeSync();

    const store = await openStore(path);
    opened.push(store);
    const markers = (n: number) => ({ cluster_observations: n * expected.cluster_observations!, job_observations: n * expected.job_observations! });
    expect(await tableCounts(store.connection)).toEqual({ ...expected, ...markers(2) });
    // And a store written from now on stays that way.
    await writeHarvest(store.connection, harvest, 'again');
    expect(await tableCounts(store.connection)).toEqual({ ...expected, ...markers(3) });
  });

  it('refuses a store written by a newer fma, naming both versions', async () => {
    const { path } = await freshStore();
    const writer = await openStore(path);
    await writer.connection.run(`UPDATE meta SET value = '${schemaVersion + 1}' WHERE key = 'schema_version'`);
    writer.close();
    await expect(openStore(path, { readOnly: true })).rejects.toThrow(`has schema version ${schemaVersion + 1}, newer than this fma reads (${schemaVersion})`);
  });

  it('refuses a second writing process with a clear message', async () => {
    const { path } = await freshStore();
    const child = spawn(process.execPath, [runTs, crashWriter, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/in use by another fma run \(PID \d+\)/);
  });

  it('keeps every committed batch after kill -9', async () => {
    const dir = await tempDir('fma-crash-');
    const path = join(dir, 'history.duckdb');
    const child = spawn(process.execPath, [runTs, crashWriter, path, '3000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let committed = -1;
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        const all = [...d.toString().matchAll(/committed (\d+)/g)];
        if (all.length) committed = Number(all[all.length - 1]![1]);
        if (committed >= 5) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('close', (code) => (committed < 5 ? reject(new Error(`writer exited early (${code})`)) : undefined));
    });
    await new Promise((resolve) => child.on('close', resolve));
    const store = await openStore(path);
    opened.push(store);
    const rows = (await store.connection.runAndReadAll(`SELECT value, count(*) FROM metric_samples GROUP BY value ORDER BY value`)).getRowsJS();
    // Every committed batch is whole; a batch in flight is either whole or absent.
    expect(rows.length).toBeGreaterThanOrEqual(committed + 1);
    for (const [batch, n] of rows) expect([batch, n]).toEqual([batch, 3000n]);
    expect(rows.map((r) => Number(r[0]))).toEqual(rows.map((_, i) => i));
  });

  it('prunes old observations and exports parquet', async () => {
    const { store, path } = await freshStore();
    const { harvest } = await readRecordings([sample]);
    await writeHarvest(store.connection, harvest, 'r');
    const all = (await tableCounts(store.connection)).metric_samples!;
    const cutoff = 1731755000000;
    const deleted = await prune(store.connection, cutoff);
    const left = await samples(store.connection, { metric: 'Status.JVM.Memory.Heap.Used' });
    expect(left.every((s) => s.ts >= cutoff)).toBe(true);
    expect(deleted.metric_samples).toBe(all - (await tableCounts(store.connection)).metric_samples!);
    // The latest TaskManager version survives pruning.
    expect((await tableCounts(store.connection)).taskmanagers).toBeGreaterThanOrEqual(4);
    const tables = await exportParquet(store.connection, join(path, '..', 'parquet'));
    expect(tables).toContain('metric_samples');
    const back = await store.connection.runAndReadAll(`SELECT count(*) FROM read_parquet('${join(path, '..', 'parquet', 'metric_samples.parquet')}')`);
    expect(Number(back.getRowsJS()[0]![0])).toBe((await tableCounts(store.connection)).metric_samples);
  });
});
