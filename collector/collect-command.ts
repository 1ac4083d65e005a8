import { CliError, ExitCode } from '../cli/errors.ts';
import { info, printJson } from '../cli/output.ts';
import { openStore, storeName, type HistoryStore } from '../store/history-store.ts';
import { finishRun, startRun, type RunSource } from '../store/runs.ts';
import { HarvestWriter } from '../store/write-harvest.ts';
import { parseDuration } from './duration.ts';
import { skippedCount, type CollectFailure, type Harvest } from './harvest.ts';
import { readRecordings } from './recording-reader.ts';
import { checkRestUrl } from './rest-url.ts';
import { stoppedError, watchStopSignals } from './stop-signals.ts';
import { filterJobs, resolveSource, type Connection, type Source } from './source.ts';
import type { SourceFlags } from './source-options.ts';

// The live and Prometheus paths (undici, p-limit, the progress bar) are imported where they are
// used, so that reading a recording does not load them.

export interface CollectFlags extends SourceFlags {
  /** A store file, or a store the caller has open (and closes). */
  store: string | HistoryStore;
  prometheusUrl?: string;
  since?: string;
  step?: string;
  clusterLabel?: string;
  duration?: string;
  interval?: string;
  json?: boolean;
}

export interface CollectOptions {
  /** Of recordings, read only these clusters' exchanges. */
  recordingClusters?: ReadonlySet<string>;
  /** Where the closing "collected N samples ..." line goes (default stderr); `fma nightly` puts it in its log. */
  report?: (line: string) => void;
}

/** `fma collect`: read clusters (or recordings) into the history store, in batched transactions. */
export async function runCollect(flags: CollectFlags, options: CollectOptions = {}): Promise<void> {
  const source = flags.prometheusUrl ? await invalidInput(() => prometheusSource(flags)) : await invalidInput(() => resolveSource(flags));
  const timing = invalidInputSync(() => pollTiming(flags));
  const ownStore = typeof flags.store === 'string';
  const store =
    typeof flags.store === 'string'
      ? await openStore(flags.store)
      : flags.store;
  const where = storeName(store);
  // A long live run stopped by Ctrl-C or SIGTERM keeps what it read (see collectLive's signal).
  const stop = source.kind === 'live' ? watchStopSignals() : undefined;
  const failures: CollectFailure[] = [];
  const skipped: Record<string, number> = {};
  let samples = 0;
  let stored = 0;
  const clusters = new Set<string>();
  const runSource: RunSource = source.kind === 'live' ? (source.targets.length > 1 ? 'fleet' : 'rest') : source.kind;
  let summary: Record<string, unknown> = {};
  try {
    const runId = await startRun(store.connection, runSource);
    const writer = new HarvestWriter(store.connection, runId);
    const keep = async (harvest: Harvest, cluster?: string) => {
      await writer.add(harvest);
      failures.push(...harvest.failures);
      for (const [reason, n] of Object.entries(harvest.skipped)) skipped[reason] = (skipped[reason] ?? 0) + n;
      samples += harvest.samples.length;
      if (cluster) clusters.add(cluster);
      for (const j of harvest.jobs) clusters.add(j.cluster);
      for (const x of harvest.samples) clusters.add(x.cluster);
    };
    summary =
      source.kind === 'recording'
        ? await fromRecordings(source, keep, options.recordingClusters)
        : source.kind === 'prometheus'
          ? await fromPrometheus(source, keep, flags.json !== true)
          : await fromLive(source, timing, { keep, flush: () => writer.flush(), failures, showProgress: flags.json !== true, ...(stop ? { signal: stop.signal } : {}) });
    await writer.flush();
    const status = stop?.exitCode !== undefined ? 'interrupted' : failures.length === 0 ? 'ok' : samples > 0 ? 'partial' : 'failed';
    await finishRun(store.connection, runId, { status, clusters: clusters.size, samples, failures: failures.length, skipped: skippedCount({ skipped }), detail: { failures, skipped } });
    stored = writer.totals.samples;
    // samples: read from the source; stored: of those, the ones the store did not hold yet (a re-read adds none).
    summary = { runId, status, store: where, clusters: clusters.size, samples, stored, failures: failures.length, skipped, ...summary };
  } finally {
    stop?.dispose();
    if (ownStore) store.close();
  }
  if (stop?.exitCode !== undefined) throw stoppedError(stop.exitCode, `kept ${samples} samples in ${where}`);
  if (failures.length > 0) {
    const jobs = new Set(failures.map((f) => f.jobId).filter(Boolean));
    const first = failures[0]!.reason;
    throw new CliError(
      `${failures.length} request(s) failed${jobs.size ? ` for ${jobs.size} job(s)` : ''} (kept ${samples} samples in ${where}); first: ${first}`,
      ExitCode.failure,
    );
  }
  if (flags.json) printJson(summary);
  else {
    const skippedTotal = skippedCount({ skipped });
    (options.report ?? info)(`collected ${samples} samples${stored === samples ? '' : ` (${stored} new; the store held the rest already)`} from ${clusters.size} cluster(s) into ${where}${skippedTotal ? ` (${skippedTotal} answers skipped: ${Object.entries(skipped).map(([r, n]) => `${n} ${r}`).join(', ')})` : ''}`);
  }
}

