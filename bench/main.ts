import { formatRows, type Bench, type BenchRow } from './report.ts';

/**
 * `npm run bench [-- --quick] [-- --only area,...]`: runs every area's benchmark in one process
 * and prints all figures side by side, comparisons as ratios. An area is `bench/<area>.bench.ts`;
 * only the areas asked for are loaded.
 */
const areas = ['flink', 'simulator', 'optimizer', 'collector', 'model', 'advisor'];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? (args[onlyIndex + 1] ?? '').split(',') : areas;
const unknown = only.filter((a) => !areas.includes(a));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown area ${unknown.join(', ')} (areas: ${areas.join(', ')})\n`);
  process.exit(2);
}

// An area that fails is reported and the others still run: one failure does not cost the figures
// of a long run. The exit code says whether any failed.
const rows: BenchRow[] = [];
const failed: string[] = [];
for (const area of areas.filter((a) => only.includes(a))) {
  const { bench } = (await import(`./${area}.bench.ts`)) as { bench: Bench };
  process.stderr.write(`bench: ${area}...\n`);
  try {
    rows.push(...(await bench.run({ quick })));
  } catch (error) {
    failed.push(area);
    process.stderr.write(`bench: ${area} failed: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
process.stdout.write(`${formatRows(rows)}\n`);
if (failed.length > 0) {
  process.stderr.write(`bench: failed: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}
