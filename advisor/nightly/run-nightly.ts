import { basename, join, resolve } from 'node:path';
import type { SourceFlags } from '../../collector/source-options.ts';
import { CliError, ExitCode } from '../../cli/errors.ts';
import type { LazyDemandModel } from '../../model/model-files.ts';
import { openStore } from '../../store/history-store.ts';
import { latestRecommendations, recommendationKey, saveRecommendations } from '../../store/recommendations.ts';
import { adviseFromStore, assertNeverBelowObserved, BelowObservedDemandError } from '../advise-store.ts';
import { collectIntoStore } from '../collect-into-store.ts';
import { EXPORT_FORMATS } from '../export/export-formats.ts';
import { writeFleetPatches } from '../export/write-patches.ts';
import { fleetTotal, nightlyJobOf, type BudgetOutcome, type CalibrationRow, type NightlySummaryInput } from '../report/nightly-summary.ts';
import { writeReport } from '../report/write-report.ts';
import { budgetNotMet } from '../../optimizer/plan-text.ts';
import { budgetsOf } from '../run-context.ts';
import { alignSessionClusters, smoothAgainst } from '../smoothing.ts';
import { acquireNightlyLock, NightlyBusyError } from './lock.ts';
import { nightlyLog, type Log } from './log.ts';
import { modelForTonight } from './retrain.ts';
import { beginRun, saveState } from './state.ts';
import type { Recommendation } from '../recommendation.ts';

export interface NightlyOptions {
  source: SourceFlags;
  out: string;
  store?: string;
  modelDir?: string;
  budget?: string;
  retrainAfterMs: number;
  smoothing: number;
  minChange: number;
  /** Pools are whole multiples of this (the optimizer's unit). */
  unitBytes: number;
}

export interface NightlyResult {
  exitCode: number;
  report: string;
  summary: string;
  jobs: number;
  heldBack: number;
  warnings: string[];
}

/**
 * `fma nightly`: collect, retrain when due, advise every job under the budget, smooth against
 * the last recommendations, write patches, report.html and summary.json. Safe under cron: one run
 * per output directory (lock), resumable after a kill (state file, idempotent steps, atomic
 * writes), a log a person can read, and an exit code that says whether anything failed.
 */
