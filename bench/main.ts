import { formatRows, type Bench, type BenchRow } from './report.ts';

/**
 * `npm run bench [-- --quick] [-- --only area,...]`: runs every area's benchmark in one process
 * and prints all figures side by side, comparisons as ratios.
 */
const benches: Array<() => Promise<Bench>> = [
  () => import('./flink.bench.ts').then((m) => m.bench),
  () => import('./simulator.bench.ts').then((m) => m.bench),
  () => import('./optimizer.bench.ts').then((m) => m.bench),
  () => import('./collector.bench.ts').then((m) => m.bench),
  () => import('./model.bench.ts').then((m) => m.bench),
];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? new Set((args[onlyIndex + 1] ?? '').split(',')) : undefined;

const rows: BenchRow[] = [];
for (const load of benches) {
  const bench = await load();
  if (only && !only.has(bench.area)) continue;
  process.stderr.write(`bench: ${bench.area}...\n`);
  rows.push(...(await bench.run({ quick })));
}
process.stdout.write(`${formatRows(rows)}\n`);
