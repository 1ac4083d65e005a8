import type { Command } from 'commander';
import { CliError, ExitCode } from '../errors.ts';
import { info, printJson } from '../output.ts';

function nonNegativeInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`--${name} must be a non-negative integer, got '${text}'`, ExitCode.invalidInput);
  return n;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description("serve a simulated Flink fleet on loopback: Flink's REST API per cluster and Prometheus exposition")
    .option('--jobs <n>', 'number of jobs', '20')
    .option('--task-managers <n>', 'aim for about this many TaskManagers in total by scaling parallelism (default: what the jobs need)')
    .option('--seed <s>', 'seed: the same seed gives the same fleet and metrics', '1')
    .option('--port <p>', 'REST port (0 = any free port)', '8081')
    .option('--prometheus-port <p>', 'Prometheus port (0 = any free port)', '9249')
    .option('--speed <x>', 'simulated seconds per wall-clock second', '1')
    .option('--flink-version <v>', 'Flink version to answer as (1.20, 2.0, ...)', '1.20')
    .option('--start-time <iso>', 'simulated time at start (default: the fleet epoch, Monday 2025-01-06 00:00 UTC)')
    .option('--fleet-out <file>', 'write the fleet file (cluster names, REST roots, namespaces, budgets)')
    .option('--json', 'print the endpoints as JSON on stdout once serving')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const jobs = nonNegativeInt('jobs', String(opts.jobs));
      if (jobs < 1) throw new CliError('--jobs must be at least 1', ExitCode.invalidInput);
      const speed = Number(opts.speed);
      if (!(speed > 0)) throw new CliError(`--speed must be a positive number, got '${opts.speed}'`, ExitCode.invalidInput);
      let startTime: number | undefined;
      if (typeof opts.startTime === 'string') {
        startTime = Date.parse(opts.startTime);
        if (Number.isNaN(startTime)) throw new CliError(`--start-time is not a date: '${opts.startTime}'`, ExitCode.invalidInput);
      }
      const taskManagers = opts.taskManagers === undefined ? undefined : nonNegativeInt('task-managers', String(opts.taskManagers));
      if (taskManagers === 0) throw new CliError('--task-managers must be at least 1', ExitCode.invalidInput);
      // Parsed before the try below, so a bad number is invalid input rather than a failure to start.
      const numbers = {
        seed: nonNegativeInt('seed', String(opts.seed)),
        port: nonNegativeInt('port', String(opts.port)),
        prometheusPort: nonNegativeInt('prometheus-port', String(opts.prometheusPort)),
      };
      const { startSimulator } = await import('../../simulator/server.ts');
      let handle: Awaited<ReturnType<typeof startSimulator>>;
      try {
        handle = await startSimulator({ jobs, taskManagers, ...numbers, speed, flinkVersion: String(opts.flinkVersion), startTime });
      } catch (error) {
        const message = (error as Error).message;
        throw new CliError(`cannot start the simulator: ${message}`, /Flink|version/i.test(message) ? ExitCode.invalidInput : ExitCode.failure);
      }
      if (typeof opts.fleetOut === 'string') {
        const { writeFile } = await import('node:fs/promises');
        const { formatFleetFile } = await import('../../collector/fleet-file.ts');
        await writeFile(opts.fleetOut, formatFleetFile(handle.fleetFile));
      }
      const tms = handle.fleet.clusters.reduce((s, c) => s + c.taskManagers.length, 0);
      const summary = {
        restUrl: handle.restUrl,
        prometheusUrl: handle.prometheusUrl,
        flinkVersion: handle.fleet.flinkVersion,
        clusters: handle.fleet.clusters.length,
        jobs: handle.fleet.jobs.length,
        taskManagers: tms,
        example: handle.restRoot(handle.fleet.clusters[0]!.name),
      };
      if (opts.json) printJson(summary);
      info(`fma simulate: ${summary.jobs} jobs in ${summary.clusters} clusters (${tms} TaskManagers), Flink ${summary.flinkVersion}, speed ${speed}x`);
      info(`  REST:       ${handle.restUrl}/clusters/<name>/...   e.g. ${summary.example}/jobs/overview`);
      info(`  Prometheus: ${handle.prometheusUrl}/clusters/<name>/metrics`);
      if (typeof opts.fleetOut === 'string') info(`  fleet file: ${opts.fleetOut}`);
      info('Ctrl-C stops it.');
      await new Promise<void>((resolve) => {
        const stop = () => void handle.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
