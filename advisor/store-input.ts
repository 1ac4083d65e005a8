import type { FleetBudget } from '../collector/fleet-file.ts';
import { extractFeatures } from '../features/job-features.ts';
import { loadJobSeries } from '../features/store-series.ts';
import { predictDemand } from '../model/demand-model.ts';
import type { DemandModel } from '../model/model-dir.ts';
import { optimizerDemand, type OptimizerDemandEvidence } from '../model/optimizer-demand.ts';
import type { WhatIf } from '../model/types.ts';
import { OptimizerInput } from '../optimizer/types.ts';
import type { HistoryStore } from '../store/history-store.ts';
import type { JobEvidence } from './build-recommendation.ts';
import { jobManagerAdvice } from './jobmanager-advice.ts';
import { loadJobFacts, loadJobManagerFacts } from './store-facts.ts';

export interface StoreInputRequest {
  /** Only these jobs (all jobs in the store when absent). */
  jobIds?: string[];
  model: DemandModel;
  whatIf?: WhatIf;
  budgets?: FleetBudget[];
  /** Cluster name -> namespace (from a fleet file), so budgets by namespace find their jobs. */
  namespaces?: ReadonlyMap<string, string>;
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
  const facts = await loadJobFacts(store.connection, request.jobIds);
  const jobManagers = await loadJobManagerFacts(store.connection);
  const allSeries = await loadJobSeries(store, request.jobIds ? { jobIds: request.jobIds } : {});
  const seriesOf = new Map(allSeries.map((s) => [`${s.cluster ?? ''}/${s.jobId}`, s]));
  const skipped: StoreInput['skipped'] = [];
  const ready = facts.flatMap((f) => {
    const series = seriesOf.get(`${f.cluster}/${f.jobId}`) ?? allSeries.find((s) => s.cluster === undefined && s.jobId === f.jobId);
    if (!f.currentPools) skipped.push({ cluster: f.cluster, jobId: f.jobId, reason: "no TaskManager memoryConfiguration collected: its current shape is unknown" });
    else if (!series || series.t.length === 0) skipped.push({ cluster: f.cluster, jobId: f.jobId, reason: 'no TaskManager heap samples collected for it' });
    else return [{ facts: { ...f, currentPools: f.currentPools }, series }];
    return [];
  });
  const features = ready.map((r) => extractFeatures(r.series, { ewmaAlpha: request.model.meta.ewmaAlpha }));
  const predictions = predictDemand(request.model, features, request.whatIf ?? {});
  const evidence = new Map<string, JobEvidence>();
  const jobs = ready.map(({ facts: f, series }, i) => {
    const prediction = predictions[i]!;
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
      historyHours: features[i]!.historyHours,
      ...(jm ? { jobManager: jm } : {}),
    });
    const namespace = request.namespaces?.get(f.cluster);
    return {
      id,
      cluster: f.cluster,
      ...(namespace === undefined ? {} : { namespace }),
      ...(f.flinkVersion === undefined ? {} : { flinkVersion: f.flinkVersion }),
      taskManagers: series.deployment.taskManagers,
      parallelism: prediction.parallelism,
      slotsPerTaskManager: series.deployment.slotsPerTaskManager,
      demand: od.demand,
      networkNeed: od.networkNeed,
      usesManaged: od.usesManaged,
      current: f.currentPools,
      alternativeLayouts: [],
    };
  });
  return { input: OptimizerInput.parse({ jobs, budgets: request.budgets ?? [] }), evidence, skipped };
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
    `Heap: live set peak ${mib(e.liveSetPeak)} (what must fit); heap used peaked at ${mib(e.heapUsedPeak)}, the top of the GC sawtooth, mostly garbage.`,
    `Metaspace peaked at ${mib(e.metaspacePeak)}; direct memory outside the network pool at ${mib(e.directPeak)}.`,
  ];
  if (e.blockCacheUnsaturatedPeak !== null) notes.push(`RocksDB block cache used up to ${mib(e.blockCacheUnsaturatedPeak)} while not full: its working set.`);
  if (e.blockCacheSaturated) {
    notes.push(`RocksDB block cache was full at times${e.lowestHitRatio === null ? '' : ` (lowest hit ratio ${(e.lowestHitRatio * 100).toFixed(1)}%)`}: its usage then shows the budget, not the need.`);
  }
  return notes;
}
