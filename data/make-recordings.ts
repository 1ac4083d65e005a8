/**
 * Makes the recordings shipped in data/ (data/README.md says what each holds). For each: generate
 * the simulated fleet, serve it in-process at high speed from a fixed simulated start time, record
 * the clusters wanted with the real recorder (`fma record`'s code) for the simulated span, stop,
 * and check that every line reads back and names every job's state backend.
 *
 *   node bin/run-ts.js data/make-recordings.ts                               # all of them
 *   node bin/run-ts.js data/make-recordings.ts simulated-3-jobs-seed42.jsonl.gz # one
 *
 * The recorder's --duration and --interval run on the wall clock, so the simulated span and poll
 * interval are divided by the speed; each answer's `t` is the simulator's Date header, i.e.
 * simulated time. Re-running gives the same fleet and the same poll times within a few simulated
 * seconds (the wall clock paces the polls), not a byte-identical file.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatFleetFile } from '../collector/fleet-file.ts';
import { runRecord } from '../collector/record-command.ts';
import { readRecordings } from '../collector/recording-reader.ts';
import { startSimulator } from '../simulator/server.ts';

interface Plan {
  file: string;
  seed: number;
  jobs: number;
  /** `fma simulate`'s default, so its command line reproduces the same fleet. */
  flinkVersion: string;
  /** `--task-managers`: scales parallelism down so the recording stays small. */
  taskManagers: number;
  start: string;
  hours: number;
  intervalMinutes: number;
  /** Simulated ms per wall ms: fast, yet a poll (well under a wall second) spans only a minute or two. */
  speed: number;
  /** Record only these clusters (all when absent). */
  clusters?: string[];
}

const plans: Plan[] = [
  // signups-counters (RocksDB, 1 TaskManager), inventory-cdc-sync (hashmap, 4), shipments-compactor (RocksDB, sized too small: OOMs).
  { file: 'simulated-3-jobs-seed42.jsonl.gz', seed: 42, jobs: 3, flinkVersion: '1.20', taskManagers: 6, start: '2025-01-07T00:00:00Z', hours: 48, intervalMinutes: 10, speed: 1200 },
  // The fleet's session cluster (4 jobs on 2 shared TaskManagers) and an application cluster whose hashmap job OOMs at its daily peak.
  {
    file: 'simulated-session-seed7.jsonl.gz', seed: 7, jobs: 30, flinkVersion: '1.20', taskManagers: 60, start: '2025-01-07T00:00:00Z', hours: 24, intervalMinutes: 10, speed: 1200,
    clusters: ['session-payments-1', 'inventory-fanout'],
  },
];

const here = new URL('.', import.meta.url).pathname;
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !plans.some((p) => p.file === w));
if (unknown.length > 0) throw new Error(`no recording named ${unknown.join(', ')}; known: ${plans.map((p) => p.file).join(', ')}`);
for (const plan of plans.filter((p) => wanted.length === 0 || wanted.includes(p.file))) await make(plan);

async function make(plan: Plan): Promise<void> {
  const out = join(here, plan.file);
  const dir = await mkdtemp(join(tmpdir(), 'fma-recordings-'));
  const sim = await startSimulator({ seed: plan.seed, jobs: plan.jobs, flinkVersion: plan.flinkVersion, taskManagers: plan.taskManagers, speed: plan.speed, startTime: Date.parse(plan.start) });
  try {
    const fleetFile = sim.fleetFile;
    if (plan.clusters) {
      const missing = plan.clusters.filter((name) => !fleetFile.clusters.some((c) => c.name === name));
      if (missing.length > 0) throw new Error(`seed ${plan.seed} has no cluster ${missing.join(', ')}: the fleet generator changed`);
      fleetFile.clusters = fleetFile.clusters.filter((c) => plan.clusters!.includes(c.name));
    }
    const fleetPath = join(dir, 'fleet.yaml');
    await writeFile(fleetPath, formatFleetFile(fleetFile));
    const wallMs = (simulatedMs: number) => `${Math.round(simulatedMs / plan.speed)}ms`;
    process.stderr.write(`${plan.file}: seed ${plan.seed}, ${plan.jobs} jobs, ${fleetFile.clusters.length} cluster(s), ${plan.hours} h from ${plan.start} every ${plan.intervalMinutes} min at ${plan.speed}x\n`);
    await runRecord({ fleet: fleetPath, out, duration: wallMs(plan.hours * 3_600_000), interval: wallMs(plan.intervalMinutes * 60_000), json: false });
  } finally {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
  const back = await readRecordings([out]);
  if (back.understood !== back.lines) throw new Error(`${plan.file}: only ${back.understood} of ${back.lines} lines understood`);
  // Each job's backend is named only by its checkpoint config, asked once per run: it must be there.
  const named = new Set(back.harvest.checkpointConfigs.filter((c) => c.stateBackend).map((c) => c.jobId));
  const unnamed = [...new Set(back.harvest.jobs.map((j) => j.jobId))].filter((id) => !named.has(id));
  if (unnamed.length > 0) throw new Error(`${plan.file}: no checkpoint config names the state backend of ${unnamed.join(', ')}`);
  // JobManager metrics change every poll, so they are never left out as unchanged: one set per cluster and poll.
  const jobManagerPolls = new Set(back.harvest.samples.filter((s) => s.scope === 'jobmanager').map((s) => `${s.cluster} ${s.ts}`));
  const polls = jobManagerPolls.size / new Set(back.harvest.samples.map((s) => s.cluster)).size;
  let first = Infinity;
  let last = -Infinity;
  for (const { ts } of back.harvest.samples) [first, last] = [Math.min(first, ts), Math.max(last, ts)];
  const span = `${((last - first) / 3_600_000).toFixed(2)} simulated hours (${new Date(first).toISOString()} .. ${new Date(last).toISOString()})`;
  process.stderr.write(`${plan.file}: ${(await stat(out)).size} bytes, ${back.lines} exchanges, ${polls} polls over ${span}\n`);
}
