import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import { nightlySummarySchema, type NightlySummaryInput } from './nightly-summary.ts';
import { renderReport } from './render-report.ts';

/** Chart.js's self-contained browser build, read from the installed package (never a CDN). */
export async function loadChartJs(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('chart.js');
  return readFile(join(dirname(entry), 'chart.umd.min.js'), 'utf8');
}

/** Writes `<outDir>/report.html` and `<outDir>/summary.json` (each atomically); returns their paths. */
export async function writeReport(outDir: string, input: NightlySummaryInput): Promise<{ report: string; summary: string }> {
  const summary = nightlySummarySchema.parse(input);
  const paths = { report: join(outDir, 'report.html'), summary: join(outDir, 'summary.json') };
  await writeFileAtomic(paths.report, renderReport(summary, await loadChartJs()));
  await writeFileAtomic(paths.summary, `${JSON.stringify(summary, null, 2)}\n`);
  return paths;
}