export async function runNightly(o: NightlyOptions): Promise<NightlyResult> {
  const out = resolve(o.out);
  const { budgets, namespaces, kinds } = await budgetsOf({ ...(o.source.fleet ? { fleet: o.source.fleet } : {}), ...(o.budget ? { budget: o.budget } : {}) });
  const log = nightlyLog(out);
  const lock = await acquireNightlyLock(out).catch((error: Error) => {
    throw error instanceof NightlyBusyError ? new CliError(error.message, ExitCode.busy) : error;
  });
  try {
    if (lock.takenOverFrom) log(`took over the lock of a run that is gone (PID ${lock.takenOverFrom.pid}, started ${lock.takenOverFrom.startedAt})`);
    const now = new Date();
    const { state, resuming } = await beginRun(out, now);
    log(resuming ? `resuming run ${state.runId} (started ${state.startedAt}, interrupted)` : `starting run ${state.runId}`);
    const storePath = o.store ?? join(out, 'history.duckdb');
    const warnings: string[] = [];
    let failed = false;

    if (state.collected) {
      log(`collection already done at ${state.collected.at}: skipped`);
    } else {
      log(`collecting from ${describeSource(o.source)} into ${storePath}`);
      const collected = await collectIntoStore({ ...o.source, all: true }, storePath, { report: log }).catch((error: Error) => {
        throw error instanceof CliError ? error : new CliError(`collection failed: ${error.message}`, ExitCode.failure);
      });
      state.collected = { at: new Date().toISOString(), ...(collected.partial ? { partial: collected.partial } : {}) };
      await saveState(out, state);
    }
    if (state.collected.partial) {
      failed = true;
      warnings.push(`Collection was partial: ${state.collected.partial}. The report covers what the store holds.`);
      log(`collection was partial: ${state.collected.partial}`);
    }

    const store = await openStore(storePath);
    let recommendations: Array<{ recommendation: Recommendation; heldBack: boolean }>;
    let model: LazyDemandModel;
    let budgetOutcomes: BudgetOutcome[];
    try {
      const choice = await modelForTonight(store, { outDir: out, ...(o.modelDir ? { modelDir: o.modelDir } : {}), retrainAfterMs: o.retrainAfterMs, now, log });
      model = choice.model;
      if (!state.model || state.model.dir !== choice.dir) {
        state.model = { dir: choice.dir, note: choice.note };
        await saveState(out, state);
      }
      log(choice.note);
      if (choice.note.startsWith('kept')) warnings.push(`Model: ${choice.note}.`);

      log(`advising every job${budgets.length ? ` under ${budgets.map((b) => `${b.name} ${b.total}`).join(', ')}` : ''}`);
      const advice = await adviseFromStore(store, { model, budgets, namespaces, kinds }, { unitBytes: o.unitBytes });
      for (const s of advice.skipped) {
        warnings.push(`Job ${s.jobId} on ${s.cluster} was not advised on: ${s.reason}.`);
        log(`skipped job ${s.jobId} on ${s.cluster}: ${s.reason}`);
      }
      const last = await latestRecommendations(store.connection, state.runId);
      recommendations = alignSessionClusters(
        advice.recommendations.map((rec, i) =>
          smoothAgainst(rec, last.get(recommendationKey(rec))?.recommendation, { smoothing: o.smoothing, minChange: o.minChange, unitBytes: o.unitBytes }, advice.coverage[i]),
        ),
        advice.coverage,
      );
      assertNeverBelowObserved(recommendations.map((r) => r.recommendation));
      await saveRecommendations(store.connection, state.runId, now.getTime(), recommendations);
      const final = recommendations.map((r) => r.recommendation);
      budgetOutcomes = budgetOutcomesOf(advice, final);
      for (const b of advice.plan.budgets.filter((b) => !b.feasible)) {
        // As in `fma optimize`: the plan assumes the smallest budget that fits, and cron hears of it.
        const notMet = budgetNotMet(b);
        warnings.push(`${notMet.charAt(0).toUpperCase()}${notMet.slice(1)}.`);
        log(notMet);
        failed = true;
      }
      const held = recommendations.filter((r) => r.heldBack).length;
      const jobs = final.map((r) => nightlyJobOf(r));
      log(`${final.length} job(s) advised, ${held} held back as not material (--min-change), fleet ${gib(fleetTotal(jobs, (j) => j.currentProcessSize))} -> ${gib(fleetTotal(jobs, (j) => j.recommendedProcessSize))}`);
    } catch (error) {
      if (error instanceof BelowObservedDemandError) throw new CliError(error.message, ExitCode.failure);
      throw error;
    } finally {
      store.close();
    }

    const patchDirs = new Map<string, string>();
    const advised = recommendations.map((r) => r.recommendation);
    const written = await writeFleetPatches(join(out, 'patches'), advised, EXPORT_FORMATS);
    advised.forEach((rec, i) => {
      const w = written[i]!;
      // A session cluster's job links to the cluster's shared patch, where its config files are.
      patchDirs.set(recommendationKey(rec), `patches/${basename(w.sharedDirectory ?? w.directory)}`);
      for (const warning of w.warnings) warnings.push(`${rec.jobName ?? rec.jobId}: ${warning}`);
    });
    log(`patches written under ${join(out, 'patches')}`);
    const summary: NightlySummaryInput = {
      generatedAt: now.toISOString(),
      model: { version: modelVersion(model), trainedAt: new Date(Date.parse(model.meta.createdAt)).toISOString(), horizonHours: model.meta.horizonHours },
      budgets: budgetOutcomes,
      jobs: recommendations.map(({ recommendation: rec, heldBack }) => nightlyJobOf(rec, patchDirs.get(recommendationKey(rec)), heldBack)),
      calibration: calibrationOf(model),
      warnings,
    };
    const paths = await writeReport(out, summary);
    log(`report written to ${paths.report}`);
    const exitCode = failed ? ExitCode.failure : ExitCode.ok;
    await saveState(out, { ...state, finishedAt: new Date().toISOString(), exitCode });
    log(`run ${state.runId} finished${failed ? ' with failures (exit 1)' : ''}`);
    return { exitCode, report: paths.report, summary: paths.summary, jobs: recommendations.length, heldBack: recommendations.filter((r) => r.heldBack).length, warnings };
  } catch (error) {
    log(`run failed: ${(error as Error).message}`);
    throw error;
  } finally {
    await lock.release();
  }
}

function describeSource(s: SourceFlags): string {
  if (s.recording?.length) return `recording(s) ${s.recording.join(', ')}`;
  return s.fleet ? `the clusters of ${s.fleet}` : `${s.restUrl}`;
}

/** Each budget before and after, over the final (smoothed) recommendations. */
function budgetOutcomesOf(advice: Awaited<ReturnType<typeof adviseFromStore>>, final: readonly Recommendation[]): BudgetOutcome[] {
  return advice.plan.budgets.map((b, i) => {
    const of = advice.budgetMembers[i]!;
    return {
      name: b.name,
      limit: b.total,
      before: b.before,
      after: fleetTotal(of.map((j) => nightlyJobOf(final[j]!)), (j) => j.recommendedProcessSize),
      feasible: b.feasible,
      ...(b.feasible ? {} : { shortfall: b.minimalFeasible - b.total }),
    };
  });
}

function calibrationOf(model: LazyDemandModel): CalibrationRow[] {
  const rows: CalibrationRow[] = [];
  for (const pool of model.meta.pools) {
    const m = model.meta.metrics.pools[pool];
    for (const [quantile, level] of [['p50', 0.5], ['p95', 0.95]] as const) {
      const c = m.calibration.find((x) => Math.abs(x.level - level) < 1e-9);
      if (c) rows.push({ pool, quantile, observedCoverage: Math.min(1, Math.max(0, c.observed)), samples: m.examples });
    }
  }
  return rows;
}

function modelVersion(model: LazyDemandModel): string {
  return `${model.meta.kind}-${model.meta.createdAt.slice(0, 10)}-${model.meta.trainedOn.fingerprint.replace(/^sha256:/, '').slice(0, 8)}`;
}

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
