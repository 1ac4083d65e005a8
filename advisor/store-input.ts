import type { DeploymentKind, FleetBudget } from '../collector/fleet-file.ts';
import type { JobFeatures } from '../features/job-features.ts';
import type { JobSeries } from '../features/job-series.ts';
import { loadJobSeries } from '../features/store-series.ts';
import { predictDemandLazily } from '../model/demand-answer.ts';
import { defaultWindows, featuresAt } from '../model/job-history.ts';
import type { LazyDemandModel } from '../model/model-files.ts';
import { optimizerDemand, type OptimizerDemandEvidence } from '../model/optimizer-demand.ts';
import type { WhatIf } from '../model/types.ts';
import { OptimizerInput, type PoolBytes } from '../optimizer/types.ts';
import type { HistoryStore } from '../store/history-store.ts';
import { listJobs } from '../store/read.ts';
import type { JobEvidence, RiskCoverage } from './build-recommendation.ts';
import { jobManagerAdvice } from './jobmanager-advice.ts';
import { calibratedCoverage } from './risk.ts';
import { sessionMemberDemand } from './session-demand.ts';
import { loadJobFacts, loadJobManagerFacts, loadSharedClusters } from './store-facts.ts';

export interface StoreInputRequest {
  /**
   * Only these jobs (all jobs in the store when absent), plus every other job of their session
   * clusters: one shared TaskManager shape must cover all the jobs on those TaskManagers.
   */
  jobIds?: string[];
  /** Its network is loaded only when some job needs it. */
  model: LazyDemandModel;
  whatIf?: WhatIf;
  budgets?: FleetBudget[];
  /** Cluster name -> namespace (from a fleet file), so budgets by namespace find their jobs. */
  namespaces?: ReadonlyMap<string, string>;
  /** Cluster name -> kind (from a fleet file); a cluster not listed is a session cluster when its TaskManagers run several jobs. */
  kinds?: ReadonlyMap<string, DeploymentKind>;
}

export interface StoreInput {
  input: OptimizerInput;
  /** Per optimizer job id, what its recommendation will cite. */
  evidence: Map<string, JobEvidence>;
  /** Jobs in the store that cannot be advised on, and why. */
  skipped: Array<{ cluster: string; jobId: string; reason: string }>;
}

/**
 * The pipeline from the history store up to the optimizer: store -> per-job series -> features
 * -> demand model (with its fallback rule) -> optimizer demand -> optimizer input, plus the
 * evidence each recommendation will cite. Reads only.
 */
export async function optimizerInputFromStore(store: HistoryStore, request: StoreInputRequest): Promise<StoreInput> {
  const kinds = clusterKinds(request.kinds ?? new Map(), await loadSharedClusters(store.connection));
  const jobIds = request.jobIds && withSessionMates(request.jobIds, await listJobs(store.connection), kinds);
  const facts = await loadJobFacts(store.connection, jobIds);
  const jobManagers = await loadJobManagerFacts(store.connection);
  const allSeries = await loadJobSeries(store, jobIds ? { jobIds } : {});
  const seriesOf = new Map(allSeries.map((s) => [`${s.cluster ?? ''}/${s.jobId}`, s]));
  const skipped: StoreInput['skipped'] = [];
  const ready = facts.flatMap((f) => {
    const series = seriesOf.get(`${f.cluster}/${f.jobId}`) ?? allSeries.find((s) => s.cluster === undefined && s.jobId === f.jobId);
    if (!f.currentPools) skipped.push({ cluster: f.cluster, jobId: f.jobId, reason: "no TaskManager memoryConfiguration collected: its current shape is unknown" });
    else if (!series || series.t.length === 0) skipped.push({ cluster: f.cluster, jobId: f.jobId, reason: 'no TaskManager heap samples collected for it' });
    else return [{ facts: { ...f, currentPools: f.currentPools }, series }];
    return [];
  });
  const features = ready.map((r) => modelFeatures(r.series, request.model));
  const predictions = await predictDemandLazily(request.model, features, request.whatIf ?? {});
  const evidence = new Map<string, JobEvidence>();
  const meta = request.model.meta;
  const modelCoverage: RiskCoverage = {
    taskHeap: calibratedCoverage(meta, 'heap'),
    managed: calibratedCoverage(meta, 'managed'),
    metaspace: calibratedCoverage(meta, 'metaspace'),
    taskOffHeap: calibratedCoverage(meta, 'direct'),
  };
  // All TaskManagers of a session cluster share one shape: its jobs take the first one's view of it.
  const sessionShape = new Map<string, { current: PoolBytes; slotsPerTaskManager: number }>();
  const jobs = ready.map(({ facts: f, series }, i) => {
    const prediction = predictions[i]!;
    // The floors (observed peaks) look at the whole stored history, not just the model's window:
    // demand that happened once can happen again, and the advisor never goes below it.
    const od = optimizerDemand(series, prediction);
    const id = uniqueId(f.jobId, f.cluster, evidence);
    const jm = jobManagerAdvice(jobManagers.get(f.cluster));
    evidence.set(id, {
      facts: f,
      prediction,
      demand: od.demand,
      networkNeed: od.networkNeed,
      usesManaged: od.usesManaged,
      gcTimeRatio: features[i]!.values.gcRatioMean,
      networkFormula: networkFormula(od.evidence.networkRequired, od.networkNeed, series.deployment.slotsPerTaskManager),
      notes: evidenceNotes(od.evidence),
      historyHours: hoursOf(series),
      coverage: prediction.source === 'model' ? modelCoverage : {},
      horizonHours: meta.horizonHours,
      ...(jm ? { jobManager: jm } : {}),
    });
    const namespace = request.namespaces?.get(f.cluster);
    if (kinds.get(f.cluster) === 'session' && !sessionShape.has(f.cluster)) {
      sessionShape.set(f.cluster, { current: f.currentPools, slotsPerTaskManager: series.deployment.slotsPerTaskManager });
    }
    const shared = sessionShape.get(f.cluster);
    return {
      id,
      cluster: f.cluster,
      ...(namespace === undefined ? {} : { namespace }),
      ...(f.flinkVersion === undefined ? {} : { flinkVersion: f.flinkVersion }),
      taskManagers: series.deployment.taskManagers,
      parallelism: prediction.parallelism,
      slotsPerTaskManager: shared?.slotsPerTaskManager ?? series.deployment.slotsPerTaskManager,
      demand: od.demand,
      networkNeed: od.networkNeed,
      usesManaged: od.usesManaged,
      current: shared?.current ?? f.currentPools,
      alternativeLayouts: [],
    };
  });
  const clusters = [...kinds].map(([name, kind]) => ({ name, kind }));
  return { input: OptimizerInput.parse({ jobs: sessionMemberDemand(jobs, kinds), budgets: request.budgets ?? [], clusters }), evidence, skipped };
}

