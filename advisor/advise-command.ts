import type { SourceFlags } from '../collector/source-options.ts';
import { CliError, ExitCode } from '../cli/errors.ts';
import { info, printJson, printText } from '../cli/output.ts';
import type { HistoryStore } from '../store/history-store.ts';
import { budgetNotMet } from '../optimizer/plan-text.ts';
import type { CollectOutcome } from './collect-into-store.ts';
import { parseExportFormats } from './export/export-formats.ts';
import { formatAdvice } from './format-advice.ts';
import { budgetsOf, invalid, loadDemandModel, parseNumber } from './run-context.ts';

export interface AdviseFlags extends SourceFlags {
  store?: string;
  modelDir?: string;
  budget?: string;
  parallelism?: string;
  loadFactor?: string;
  export?: string;
  format?: string;
  json?: boolean;
}

/**
 * `fma advise`: collect one poll (or ingest recordings, or with --store alone nothing) into the
 * store, then advise every asked job from its whole history. A dry run: it reads clusters and writes only the store and --export.
 * A job of a session cluster is planned with the cluster's other jobs (they share its
 * TaskManagers, so one shape must serve them all); only the asked jobs are printed.
 */
export async function runAdvise(flags: AdviseFlags): Promise<void> {
  const formats = (() => {
    try {
      return flags.export ? parseExportFormats(flags.format ?? 'all') : undefined;
    } catch (error) {
      throw invalid((error as Error).message);
    }
  })();
  if (flags.format && !flags.export) throw invalid('--format needs --export DIR');
  const whatIf = {
    ...(flags.parallelism === undefined ? {} : { parallelism: parseNumber('--parallelism', flags.parallelism, (n) => Number.isInteger(n) && n >= 1, 'a whole number >= 1') }),
    ...(flags.loadFactor === undefined ? {} : { loadFactor: parseNumber('--load-factor', flags.loadFactor, (n) => n > 0, 'a number > 0') }),
  };
  // --store alone advises from what earlier collections (fma collect, nightly) left there, reading no cluster.
  const storeOnly = !(flags.restUrl || flags.fleet || flags.recording?.length);
  if (storeOnly && flags.store === undefined) throw invalid('give one of --rest-url, --fleet, --recording or --store');
  if (!storeOnly) {
    const { resolveSource } = await import('../collector/source.ts');
    try {
      await resolveSource(flags);
    } catch (error) {
      throw invalid((error as Error).message);
    }
  }
  const { budgets, namespaces, kinds } = await budgetsOf(flags);
  // Recordings carry their own history: without --store they go into an in-memory store, and for
  // --job only the clusters of the asked jobs are read (a session cluster's other jobs come along).
  const temporary = !flags.store && Boolean(flags.recording?.length);
  const location = temporary ? undefined : (flags.store ?? 'fma-history.duckdb');
  // The pipeline's code is loaded lazily, and the model and the patch writers load while the source
  // is collected: most of a cold run is module loading.
  const storeOpened = import('../store/history-store.ts').then(({ openStore, inMemoryStore }) =>
    // --store alone must name a store that earlier runs filled: a missing one is not created.
    openStore(location ?? inMemoryStore, { mustExist: storeOnly }),
  );
  const collecting: Promise<CollectOutcome> = storeOnly ? storeOpened.then(() => ({})) : Promise.all([
    storeOpened,
    temporary && flags.job?.length ? clustersOfJobs(flags.recording!, flags.job) : undefined,
    import('./collect-into-store.ts'),
  ]).then(([store, clusters, { collectIntoStore }]) =>
    collectIntoStore(flags.recording?.length ? { ...flags, job: undefined, all: true } : flags, store, clusters ? { recordingClusters: clusters } : {}),
  );
  try {
    const [store, collected, { model }, { adviseFromStore, BelowObservedDemandError }, exporter] = await Promise.all([
      storeOpened,
      collecting,
      loadDemandModel(flags.modelDir),
      import('./advise-store.ts'),
      flags.export ? import('./export/write-patches.ts') : undefined,
    ]);
    if (collected.partial) info(`fma: collection was partial (${collected.partial}); advising from what the store holds`);
    if (flags.job?.length && location) await requireKnownJobs(store, flags.job, location, Boolean(collected.partial));
    const advice = await adviseFromStore(store, { ...(flags.job?.length ? { jobIds: flags.job } : {}), model, whatIf, budgets, namespaces, kinds }).catch((error: Error) => {
      throw error instanceof BelowObservedDemandError ? new CliError(error.message, ExitCode.failure) : error;
    });
    const asked = flags.job?.length ? new Set(flags.job) : undefined;
    const shown = asked ? advice.recommendations.filter((rec) => asked.has(rec.jobId)) : advice.recommendations;
    for (const s of advice.skipped) info(`fma: job ${s.jobId} on ${s.cluster} skipped: ${s.reason}`);
    if (shown.length === 0) requireSomethingToAdvise(advice.skipped.length, Boolean(collected.partial), flags.recording);
    const patchDirs: string[] = [];
    if (exporter && formats) {
      const written = await exporter.writeFleetPatches(flags.export!, shown, formats, advice.recommendations);
      shown.forEach((rec, i) => {
        const w = written[i]!;
        const where = w.sharedDirectory ?? w.directory;
        for (const warning of w.warnings) info(`fma: ${rec.jobId}: ${warning}`);
        patchDirs.push(where);
        info(`patches for ${rec.jobName ?? rec.jobId} written to ${where}${w.sharedDirectory ? ` (session cluster ${rec.sessionCluster!.name}, shared by its jobs)` : ''}`);
      });
    }
    if (flags.json) printJson({ jobs: shown });
    else printText(shown.map((rec, i) => formatAdvice(rec, patchDirs[i])).join('\n') || 'No job to advise on.\n');
    const missed = advice.plan.budgets.filter((b) => !b.feasible);
    for (const b of missed) info(`fma: ${budgetNotMet(b)}`);
    if (collected.partial || missed.length > 0) process.exitCode = ExitCode.failure;
  } finally {
    // Close the store only once nothing writes to it any more.
    await collecting.catch(() => {});
    (await storeOpened.catch(() => undefined))?.close();
  }
}

