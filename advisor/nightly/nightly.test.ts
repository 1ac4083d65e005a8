import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFleetFile } from '../../collector/fleet-file.ts';
import { startSimulator, type SimulatorHandle } from '../../simulator/index.ts';
import { repoRoot, runCli } from '../../test-support/run-cli.ts';
import { tempDir } from '../../test-support/temp-dir.ts';
import { nightlySummarySchema, type NightlySummary } from '../report/nightly-summary.ts';

const recording = join(repoRoot, 'collector/fixtures/independent-capture.jsonl');
const bin = fileURLToPath(new URL('../../bin/fma.js', import.meta.url));

const readSummary = async (dir: string): Promise<NightlySummary> => nightlySummarySchema.parse(JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')));

describe('fma nightly', () => {
  let sim: SimulatorHandle;
  let dir: string;
  let fleet: string;
  beforeAll(async () => {
    dir = await tempDir('fma-nightly-');
    sim = await startSimulator({ jobs: 4, seed: 11, speed: 600 });
    fleet = join(dir, 'fleet.yaml');
    // Without the simulated namespace quotas, which a young fleet may not fit (that case has its own test).
    await writeFile(fleet, formatFleetFile({ ...sim.fleetFile, budgets: [] }));
  });
  afterAll(async () => {
    await sim.close();
  });

  it('writes report, summary and patches for every job; a second night with a small change does not flap', async () => {
    const out = join(dir, 'out');
    const first = await runCli(['nightly', '--fleet', fleet, '--out', out, '--budget', '200g']);
    expect(first.code, first.stderr).toBe(0);
    const night1 = await readSummary(out);
    expect(night1.jobs).toHaveLength(4);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    for (const job of night1.jobs) {
      expect((await readdir(join(out, job.patchDirectory!))).sort()).toEqual(
        ['README.md', 'config.yaml', 'dynamic-properties.txt', 'flink-conf.yaml', 'flink-run-args.txt', 'flinkdeployment-patch.json'],
      );
    }
    const log = await readFile(join(out, 'nightly.log'), 'utf8');
    expect(log).toMatch(/report written to .*report\.html/);
    // What was collected is in the log too, stamped like every other line.
    expect(log).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z collected \d+ samples from 4 cluster\(s\) into /m);

    const second = await runCli(['nightly', '--fleet', fleet, '--out', out, '--budget', '200g', '--min-change', '10%']);
    expect(second.code, second.stderr).toBe(0);
    const night2 = await readSummary(out);
    for (const job of night2.jobs) {
      const before = night1.jobs.find((j) => j.jobId === job.jobId)!;
      const change = Math.abs(job.recommendedProcessSize - before.recommendedProcessSize) / before.recommendedProcessSize;
      // Either exactly last night's shape (held back) or a material move: never a small wobble.
      if (change > 0) expect(change).toBeGreaterThanOrEqual(0.1);
      else expect(job.recommended).toEqual(before.recommended);
      // summary.json says which jobs kept last night's recommendation.
      expect(typeof job.heldBack).toBe('boolean');
      if (job.heldBack) expect(job.recommended).toEqual(before.recommended);
    }
    const readme = await readFile(join(out, night2.jobs[0]!.patchDirectory!, 'README.md'), 'utf8');
    expect(readme).toMatch(/Held back|Smoothed|observed peak/);
  });

  it('exits 1 when a budget cannot hold the fleet, and still writes the plan for the smallest budget that fits', async () => {
    const out = join(dir, 'tight');
    const run = await runCli(['nightly', '--recording', recording, '--out', out, '--budget', '1g']);
    expect(run.code).toBe(1);
    const summary = await readSummary(out);
    expect(summary.budgets).toEqual([expect.objectContaining({ name: 'fleet', limit: 1024 ** 3, feasible: false })]);
    // The smallest budget that fits, as a size --budget accepts, in the summary and in the log.
    expect(summary.warnings.join('\n')).toMatch(/Budget fleet \(1g\) cannot be met: the smallest budget that fits is \d+m \([\d.]+ GiB\)/);
    expect(await readFile(join(out, 'nightly.log'), 'utf8')).toMatch(/budget fleet \(1g\) cannot be met: the smallest budget that fits is \d+m[\s\S]*with failures \(exit 1\)/);
    expect(JSON.parse(await readFile(join(out, 'nightly-state.json'), 'utf8'))).toMatchObject({ exitCode: 1 });
  });

  it('refuses a second run on the same --out (exit 3), and a run killed with -9 is resumed by the next', async () => {
    const out = join(dir, 'locked');
    const child = spawn(process.execPath, [bin, 'nightly', '--recording', recording, '--out', out], { stdio: 'ignore' });
    try {
      // Freeze the first run as soon as it holds the lock: it then stays "running" for as long as the test needs.
      while (!existsSync(join(out, '.nightly.lock'))) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGSTOP');
      const busy = await runCli(['nightly', '--recording', recording, '--out', out]);
      expect(busy.code).toBe(3);
      expect(busy.stderr).toMatch(/another fma nightly \(PID \d+/);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    const resumed = await runCli(['nightly', '--recording', recording, '--out', out]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('took over the lock');
    const summary = await readSummary(out);
    expect(summary.jobs).toHaveLength(3);
    expect(existsSync(join(out, '.nightly.lock'))).toBe(false);
    expect(JSON.parse(await readFile(join(out, 'nightly-state.json'), 'utf8'))).toMatchObject({ exitCode: 0 });
  });
});
