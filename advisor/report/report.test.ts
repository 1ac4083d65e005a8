import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nightlySummarySchema } from './nightly-summary.ts';
import { escapeHtml, REPORT_CHARTS, renderReport } from './render-report.ts';
import { sampleNightlySummary } from './sample-summary.ts';
import { writeReport } from './write-report.ts';

const CHROMIUM = process.env.FMA_CHROMIUM ?? '/usr/bin/chromium';
const HOSTILE = '<img src=x onerror="window.pwned=1"></script><b>inventory</b>';

/**
 * Runs in the page (as source text: this project type-checks without DOM types). Per chart: the
 * data points Chart.js holds and how many canvas pixels it painted.
 */
function chartProbe(ids: string[]): string {
  return `${JSON.stringify(ids)}.map(function (id) {
    var canvas = document.getElementById(id);
    var chart = (window.fmaCharts || {})[id];
    var pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    var painted = 0;
    for (var i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
    var points = chart ? chart.data.datasets.reduce(function (n, d) { return n + d.data.length; }, 0) : 0;
    return { id: id, points: points, painted: painted };
  })`;
}

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
    const profile = await mkdtemp(join(tmpdir(), 'fma-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(paths.report).href, { waitUntil: 'load' });

      const charts = (await page.evaluate(chartProbe([...REPORT_CHARTS]))) as { id: string; points: number; painted: number }[];
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
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  });
});
