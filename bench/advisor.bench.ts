import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adviseFromStore } from '../advisor/advise-store.ts';
import { collectIntoStore } from '../advisor/collect-into-store.ts';
import { loadDemandModel } from '../advisor/run-context.ts';
import { collectLive } from '../collector/collect-live.ts';
import { RecordingWriter } from '../collector/recording-writer.ts';
import { startSimulator } from '../simulator/index.ts';
import { openStore } from '../store/history-store.ts';
import type { Bench, BenchRow } from './report.ts';
import { freshBundleUrl } from '../bin/bundle-manifest.js';

const bin = fileURLToPath(new URL('../bin/fma.js', import.meta.url));
const bundler = fileURLToPath(new URL('../bin/build-bundle.js', import.meta.url));

/**
 * The advisor as a user runs it, on recordings made here with the simulator and the recorder:
 * `fma advise` for one job with 100 TaskManagers (warm in-process time per advice, and the CLI's
 * wall time including start-up and ingestion), `fma advise` for one job of a 1,000-job recording,
 * and `fma nightly` over that recording. CLI times are medians of a few runs: the machine is shared.
 * Start-up is `fma advise --help`: Node, cli/main.ts with every command registered, and the help
 * printed; not the advisor's own modules, which load lazily. The CLI runs as users run it, from the
 * bundle built at install (rebuilt here first if the sources changed since), and from the sources
 * through tsx's loader for comparison.
 */
export const bench: Bench = {
  area: 'advisor',
  async run({ quick }) {
    const dir = await mkdtemp(join(tmpdir(), 'fma-bench-advisor-'));
    try {
      const rows: BenchRow[] = [];
      const big = join(dir, 'one-job-100-tms.jsonl');
      const bigJob = await record(big, { jobs: 1, taskManagers: 100, polls: quick ? 2 : 4 });
      const label = '1 job, 100 TaskManagers';

      const store = join(dir, 'advise.duckdb');
      await collectIntoStore({ recording: [big], all: true }, store);
      const { model } = await loadDemandModel(undefined);
      const opened = await openStore(store);
      try {
        await adviseFromStore(opened, { model, jobIds: [bigJob] }); // warm-up: HiGHS wasm, tfjs kernels
        const times: number[] = [];
        for (let i = 0; i < 3; i++) {
          const started = performance.now();
          await adviseFromStore(opened, { model, jobIds: [bigJob] });
          times.push(performance.now() - started);
        }
        rows.push({ area: 'advisor', case: label, metric: 'advise, warm, in-process (median of 3)', value: times.sort((a, b) => a - b)[1]!, unit: 'ms' });
      } finally {
        opened.close();
      }
      const runs = quick ? 1 : 5;
      await ensureFreshBundle();
      const bundled = await cliTimes(runs, big, bigJob, {});
      const sources = await cliTimes(runs, big, bigJob, { FMA_BUNDLE: '0' });
      rows.push(
        { area: 'advisor', case: label, metric: `fma advise wall time (start-up + ingest + advise), median of ${runs}`, value: bundled.wall, unit: 'ms', ratio: { vs: 'from the sources via tsx', value: bundled.wall / sources.wall } },
        { area: 'advisor', case: label, metric: `start-up alone (fma advise --help), median of ${runs}`, value: bundled.startUp, unit: 'ms', ratio: { vs: 'from the sources via tsx', value: bundled.startUp / sources.startUp } },
        { area: 'advisor', case: label, metric: 'after start-up (wall - start-up)', value: bundled.wall - bundled.startUp, unit: 'ms', ratio: { vs: '1 s target', value: (bundled.wall - bundled.startUp) / 1000 } },
        { area: 'advisor', case: label, metric: 'after start-up, from the sources via tsx', value: sources.wall - sources.startUp, unit: 'ms', ratio: { vs: '1 s target', value: (sources.wall - sources.startUp) / 1000 } },
      );

      const jobs = quick ? 40 : 1000;
      const fleet = join(dir, `fleet-${jobs}.jsonl`);
      const recordStart = performance.now();
      const fleetJob = await record(fleet, { jobs, polls: 2 });
      const recordSeconds = (performance.now() - recordStart) / 1000;
      // Ingestion-bound: the whole recording goes into the store for one job's advice.
      const oneOfMany = await wall(['advise', '--recording', fleet, '--job', fleetJob, '--json']);
      // 4 GiB a job is below what the fleet needs: the nightly plans for the smallest budget that
      // fits (the optimizer's hardest case) and says so with exit 1, which is the expected outcome.
      const budgetMissed = (code: number | null, stderr: string) => code === 1 && /budget fleet \(\d+g\) cannot be met/.test(stderr) && !/collection was partial/.test(stderr);
      const nightly = await wall(['nightly', '--recording', fleet, '--out', join(dir, 'nightly'), '--budget', `${jobs * 4}g`], {}, budgetMissed);
      rows.push(
        { area: 'advisor', case: `${jobs} jobs`, metric: 'recording made (simulator + recorder, 2 polls)', value: recordSeconds, unit: 's' },
        { area: 'advisor', case: `${jobs} jobs`, metric: 'fma advise --job (one job of the recording) wall time', value: oneOfMany / 1000, unit: 's' },
        { area: 'advisor', case: `${jobs} jobs`, metric: 'fma nightly wall time', value: nightly / 1000, unit: 's', ratio: { vs: '10 min cron slot', value: nightly / 600_000 } },
      );
      return rows;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

/** Records `polls` polls of a simulated fleet; returns the first job's id. */
async function record(path: string, o: { jobs: number; taskManagers?: number; polls: number }): Promise<string> {
  const sim = await startSimulator({ jobs: o.jobs, seed: 5, speed: 600, ...(o.taskManagers ? { taskManagers: o.taskManagers } : {}) });
  const writer = new RecordingWriter(path, { recording: 1, notes: `bench: ${o.jobs} simulated jobs` });
  try {
    await collectLive({
      targets: sim.fleetFile.clusters.map((c) => ({ name: c.name, restUrl: c.restUrl })),
      concurrency: 32,
      timeoutMs: 60_000,
      durationMs: o.polls * 500 - 1,
      intervalMs: 500,
      onExchange: (e) => writer.write(e),
      onHarvest: async () => {},
    });
  } finally {
    await writer.close();
    await sim.close();
  }
  return sim.fleet.jobs[0]!.id;
}

/** Rebuilds dist/ when it is missing or older than the sources, so the bench times what users run. */
async function ensureFreshBundle(): Promise<void> {
  if (freshBundleUrl()) return;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [bundler], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && freshBundleUrl() ? resolve() : reject(new Error(`bundling the CLI failed (exit ${code})`))));
  });
}

async function cliTimes(runs: number, recording: string, job: string, env: Record<string, string>): Promise<{ wall: number; startUp: number }> {
  return {
    wall: await medianWall(runs, ['advise', '--recording', recording, '--job', job, '--json'], env),
    startUp: await medianWall(runs, ['advise', '--help'], env),
  };
}

async function medianWall(runs: number, args: string[], env: Record<string, string>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await wall(args, env));
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** Wall time of one `fma` run; any exit but 0 fails the bench unless `expected` accepts it. */
function wall(args: string[], env: Record<string, string> = {}, expected?: (code: number | null, stderr: string) => boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 || expected?.(code, stderr) ? resolve(performance.now() - started) : reject(new Error(`fma ${args[0]} exited ${code}: ${stderr.slice(-500)}`)),
    );
  });
}
