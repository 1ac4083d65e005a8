import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from '../simulator/index.ts';
import { runCli } from '../test-support/run-cli.ts';
import { collectPrometheus } from './prometheus.ts';
import { RestClient } from './rest-client.ts';
import { tempDir } from '../test-support/temp-dir.ts';

const prometheusBin = '/usr/bin/prometheus';
let sim: SimulatorHandle;
let prometheus: ChildProcess | undefined;
let promUrl: string;
let dir: string;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Flink's reporter filters label values: every character outside [a-zA-Z0-9:_] becomes `_`. */
const reporterFiltered = (s: string) => s.replace(/[^a-zA-Z0-9:_]/g, '_');

beforeAll(async () => {
  sim = await startSimulator({ jobs: 2, seed: 5 });
  dir = await tempDir('fma-prom-');
  const promHost = new URL(sim.prometheusUrl).host;
  const scrape = sim.fleet.clusters.map(
    (c) => `  - job_name: 'flink-${c.name}'
    metrics_path: '/clusters/${encodeURIComponent(c.name)}/metrics'
    static_configs:
      - targets: ['${promHost}']
        labels: { cluster: '${c.name}' }`,
  );
  await writeFile(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\nscrape_configs:\n${scrape.join('\n')}\n`);
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  prometheus = spawn(prometheusBin, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: 'ignore' });
  // Wait until every TaskManager has been scraped at least twice.
  const tms = sim.fleet.clusters.reduce((n, c) => n + c.taskManagers.length, 0);
  const client = new RestClient(promUrl, { retries: 0, timeoutMs: 2000 });
  for (;;) {
    const answer = await client.get(`/api/v1/query?query=${encodeURIComponent('count(count_over_time(flink_taskmanager_Status_JVM_Memory_Heap_Max[1m]) >= 2)')}`).catch(() => undefined);
    const value = (answer?.body as { data?: { result?: Array<{ value: [number, string] }> } } | undefined)?.data?.result?.[0]?.value[1];
    if (Number(value) >= tms) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});

afterAll(async () => {
  prometheus?.kill('SIGTERM');
  await sim?.close();
});

describe('collectPrometheus against a real Prometheus scraping the simulator', () => {
  it('maps PrometheusReporter series back to Flink metric ids, TaskManagers and clusters', async () => {
    const end = Date.now();
    const harvest = await collectPrometheus({ client: new RestClient(promUrl), limit: pLimit(4), start: end - 10 * 60_000, end, stepMs: 1000, clusterLabel: 'cluster' });
    expect(harvest.failures).toEqual([]);
    for (const cluster of sim.fleet.clusters) {
      for (const tm of cluster.taskManagers) {
        const heapMax = harvest.samples.filter((s) => s.cluster === cluster.name && s.tmId === reporterFiltered(tm.id) && s.metric === 'Status.JVM.Memory.Heap.Max');
        expect(heapMax.length, tm.id).toBeGreaterThanOrEqual(2);
        const truth = sim.simulation.taskManagerMetrics(tm.id, sim.clock.now()).get('Status.JVM.Memory.Heap.Max');
        expect(heapMax.every((s) => s.value === truth && s.scope === 'taskmanager')).toBe(true);
      }
    }
    const job = sim.fleet.jobs[0]!;
    expect(harvest.samples.some((s) => s.scope === 'job' && s.jobId === job.id && s.metric === 'numRestarts')).toBe(true);
    expect(harvest.samples.some((s) => s.scope === 'subtask' && s.jobId === job.id && s.vertexId !== undefined && s.subtask !== undefined)).toBe(true);
  });

  it('fma collect --prometheus-url stores the history', async () => {
    const store = join(dir, 'h.duckdb');
    const run = await runCli(['collect', '--prometheus-url', promUrl, '--since', '10m', '--step', '1s', '--store', store, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ status: 'ok', clusters: sim.fleet.clusters.length });
    expect(summary.samples).toBeGreaterThan(0);
    expect(summary.stored).toBe(summary.samples);

    // The same window again, seconds later: the instants both runs evaluated are stored once (with
    // evaluation times not on the step's grid, none would match and all would be stored again).
    const again = JSON.parse((await runCli(['collect', '--prometheus-url', promUrl, '--since', '10m', '--step', '1s', '--store', store, '--json'])).stdout);
    expect(again.samples).toBeGreaterThan(0);
    expect(again.stored).toBeLessThan(again.samples);
    const info = JSON.parse((await runCli(['store', 'info', '--store', store, '--json'])).stdout);
    expect(info.rows.metric_samples).toBe(summary.stored + again.stored);
  });
});