/**
 * Nothing to print is a failure unless the cluster simply runs no job: every job was skipped, or
 * the collection failed and the store holds nothing else (exit 1), or the recordings hold no
 * running job (exit 2). One line, and with --json only {"error"}.
 */
function requireSomethingToAdvise(skipped: number, partial: boolean, recordings: readonly string[] | undefined): void {
  if (skipped > 0) throw new CliError('no job could be advised on (see above)', ExitCode.failure);
  if (partial) throw nothingCollected();
  // (A file that is no recording at all was refused when it was read.)
  if (recordings?.length) throw invalid(`no running job in ${recordings.join(', ')}: nothing to advise on`);
}

/** With --job and only recordings to read: the asked jobs' clusters, found by a cheap first pass. */
async function clustersOfJobs(paths: string[], jobIds: readonly string[]): Promise<Set<string>> {
  const { recordedJobs } = await import('../collector/recorded-jobs.ts');
  const jobs = await recordedJobs(paths).catch((error: Error) => {
    throw invalid(error.message);
  });
  requireKnown(jobIds, jobs, `recording: ${paths.join(', ')}`);
  const asked = new Set(jobIds);
  return new Set(jobs.filter((j) => asked.has(j.jobId)).map((j) => j.cluster));
}

/** An unknown --job is the user's mistake: say which ids exist and how to list them. */
async function requireKnownJobs(store: HistoryStore, jobIds: readonly string[], storePath: string, partial: boolean): Promise<void> {
  const { listJobs } = await import('../store/read.ts');
  const jobs = await listJobs(store.connection);
  // An unreachable cluster, not a wrong id: the store knows no job to compare the id with.
  if (partial && jobs.length === 0) throw nothingCollected();
  requireKnown(jobIds, jobs, `store: ${storePath}`);
}

function nothingCollected(): CliError {
  return new CliError('nothing to advise on: the collection failed (see above) and the store holds no job', ExitCode.failure);
}

/** Throws for the asked ids that are not among `jobs` (sorted by cluster, then id), naming where they were looked for. */
function requireKnown(jobIds: readonly string[], jobs: ReadonlyArray<{ jobId: string; name: string; cluster: string }>, where: string): void {
  const known = new Set(jobs.map((j) => j.jobId));
  const unknown = jobIds.filter((id) => !known.has(id));
  if (unknown.length === 0) return;
  const listed = jobs.slice(0, 10).map((j) => `${j.jobId} (${j.name} on ${j.cluster})`).join(', ');
  throw invalid(
    `unknown job id ${unknown.join(', ')}: ${jobs.length === 0 ? 'no job has been collected' : `known jobs: ${listed}${jobs.length > 10 ? `, ... (${jobs.length} in all)` : ''}`}. ` +
      `Find ids with \`fma advise ... --all\`, in the Flink web UI, or at <rest-url>/jobs/overview (${where}).`,
  );
}
