import type { Command } from 'commander';
import type { DemoFlags } from '../../advisor/demo/demo-command.ts';

/** `fma demo` (npm run demo): the whole advisor on a simulated fleet, offline, in well under a minute. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the advisor end to end on a simulated Flink fleet on 127.0.0.1 and write the nightly report')
    .option('--out <dir>', 'where the report, patches, store and log go', 'fma-demo-out')
    .option('--jobs <n>', 'jobs in the simulated fleet', '16')
    .option('--seed <s>', 'simulator seed (same seed, same fleet)', '7')
    .option('--json', 'print a JSON summary of the run on stdout')
    .addHelpText(
      'after',
      `
What it does, with no network beyond loopback and nothing to install:
  1. starts the fleet simulator in-process (Flink's REST API per cluster on 127.0.0.1, a free port);
  2. polls it like \`fma collect --fleet\` for 18 s at 2000x simulated speed (about 10 hours of history);
  3. runs \`fma nightly\` with the shipped model under a budget 3% below what the optimizer would
     pick freely: most jobs keep every pool at its p95, a few are traded down towards their peaks;
  4. prints where report.html is, and stops the simulator.

Example:
  npm run demo            # same as: fma demo --out fma-demo-out`,
    )
    .action(async (flags: DemoFlags) => {
      const { runDemoCommand } = await import('../../advisor/demo/demo-command.ts');
      await runDemoCommand(flags);
    });
}
