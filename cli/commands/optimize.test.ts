import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/run-cli.ts';
import { deriveTaskManagerMemory } from '../../flink/taskmanager-memory.ts';
import { resolveFlinkVersion } from '../../flink/version.ts';

const MiB = 1024 * 1024;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fma-optimize-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fma optimize', () => {
  it('plans the shipped example as JSON, with keys that Flink derives back into the pools', async () => {
    const run = await runCli(['optimize', '--input', 'optimizer/example-input.yaml', '--json']);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout);
    expect(plan.feasible).toBe(true);
    expect(plan.budgets[0]).toMatchObject({ name: 'shop-quota', jobs: 1, feasible: true });
    const [orders, clicks] = plan.jobs;
    expect(clicks.recommended.processSize).toBe(1616 * MiB);
    expect(orders.recommended.pools.taskHeap).toBe(912 * MiB);
    const derived = deriveTaskManagerMemory(orders.recommended.flinkConfig, resolveFlinkVersion('1.20'));
    expect(Number(derived.totalProcess.bytes)).toBe(orders.recommended.processSize);
  });

  it('exits 1 when --budget is too small, showing the smallest budget that fits and who runs below p95', async () => {
    const run = await runCli(['optimize', '--input', 'optimizer/example-input.yaml', '--budget', '6000m']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('budget fleet (5.9g, 2 jobs)');
    expect(run.stdout).toMatch(/below p95: orders-enrichment/);
    // The smallest budget as a size --budget accepts, the same in the plan and on stderr, and it fits.
    const smallest = /fma: budget fleet \(6000m\) cannot be met: the smallest budget that fits is (\d+m) \(6\.3 GiB\)/.exec(run.stderr)?.[1];
    expect(smallest, run.stderr).toBeDefined();
    expect(run.stdout).toContain(`the smallest budget that fits is ${smallest} (the plan above assumes it)`);
    const fits = await runCli(['optimize', '--input', 'optimizer/example-input.yaml', '--budget', smallest!]);
    expect(fits.code, fits.stderr).toBe(0);
  });

  it('plans from a recording through an in-memory store, naming no temporary file', async () => {
    const run = await runCli(['optimize', '--recording', 'data/simulated-3-jobs-seed42.jsonl.gz', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('into a temporary in-memory store');
    expect(run.stderr).not.toContain(tmpdir());
    expect((JSON.parse(run.stdout) as { jobs: unknown[] }).jobs).toHaveLength(3);
  });

  it('names the offending field of an invalid input, exit 2, JSON error on stdout', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ jobs: [{ id: 'x', cluster: 'c', taskManagers: 0 }] }));
    const run = await runCli(['optimize', '--input', file, '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error).toMatch(/jobs\.0\.taskManagers/);
  });

  it('refuses a --store that holds no collection (exit 2) instead of creating an empty one', async () => {
    const store = join(dir, 'never-collected.duckdb');
    const run = await runCli(['optimize', '--store', store]);
    expect([run.code, run.stderr]).toEqual([2, `fma: no history store at ${store} (fma collect creates one)\n`]);
    expect(existsSync(store)).toBe(false);
  });

  it('rejects an unknown Flink version as invalid input', async () => {
    const file = join(dir, 'old.yaml');
    const example = await readFile('optimizer/example-input.yaml', 'utf8');
    await writeFile(file, example.replace('flinkVersion: "1.20"', 'flinkVersion: "1.9"'));
    const run = await runCli(['optimize', '--input', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/jobs\.0\.flinkVersion: Flink 1\.9 predates/);
  });

  it('rejects a budget that is not a memory size', async () => {
    const run = await runCli(['optimize', '--input', 'optimizer/example-input.yaml', '--budget', '1.5g']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--budget/);
  });
});
