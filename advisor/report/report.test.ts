import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nightlySummarySchema } from './nightly-summary.ts';
import { escapeHtml, renderReport } from './render-report.ts';
import { sampleNightlySummary } from './sample-summary.ts';
import { withReportInChromium } from './testing/report-in-chromium.ts';
import { writeReport } from './write-report.ts';

const HOSTILE = '<img src=x onerror="window.pwned=1"></script><b>inventory</b>';

describe('report.html', () => {
  let dir: string;
  let paths: { report: string; summary: string };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fma-report-'));
    paths = await writeReport(dir, sampleNightlySummary());
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

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
      const screenshot = join(tmpdir(), `fma-report-${process.pid}.png`);
      await page.screenshot({ path: screenshot, fullPage: true });
      console.log(`report screenshot: ${screenshot}`);
    });
  });
});
