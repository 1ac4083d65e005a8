import { CliError, ExitCode } from '../cli/errors.ts';
import { info, printJson } from '../cli/output.ts';
import { collectLive } from './collect-live.ts';
import { pollTiming } from './collect-command.ts';
import { defaultCluster } from './exchange.ts';
import { requestProgress } from './progress.ts';
import { RecordingWriter } from './recording-writer.ts';
import { resolveSource } from './source.ts';
import { stoppedError, watchStopSignals } from './stop-signals.ts';
import type { SourceFlags } from './source-options.ts';

export interface RecordFlags extends SourceFlags {
  out: string;
  /** Write every answer, even one identical to the last answer to the same URL. */
  keepUnchanged?: boolean;
  duration?: string;
  interval?: string;
  json?: boolean;
}

/** `fma record`: polls clusters like `fma collect` and writes the REST exchanges to a recording (unchanged answers once, unless --keep-unchanged). */
export async function runRecord(flags: RecordFlags): Promise<void> {
  let source;
  let timing;
  try {
    source = await resolveSource(flags);
    timing = pollTiming(flags);
  } catch (error) {
    throw new CliError((error as Error).message, ExitCode.invalidInput);
  }
  if (source.kind !== 'live') throw new CliError('fma record reads live clusters: give --rest-url or --fleet', ExitCode.invalidInput);
  const single = source.targets.length === 1 && source.targets[0]!.name === defaultCluster ? defaultCluster : undefined;
  const writer = new RecordingWriter(flags.out, { recording: 1, notes: `fma record of ${source.targets.length} cluster(s)` }, {
    ...(single ? { implicitCluster: single } : {}),
    skipUnchanged: flags.keepUnchanged !== true,
  });
  const failures: string[] = [];
  const progress = requestProgress(flags.json !== true);
  // Ctrl-C or SIGTERM stops polling and closes the recording: every line it holds is complete.
  const stop = watchStopSignals();
  let summary;
  try {
    summary = await collectLive({
      targets: source.targets,
      ...source.connection,
      ...timing,
      ...(source.jobIds ? { jobIds: source.jobIds } : {}),
      signal: stop.signal,
      onExchange: (exchange) => writer.write(exchange),
      onHarvest: async (harvest) => {
        failures.push(...harvest.failures.map((f) => f.reason));
      },
      onProgress: progress.onProgress,
    });
  } finally {
    progress.stop();
    await writer.close();
    stop.dispose();
  }
  // The writer creates the file with the first exchange: a run that got none leaves no file.
  const kept = writer.lines > 0 ? `recorded ${writer.lines} exchanges to ${flags.out}` : `recorded nothing, so ${flags.out} was not written`;
  if (stop.exitCode !== undefined) throw stoppedError(stop.exitCode, kept);
  for (const id of summary.missingJobs) failures.push(`job ${id} is not running on any cluster read`);
  if (failures.length > 0) throw new CliError(`${failures.length} request(s) failed (${kept}); first: ${failures[0]}`, ExitCode.failure);
  if (flags.json) printJson({ out: flags.out, exchanges: writer.lines, unchanged: writer.unchanged, polls: summary.polls, clusters: summary.clusters });
  else info(`recorded ${writer.lines} exchanges from ${summary.clusters} cluster(s) in ${summary.polls} poll(s) to ${flags.out} (${writer.unchanged} unchanged answers left out)`);
}
