import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from '../simulator/index.ts';
import { openStore } from '../store/history-store.ts';
import { runCli } from '../test-support/run-cli.ts';
import { formatFleetFile } from './fleet-file.ts';
import { tempDir } from '../test-support/temp-dir.ts';

let sim: SimulatorHandle;
let dir: string;
let fleetPath: string;

beforeAll(async () => {
  sim = await startSimulator({ jobs: 6, seed: 3 });
  dir = await tempDir('fma-e2e-');
  fleetPath = join(dir, 'fleet.yaml');
  await writeFile(fleetPath, formatFleetFile(sim.fleetFile));
});
afterAll(async () => {
  await sim?.close();
});

async function query(store: string, sql: string): Promise<unknown[][]> {
  const s = await openStore(store, { readOnly: true });
  try {
    return (await s.connection.runAndReadAll(sql)).getRowsJS();
  } finally {
    s.close();
  }
}

describe('collector end to end against the simulator', () => {
  it('collects a simulated fleet live, and the same from a recording of it', async () => {
    const live = join(dir, 'live.duckdb');
    const run = await runCli(['collect', '--fleet', fleetPath, '--store', live, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'ok', clusters: sim.fleet.clusters.length, failures: 0 });
    const tms = sim.fleet.clusters.reduce((n, c) => n + c.taskManagers.length, 0);
    expect(await query(live, `SELECT count(DISTINCT tm_id) FROM taskmanagers`)).toEqual([[BigInt(tms)]]);
    // memoryConfiguration is stored as Flink derived it, byte for byte.
    const cluster = sim.fleet.clusters[0]!;
    const m = cluster.memory;
    expect(await query(live, `SELECT task_heap, managed, network, total_process FROM taskmanagers_latest WHERE tm_id = '${cluster.taskManagers[0]!.id}'`)).toEqual([
      [BigInt(m.taskHeap), BigInt(m.managed), BigInt(m.network), BigInt(m.totalProcess)],
    ]);
    expect(await query(live, `SELECT count(DISTINCT job_id) FROM vertices`)).toEqual([[BigInt(sim.fleet.jobs.length)]]);
    // Each job's own state backend, from its checkpoint config.
    const backends = sim.fleet.jobs.map((j) => [j.id, j.stateBackend === 'rocksdb' ? 'EmbeddedRocksDBStateBackend' : 'HashMapStateBackend']).sort();
    const storedBackends = `SELECT job_id, state_backend FROM job_checkpoint_configs ORDER BY job_id`;
    expect(await query(live, storedBackends)).toEqual(backends);

    const recording = join(dir, 'fleet.jsonl');
    expect((await runCli(['record', '--fleet', fleetPath, '--out', recording])).code).toBe(0);
    const replayed = join(dir, 'replayed.duckdb');
    const again = await runCli(['collect', '--recording', recording, '--store', replayed, '--json']);
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout);
    expect(summary.understood).toBe(summary.lines);
    expect(await query(replayed, `SELECT count(DISTINCT tm_id) FROM taskmanagers`)).toEqual([[BigInt(tms)]]);
    expect(await query(replayed, storedBackends)).toEqual(backends);
  });

  it('polls repeatedly with --duration and --interval, one observation per poll', async () => {
    const store = join(dir, 'polls.duckdb');
    const cluster = sim.fleet.clusters[0]!.name;
    const run = await runCli(['collect', '--rest-url', sim.restRoot(cluster), '--cluster', cluster, '--duration', '3s', '--interval', '100ms', '--store', store, '--json']);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.polls).toBeGreaterThanOrEqual(2);
    expect(await query(store, `SELECT count(*) FROM cluster_observations`)).toEqual([[BigInt(summary.polls)]]);
  });

  it('records an unchanged answer once, and every answer with --keep-unchanged', async () => {
    const cluster = sim.fleet.clusters[0]!.name;
    const record = async (out: string, extra: string[] = []) => {
      const run = await runCli(['record', '--rest-url', sim.restRoot(cluster), '--cluster', cluster, '--duration', '1s', '--interval', '250ms', '--out', out, '--json', ...extra]);
      expect(run.code).toBe(0);
      const lines = (await readFile(out, 'utf8')).trim().split('\n').slice(1).map((l) => JSON.parse(l) as { url: string });
      return { summary: JSON.parse(run.stdout), configs: lines.filter((l) => l.url === '/jobmanager/config').length };
    };
    const lean = await record(join(dir, 'lean.jsonl'));
    const full = await record(join(dir, 'full.jsonl'), ['--keep-unchanged']);
    expect(lean.summary.polls).toBeGreaterThanOrEqual(2);
    expect([lean.configs, lean.summary.unchanged > 0]).toEqual([1, true]);
    expect([full.configs, full.summary.unchanged]).toEqual([full.summary.polls, 0]);
  });

  it('stamps samples with the cluster clock when it runs ahead of ours (a simulator under --speed)', async () => {
    const start = Date.UTC(2025, 0, 6, 0, 0, 0);
    const fast = await startSimulator({ jobs: 2, seed: 5, speed: 3600, startTime: start });
    try {
      const store = join(dir, 'fast.duckdb');
      const cluster = fast.fleet.clusters[0]!.name;
      const run = await runCli(['collect', '--rest-url', fast.restRoot(cluster), '--cluster', cluster, '--duration', '2s', '--interval', '500ms', '--store', store]);
      expect(run.code).toBe(0);
      const [[first, last]] = (await query(store, `SELECT epoch_ms(min(ts)), epoch_ms(max(ts)) FROM metric_samples`)) as [[number, number]];
      // One wall second is one simulated hour: the polls span simulated hours, starting at the simulator's clock.
      expect(Number(first)).toBeGreaterThanOrEqual(start);
      expect(Number(first)).toBeLessThan(start + 6 * 3_600_000);
      expect(Number(last) - Number(first)).toBeGreaterThan(3_600_000);
    } finally {
      await fast.close();
    }
  });
});
