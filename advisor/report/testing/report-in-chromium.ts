import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { REPORT_CHARTS } from '../render-report.ts';

/** For tests: the system Chromium (FMA_CHROMIUM overrides), headless, offline, one launch per call. */
export const CHROMIUM = process.env.FMA_CHROMIUM ?? '/usr/bin/chromium';

export interface RenderedReport {
  page: Page;
  /** Per chart: the data points Chart.js holds and how many canvas pixels it painted. */
  charts: Array<{ id: string; points: number; painted: number }>;
  /** Console errors/warnings and page errors. */
  problems: string[];
  /** Every URL the page asked for. */
  requests: string[];
}

/** Opens report.html from disk in headless Chromium and hands the rendered page to `check`. */
export async function withReportInChromium<T>(reportPath: string, check: (rendered: RenderedReport) => Promise<T>): Promise<T> {
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
    await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });
    const charts = (await page.evaluate(chartProbe([...REPORT_CHARTS]))) as RenderedReport['charts'];
    return await check({ page, charts, problems, requests });
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

/** Runs in the page (as source text: this project type-checks without DOM types). */
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