/** The fleet file's kinds, plus 'session' for an unlisted cluster whose TaskManagers were seen running several jobs. */
export function clusterKinds(fromFleet: ReadonlyMap<string, DeploymentKind>, shared: ReadonlySet<string>): Map<string, DeploymentKind> {
  const kinds = new Map(fromFleet);
  for (const cluster of shared) if (!kinds.has(cluster)) kinds.set(cluster, 'session');
  return kinds;
}

/** The asked job ids, then the ids of every other job sharing a session cluster with one of them (in `jobs` order). */
export function withSessionMates(asked: readonly string[], jobs: ReadonlyArray<{ cluster: string; jobId: string }>, kinds: ReadonlyMap<string, DeploymentKind>): string[] {
  const wanted = new Set(asked);
  const sessions = new Set(jobs.filter((j) => wanted.has(j.jobId) && kinds.get(j.cluster) === 'session').map((j) => j.cluster));
  const mates = jobs.filter((j) => sessions.has(j.cluster)).map((j) => j.jobId);
  return [...new Set([...asked, ...mates])];
}

const HOUR = 3_600_000;

/**
 * The features the model is given: from the last `lookbackHours` of the history, the window it
 * was trained on (model/job-history.ts featuresAt, decision time just after the last sample), so
 * a store holding weeks of history does not feed it statistics over a span it never saw.
 */
export function modelFeatures(series: JobSeries, model: Pick<LazyDemandModel, 'meta'>): JobFeatures {
  const decision = series.t[series.t.length - 1]! + 1;
  return featuresAt(series, decision, { ...defaultWindows, lookbackHours: model.meta.lookbackHours }, { ewmaAlpha: model.meta.ewmaAlpha });
}

function hoursOf(series: JobSeries): number {
  return series.t.length === 0 ? 0 : (series.t[series.t.length - 1]! - series.t[0]!) / HOUR;
}

/** Job ids are unique per cluster only: the optimizer's id gets the cluster when two clusters share one. */
function uniqueId(jobId: string, cluster: string, taken: ReadonlyMap<string, unknown>): string {
  return taken.has(jobId) ? `${cluster}/${jobId}` : jobId;
}

const MiB = 1024 * 1024;
const mib = (bytes: number) => `${Math.round(bytes / MiB).toLocaleString('en-US')} MiB`;

function networkFormula(required: number, desirable: number, slots: number): string {
  return `Flink's minimum for the topology at ${slots} slot(s) per TaskManager is ${mib(required)} (2 exclusive buffers per channel; tasks fail below it); with the 8 floating buffers per gate ${mib(desirable)}, 32 KiB each`;
}

/** What the observations behind the demand say, in words. */
function evidenceNotes(e: OptimizerDemandEvidence): string[] {
  const notes = [
    // With too few samples to see a collection lower heap used, the live set cannot be told from garbage.
    e.liveSetPeak < e.heapUsedPeak
      ? `Heap: live set peak ${mib(e.liveSetPeak)} (what must fit); heap used peaked at ${mib(e.heapUsedPeak)}, the top of the GC sawtooth, mostly garbage.`
      : `Heap: used peaked at ${mib(e.heapUsedPeak)}; no garbage collection was seen lowering it yet, so all of it is taken as live set (what must fit).`,
    `Metaspace peaked at ${mib(e.metaspacePeak)}; direct memory outside the network pool at ${mib(e.directPeak)}.`,
  ];
  if (e.blockCacheUnsaturatedPeak !== null) notes.push(`RocksDB block cache used up to ${mib(e.blockCacheUnsaturatedPeak)} while not full: its working set.`);
  if (e.blockCacheSaturated) {
    notes.push(`RocksDB block cache was full at times${e.lowestHitRatio === null ? '' : ` (lowest hit ratio ${(e.lowestHitRatio * 100).toFixed(1)}%)`}: its usage then shows the budget, not the need.`);
  }
  return notes;
}
