import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/temp-dir.ts';
import { fleetTotal, nightlySummarySchema } from './nightly-summary.ts';
import { escapeHtml, renderReport } from './render-report.ts';
import { sampleNightlySummary } from './sample-summary.ts';
import { withReportInChromium } from './testing/report-in-chromium.ts';
import { writeReport } from './write-report.ts';

const HOSTILE = '<img src=x onerror="window.pwned=1"></script><b>inventory</b>';

describe('report.html', () => {
  let dir: string;
  let paths: { report: string; summary: string };
  beforeAll(async () => {
    dir = await tempDir('fma-report-');
    paths = await writeReport(dir, sampleNightlySummary());
  });

  it('is self-contained: Chart.js inlined, no external reference', async () => {
    const html = await readFile(paths.report, 'utf8');
    expect(html).toContain('Chart.js v4');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org)[^\s"']*\.(js|css)/);
  });

  it('escapes job names in the HTML and in the embedded data', async () => {
    const html = await readFile(paths.report, 'utf8');
    expect(html).not.toContain('<img');
    expect(html).toContain(escapeHtml(HOSTILE));
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });

  it('writes summary.json that reads back through the schema', async () => {
    const summary = nightlySummarySchema.parse(JSON.parse(await readFile(paths.summary, 'utf8')));
    expect(summary).toEqual(sampleNightlySummary());
  });

  it('says what the risk number means, over the model horizon', async () => {
    const html = await readFile(paths.report, 'utf8');
    expect(html).toContain('probability that some pool needs more than it gets over the next 24 h, from the forecast&#39;s quantiles (the model&#39;s, calibrated on held-out history; or the conservative rule&#39;s');
  });

  it("counts a session cluster's shared TaskManagers once in fleet totals", () => {
    const [a, b, c] = sampleNightlySummary().jobs;
    const session = [a!, { ...b!, taskManagers: a!.taskManagers, recommendedProcessSize: a!.recommendedProcessSize }].map((j) => ({ ...j, sessionCluster: 'shared' }));
    const perTm = (j: { recommendedProcessSize: number }) => j.recommendedProcessSize;
    expect(fleetTotal([...session, c!], perTm)).toBe(a!.recommendedProcessSize * a!.taskManagers + c!.recommendedProcessSize * c!.taskManagers);
    expect(fleetTotal([a!, b!], perTm)).toBe(a!.recommendedProcessSize * a!.taskManagers + b!.recommendedProcessSize * b!.taskManagers);
  });

  it('marks the jobs whose recommendation was held back, and only those', () => {
    const summary = sampleNightlySummary();
    const [first, ...rest] = summary.jobs;
    const html = renderReport({ ...summary, jobs: [{ ...first!, heldBack: true }, ...rest.map((j) => ({ ...j, heldBack: false }))] }, '');
    expect(html.match(/\(held back\)<\/span>/g)).toHaveLength(1);
  });

  it('renders an empty fleet without failing', () => {
    const html = renderReport(nightlySummarySchema.parse({ generatedAt: '2026-11-21T02:00:00Z', budgets: [], jobs: [], calibration: [] }), '');
    expect(html).toContain('0 job(s)');
  });

  it('renders in headless Chromium with every chart drawn and no console error', async () => {
    await withReportInChromium(paths.report, async ({ page, charts, problems, requests }) => {
      for (const chart of charts) {
        expect(chart.points, chart.id).toBeGreaterThan(0);
        expect(chart.painted, chart.id).toBeGreaterThan(1000);
      }
      expect(await page.evaluate('window.pwned')).toBeUndefined();
      expect(await page.locator('#jobs tbody tr').count()).toBe(4);
      expect(await page.locator('#jobs tbody').textContent()).toContain(HOSTILE);
      expect(await page.locator('#calibration tbody tr').count()).toBe(16);
      expect(problems).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
      const screenshot = join(dir, 'report.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      console.log(`report screenshot: ${screenshot}`);
    });
  });
});
