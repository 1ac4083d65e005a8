import { info, printJson } from '../../cli/output.ts';
import { parseNumber } from '../run-context.ts';
import { defaultDemo, runDemo } from './run-demo.ts';

export interface DemoFlags {
  out: string;
  jobs: string;
  seed: string;
  json?: boolean;
}

export async function runDemoCommand(flags: DemoFlags): Promise<void> {
  const started = performance.now();
  const result = await runDemo({
    ...defaultDemo,
    out: flags.out,
    jobs: parseNumber('--jobs', flags.jobs, (n) => Number.isInteger(n) && n >= 1 && n <= 200, 'a whole number from 1 to 200'),
    seed: parseNumber('--seed', flags.seed, Number.isInteger, 'a whole number'),
    log: info,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (flags.json) printJson({ ...result, seconds: Number(seconds) });
  else info(`\nDemo done in ${seconds} s: ${result.jobs} jobs advised under a ${result.budget} budget.\nOpen the report: ${result.report}\nPatches per job: ${result.report.replace(/report\.html$/, 'patches/')}`);
  process.exitCode = result.exitCode;
}
