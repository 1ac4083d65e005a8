import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/run-cli.ts';
import { tempDir } from '../../test-support/temp-dir.ts';
import { nightlySummarySchema } from '../report/nightly-summary.ts';
import { withReportInChromium } from '../report/testing/report-in-chromium.ts';

describe('fma demo', () => {
  it('runs the advisor end to end on a simulated fleet, and its real report renders in Chromium', async () => {
    const out = await tempDir('fma-demo-');
    const run = await runCli(['demo', '--out', out, '--jobs', '12', '--json'], { timeoutMs: 180_000 });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { report: string; jobs: number; budget: string; simulatedHours: number };
    expect(result.jobs).toBe(12);
    expect(result.simulatedHours).toBeGreaterThan(6);
    const summary = nightlySummarySchema.parse(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')));
    expect(summary.budgets.map((b) => b.name)).toContain('fleet');
    // The budget binds: the plan fits it, below what the fleet runs with today.
    const fleet = summary.budgets.find((b) => b.name === 'fleet')!;
    expect(fleet.after).toBeLessThanOrEqual(fleet.limit!);
    expect(fleet.after).toBeLessThan(fleet.before);
    // A folder per job; a session cluster's shared patch once more, in its own folder.
    const folders = await readdir(join(out, 'patches'));
    expect(folders.filter((f) => !f.startsWith('cluster-'))).toHaveLength(12);
    for (const job of summary.jobs) expect(folders).toContain(job.patchDirectory!.replace(/^patches\//, ''));
    await withReportInChromium(result.report, async ({ page, charts, problems, requests }) => {
      for (const chart of charts) expect(chart.painted, chart.id).toBeGreaterThan(1000);
      expect(await page.locator('#jobs tbody tr').count()).toBe(12);
      expect(problems).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    });
  }, 240_000);
});
