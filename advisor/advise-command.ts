import type { SourceFlags } from '../collector/source-options.ts';
import { CliError, ExitCode } from '../cli/errors.ts';
import { info, printJson, printText } from '../cli/output.ts';
import type { HistoryStore } from '../store/history-store.ts';
import { parseExportFormats } from './export/export-formats.ts';
import { formatAdvice } from './format-advice.ts';
import { budgetsOf, invalid, loadDemandModel, parseNumber, storeLocation } from './run-context.ts';

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
 * `fma advise`: collect one poll (or ingest recordings) into the store, then advise every asked
 * job from its whole history. A dry run: it reads clusters and writes only the store and --export.
 * A job of a session cluster is planned with the cluster's other jobs (they share its
 * TaskManagers, so one shape must serve them all); only the asked jobs are printed.
 */
export async function runAdvise(flags: AdviseFlags): Promise<void> {
  if (!flags.job?.length && !flags.all) throw invalid('give --job ID (repeatable) or --all');
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
  const { resolveSource } = await import('../collector/source.ts');
  try {
    await resolveSource(flags);
  } catch (error) {
    throw invalid((error as Error).message);
  }
  const { budgets, namespaces, kinds } = await budgetsOf(flags);
  const location = await storeLocation(flags);
  try {
    // The pipeline's code is loaded lazily, and the model, the optimizer (with the HiGHS wasm
    // runtime) and the patch writers load while the source is collected: most of a cold run is
    // module loading. A recording is ingested whole, so that an unknown --job can be answered
    // with the ids it holds and a session cluster's other jobs are there.
    const [collected, { model }, { adviseFromStore, BelowObservedDemandError }, { openStore, StoreBusyError }, exporter] = await Promise.all([
      import('./collect-into-store.ts').then((m) => m.collectIntoStore(flags.recording?.length ? { ...flags, job: undefined, all: true } : flags, location.path)),
      loadDemandModel(flags.modelDir),
      import('./advise-store.ts'),
      import('../store/history-store.ts'),
      flags.export ? import('./export/write-patches.ts') : undefined,
      import('../optimizer/milp.ts').then((m) => m.loadHighs()),
    ]);
    if (collected.partial) info(`fma: collection was partial (${collected.partial}); advising from what the store holds`);
    const store = await openStore(location.path).catch((error: Error) => {
      throw new CliError(error.message, error instanceof StoreBusyError ? ExitCode.busy : ExitCode.failure);
    });
    try {
      if (flags.job?.length) await requireKnownJobs(store, flags.job, location.path);
      const advice = await adviseFromStore(store, { ...(flags.job?.length ? { jobIds: flags.job } : {}), model, whatIf, budgets, namespaces, kinds }).catch((error: Error) => {
        throw error instanceof BelowObservedDemandError ? new CliError(error.message, ExitCode.failure) : error;
      });
      const asked = flags.job?.length ? new Set(flags.job) : undefined;
      const shown = asked ? advice.recommendations.filter((rec) => asked.has(rec.jobId)) : advice.recommendations;
      for (const s of advice.skipped) info(`fma: job ${s.jobId} on ${s.cluster} skipped: ${s.reason}`);
      if (exporter && formats) {
        const written = await exporter.writeFleetPatches(flags.export!, shown, formats, advice.recommendations);
        shown.forEach((rec, i) => {
          const w = written[i]!;
          for (const warning of w.warnings) info(`fma: ${rec.jobId}: ${warning}`);
          info(`patches for ${rec.jobName ?? rec.jobId} written to ${w.sharedDirectory ?? w.directory}${w.sharedDirectory ? ` (session cluster ${rec.sessionCluster!.name}, shared by its jobs)` : ''}`);
        });
      }
      if (flags.json) printJson({ jobs: shown });
      else printText(shown.map(formatAdvice).join('\n') || 'No job to advise on.\n');
      if (shown.length === 0 && advice.skipped.length > 0) throw new CliError('no job could be advised on (see above)', ExitCode.failure);
    } finally {
      store.close();
    }
    if (collected.partial) process.exitCode = ExitCode.failure;
  } finally {
    await location.dispose();
  }
}

/** An unknown --job is the user's mistake: say which ids exist and how to list them. */
async function requireKnownJobs(store: HistoryStore, jobIds: readonly string[], storePath: string): Promise<void> {
  const { listJobs } = await import('../store/read.ts');
  const jobs = await listJobs(store.connection);
  const known = new Set(jobs.map((j) => j.jobId));
  const unknown = jobIds.filter((id) => !known.has(id));
  if (unknown.length === 0) return;
  const listed = jobs.slice(0, 10).map((j) => `${j.jobId} (${j.name} on ${j.cluster})`).join(', ');
  throw invalid(
    `unknown job id ${unknown.join(', ')}: ${jobs.length === 0 ? 'no job has been collected' : `known jobs: ${listed}${jobs.length > 10 ? `, ... (${jobs.length} in all)` : ''}`}. ` +
      `Find ids with \`fma advise ... --all\`, in the Flink web UI, or at <rest-url>/jobs/overview (store: ${storePath}).`,
  );
}
