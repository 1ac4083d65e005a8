import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatFleetFile } from '../../collector/fleet-file.ts';
import { MemorySize } from '../../flink/memory-size.ts';
import { startSimulator } from '../../simulator/index.ts';
import { openStore } from '../../store/history-store.ts';
import { adviseFromStore } from '../advise-store.ts';
import { collectIntoStore } from '../collect-into-store.ts';
import { runNightly, type NightlyResult } from '../nightly/run-nightly.ts';
import { budgetsOf, loadDemandModel } from '../run-context.ts';

export interface DemoOptions {
  out: string;
  jobs: number;
  seed: number;
  /** Wall time spent polling; with `speed` it decides how much simulated history there is. */
  collectMs: number;
  /** Simulated ms per wall ms. */
  speed: number;
  intervalMs: number;
  log: (line: string) => void;
}

export const defaultDemo = { out: 'fma-demo-out', jobs: 16, seed: 7, collectMs: 18_000, speed: 2_000, intervalMs: 400 };

/** How far below the unconstrained plan the demo's budget sits: it binds a little, as a team would set it. */
export const demoSqueeze = 0.03;

export interface DemoResult extends NightlyResult {
  budget: string;
  simulatedHours: number;
}

/**
 * `fma demo`: a simulated fleet on loopback, about ten hours of history collected at high simulated
 * speed, then the nightly end to end with the shipped model under a budget that binds a little
 * (3% below what the optimizer picks freely): most jobs keep every pool at its p95 and a few are
 * traded down towards their observed peaks. Everything stays on 127.0.0.1 and under `out`.
 */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const out = resolve(o.out);
  await mkdir(out, { recursive: true });
  // Each demo is a fresh fleet: history and recommendations of an earlier demo in `out` would mix with it.
  const storePath = join(out, 'history.duckdb');
  await Promise.all([storePath, `${storePath}.wal`, join(out, 'nightly-state.json')].map((f) => rm(f, { force: true })));
  const sim = await startSimulator({ jobs: o.jobs, seed: o.seed, speed: o.speed, port: 0, prometheusPort: 0 });
  try {
    const fleetPath = join(out, 'fleet.yaml');
    await writeFile(fleetPath, formatFleetFile({ ...sim.fleetFile, budgets: [] }));
    const t0 = sim.clock.now();
    o.log(`simulator: ${sim.fleet.jobs.length} jobs on ${sim.fleetFile.clusters.length} cluster(s) at ${sim.restUrl}, ${o.speed}x simulated speed`);
    o.log(`collecting for ${o.collectMs / 1000} s (a poll every ${o.intervalMs} ms) into ${storePath}`);
    const collected = await collectIntoStore({ fleet: fleetPath, all: true, duration: `${o.collectMs}ms`, interval: `${o.intervalMs}ms` }, storePath);
    if (collected.partial) o.log(`collection was partial: ${collected.partial}`);
    const simulatedHours = (sim.clock.now() - t0) / 3_600_000;
    o.log(`collected ${simulatedHours.toFixed(1)} simulated hours of history`);
    const budget = await demoBudget(storePath, fleetPath);
    o.log(`budget ${budget}: ${demoSqueeze * 100}% below the plan the optimizer picks without one`);
    const result = await runNightly({
      source: { fleet: fleetPath },
      out,
      store: storePath,
      budget,
      retrainAfterMs: 7 * 86_400_000,
      smoothing: 0.5,
      minChange: 0.05,
      unitBytes: 16 * 1024 * 1024,
    });
    return { ...result, budget, simulatedHours };
  } finally {
    await sim.close();
  }
}

/** A fleet budget that binds a little: `demoSqueeze` below the unconstrained plan, never below the smallest safe fleet. */
async function demoBudget(storePath: string, fleetPath: string): Promise<string> {
  const { model } = await loadDemandModel(undefined);
  const { namespaces, kinds } = await budgetsOf({ fleet: fleetPath });
  const store = await openStore(storePath);
  try {
    const squeezed = await adviseFromStore(store, { model, namespaces, kinds, budgets: [{ name: 'fleet', total: '1' }] });
    const { minimalFeasible, before } = squeezed.plan.budgets[0]!;
    const free = await adviseFromStore(store, { model, namespaces, kinds });
    const unit = 1024 * 1024 * 1024;
    const target = Math.max(minimalFeasible, Math.floor((free.plan.totals.after * (1 - demoSqueeze)) / unit) * unit);
    return MemorySize.ofBytes(Math.min(before, target)).toConfigString();
  } finally {
    store.close();
  }
}