async function fromRecordings(source: Extract<Source, { kind: 'recording' }>, keep: (h: Harvest) => Promise<void>, clusters: ReadonlySet<string> | undefined) {
  const read = await readRecordings(source.paths, clusters ? { clusters } : {}).catch((error: Error) => {
    throw new CliError(error.message, ExitCode.invalidInput);
  });
  await keep(filterJobs(read.harvest, source.jobIds));
  return { files: read.files.length, lines: read.lines, understood: read.understood };
}

interface LiveRun {
  keep: (h: Harvest, cluster: string) => Promise<void>;
  /** Writes what `keep` buffered: after every poll, so that a run stopped later keeps it. */
  flush: () => Promise<void>;
  failures: CollectFailure[];
  showProgress: boolean;
  signal?: AbortSignal;
}

async function fromLive(source: Extract<Source, { kind: 'live' }>, timing: { durationMs?: number; intervalMs?: number }, run: LiveRun) {
  const [{ collectLive }, { requestProgress }] = await Promise.all([import('./collect-live.ts'), import('./progress.ts')]);
  const progress = requestProgress(run.showProgress);
  try {
    const live = await collectLive({
      targets: source.targets,
      ...source.connection,
      ...timing,
      ...(source.jobIds ? { jobIds: source.jobIds } : {}),
      ...(run.signal ? { signal: run.signal } : {}),
      onHarvest: (h, cluster) => run.keep(h, cluster),
      onPollEnd: run.flush,
      onProgress: progress.onProgress,
    });
    // A stopped run did not read every cluster: a job it did not see may still be running.
    if (!run.signal?.aborted) for (const id of live.missingJobs) run.failures.push({ cluster: '*', jobId: id, url: '/jobs/overview', reason: `job ${id} is not running on any cluster read` });
    return { polls: live.polls, requests: live.requests };
  } finally {
    progress.stop();
  }
}

interface PrometheusSource {
  kind: 'prometheus';
  url: string;
  sinceMs: number;
  stepMs: number;
  clusterLabel: string;
  connection: Connection;
}

async function prometheusSource(flags: CollectFlags): Promise<PrometheusSource> {
  if (flags.restUrl || flags.fleet || flags.recording?.length) throw new Error('give --prometheus-url alone, without --rest-url, --fleet or --recording');
  if (!flags.since) throw new Error('--prometheus-url needs --since (e.g. 7d)');
  checkRestUrl(flags.prometheusUrl!, '--prometheus-url');
  // Reuse the REST flags' validation (timeouts, retries, auth, CA) with the Prometheus URL as the root.
  const live = await resolveSource({ ...flags, restUrl: flags.prometheusUrl });
  if (live.kind !== 'live') throw new Error('unreachable');
  return {
    kind: 'prometheus',
    url: flags.prometheusUrl!,
    sinceMs: parseDuration(flags.since, '--since'),
    stepMs: parseDuration(flags.step ?? '60s', '--step'),
    clusterLabel: flags.clusterLabel ?? 'cluster',
    connection: live.connection,
  };
}

async function fromPrometheus(source: PrometheusSource, keep: (h: Harvest) => Promise<void>, showProgress: boolean) {
  const [{ default: pLimit }, { collectPrometheus }, { createAgent, RestClient }, { requestProgress }] = await Promise.all([
    import('p-limit'),
    import('./prometheus.ts'),
    import('./rest-client.ts'),
    import('./progress.ts'),
  ]);
  const agent = createAgent({ connections: source.connection.concurrency, ...(source.connection.ca ? { ca: source.connection.ca } : {}) });
  const progress = requestProgress(showProgress);
  try {
    const client = new RestClient(source.url, { ...source.connection, dispatcher: agent });
    // Evaluation times on multiples of the step: a later run over an overlapping window evaluates
    // at the same instants, and the store keeps each sample once.
    const end = Math.floor(Date.now() / source.stepMs) * source.stepMs;
    const start = Math.ceil((end - source.sinceMs) / source.stepMs) * source.stepMs;
    const harvest = await collectPrometheus({
      client,
      limit: pLimit(source.connection.concurrency),
      start,
      end,
      stepMs: source.stepMs,
      clusterLabel: source.clusterLabel,
      onProgress: progress.onProgress,
    }).catch((error: Error) => {
      throw new CliError(error.message, ExitCode.failure);
    });
    await keep(harvest);
    return { from: start, to: end, stepMs: source.stepMs };
  } finally {
    progress.stop();
    await agent.close();
  }
}

export function pollTiming(flags: { duration?: string; interval?: string }): { durationMs?: number; intervalMs?: number } {
  if (flags.interval && !flags.duration) throw new Error('--interval needs --duration');
  return {
    ...(flags.duration ? { durationMs: parseDuration(flags.duration, '--duration') } : {}),
    ...(flags.interval ? { intervalMs: parseDuration(flags.interval, '--interval') } : {}),
  };
}

async function invalidInput<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw new CliError((error as Error).message, ExitCode.invalidInput);
  }
}

function invalidInputSync<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new CliError((error as Error).message, ExitCode.invalidInput);
  }
}
