import type { DemandPrediction } from '../model/types.ts';
import type { BudgetReport, JobPlan, PoolBytes, TaskManagerDemand } from '../optimizer/types.ts';
import { budgetSize } from '../optimizer/plan-text.ts';
import { anyExceeds, exceedProbability, riskLevelOf, unboundedGrowthExceedProbability, type QuantileCoverage } from './risk.ts';
import { recommendationSchema, type JobManagerAdvice, type Recommendation, type TaskManagerPool } from './recommendation.ts';
import type { JobFacts } from './store-facts.ts';

/** Everything known about one job when its recommendation is written. */
export interface JobEvidence {
  facts: JobFacts;
  prediction: DemandPrediction;
  demand: TaskManagerDemand;
  networkNeed: number;
  usesManaged: boolean;
  /** Mean share of wall time in GC over the history, 0..1. */
  gcTimeRatio?: number;
  /** How the network need was computed, in words. */
  networkFormula?: string;
  /** Extra evidence lines from optimizerDemand (e.g. which pool an observation came from). */
  notes: string[];
  historyHours: number;
  jobManager?: JobManagerAdvice;
  /** How the model's quantiles held up on held-out history, per demand pool it answered (nominal when absent). */
  coverage: RiskCoverage;
  /** The model's forecast horizon: what the quantiles, and so the risk, are over. */
  horizonHours: number;
}

const MiB = 1024 * 1024;
const mib = (bytes: number) => `${Math.round(bytes / MiB).toLocaleString('en-US')} MiB`;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Pools whose size follows demand; the others are Flink's fixed parts. */
export const RISK_POOLS = ['taskHeap', 'managed', 'metaspace', 'taskOffHeap', 'network'] as const satisfies readonly TaskManagerPool[];
export type RiskCoverage = Partial<Record<(typeof RISK_POOLS)[number], QuantileCoverage>>;

const poolLabel: Record<TaskManagerPool, string> = {
  frameworkHeap: 'Framework heap',
  taskHeap: 'Task heap',
  frameworkOffHeap: 'Framework off-heap',
  taskOffHeap: 'Task off-heap',
  managed: 'Managed memory',
  network: 'Network',
  metaspace: 'Metaspace',
  overhead: 'JVM overhead',
};

/**
 * The contract-4 recommendation for a job from the optimizer's plan and the evidence behind it.
 * `budgets`: the reports of the budgets this job counts against.
 */
export function buildRecommendation(
  plan: JobPlan,
  evidence: JobEvidence,
  budgets: readonly BudgetReport[],
  session?: Recommendation['sessionCluster'],
): Recommendation {
  const { facts, demand } = evidence;
  const pools = plan.recommended.pools;
  const predicted = predictedPools(evidence, pools);
  const observedPeaks: Partial<PoolBytes> = {
    taskHeap: demand.taskHeap.observedPeak,
    metaspace: demand.metaspace.observedPeak,
    taskOffHeap: demand.taskOffHeap.observedPeak,
    ...(evidence.usesManaged ? { managed: demand.managed.observedPeak } : {}),
  };
  const exceed = anyExceeds([
    riskOf(predicted, pools, evidence.coverage),
    ...evidence.prediction.unboundedGrowth.map(() => unboundedGrowthExceedProbability),
  ]);
  const reasons = [
    ...evidence.prediction.reasons.map((r) => `Forecast: ${r}.`.replace(/\.\.$/, '.')),
    ...(session ? [sessionReason(session, plan)] : []),
    ...poolReasons(plan, evidence),
    ...gcReasons(evidence.gcTimeRatio),
    oomReason(facts),
    ...evidence.notes,
    ...budgetReasons(plan, budgets),
  ];
  return recommendationSchema.parse({
    jobId: facts.jobId,
    jobName: facts.name,
    cluster: facts.cluster,
    ...(facts.flinkVersion === undefined ? {} : { flinkVersion: facts.flinkVersion }),
    taskManagers: plan.recommended.taskManagers,
    current: { pools: plan.current.pools, processSize: plan.current.processSize },
    recommended: { pools, processSize: plan.recommended.processSize, flinkConfig: plan.recommended.flinkConfig },
    predicted,
    observedPeaks,
    evidence: {
      ...(evidence.gcTimeRatio === undefined ? {} : { gcTimeRatio: Math.min(1, Math.max(0, evidence.gcTimeRatio)) }),
      outOfMemoryErrors: facts.outOfMemoryErrors,
      ...(evidence.networkFormula === undefined ? {} : { networkFormula: evidence.networkFormula }),
    },
    reasons,
    risk: { level: riskLevelOf(exceed), exceedProbability: exceed, horizonHours: evidence.horizonHours, forecast: evidence.prediction.source },
    saving: {
      perTaskManager: plan.current.processSize - plan.recommended.processSize,
      total: plan.current.memory - plan.recommended.memory,
    },
    ...(evidence.jobManager ? { jobManager: evidence.jobManager } : {}),
    ...(session ? { sessionCluster: session } : {}),
  });
}

function sessionReason(session: NonNullable<Recommendation['sessionCluster']>, plan: JobPlan): string {
  return (
    `Session cluster '${session.name}': its ${plan.recommended.taskManagers} TaskManager(s) are shared by ${session.jobs.length} job(s), so the shape below is the cluster's, ` +
    `sized for the heaviest mix of their slots on one TaskManager; apply it to the cluster once (one patch for all of its jobs). ` +
    `This job's saving is its share of the cluster's memory by slots.`
  );
}

/** Probability that some demand pool needs more than its size over the forecast horizon (the next 24 h). */
export function riskOf(predicted: Recommendation['predicted'], pools: PoolBytes, coverage: RiskCoverage = {}): number {
  return anyExceeds(RISK_POOLS.map((p) => exceedProbability(pools[p], predicted[p].p50, predicted[p].p95, coverage[p])));
}

/** p50/p95 per pool: the model's for demand pools, the exact need for network, the chosen size for Flink's fixed parts. */
function predictedPools(e: JobEvidence, pools: PoolBytes): Recommendation['predicted'] {
  const q = (d: { p50: number; p95: number }) => ({ p50: Math.round(Math.min(d.p50, d.p95)), p95: Math.round(d.p95) });
  const fixed = (p: TaskManagerPool) => ({ p50: pools[p], p95: pools[p] });
  return {
    frameworkHeap: fixed('frameworkHeap'),
    taskHeap: q(e.demand.taskHeap),
    frameworkOffHeap: fixed('frameworkOffHeap'),
    taskOffHeap: q(e.demand.taskOffHeap),
    managed: e.usesManaged ? q(e.demand.managed) : { p50: 0, p95: 0 },
    network: { p50: e.networkNeed, p95: e.networkNeed },
    metaspace: q(e.demand.metaspace),
    overhead: fixed('overhead'),
  };
}

function poolReasons(plan: JobPlan, e: JobEvidence): string[] {
  const out: string[] = [];
  for (const pool of ['taskHeap', 'managed', 'metaspace', 'taskOffHeap'] as const) {
    if (pool === 'managed' && !e.usesManaged) {
      out.push(`Managed memory: nothing in this job uses it (no RocksDB, no batch operators): ${mib(plan.current.pools.managed)} -> ${mib(plan.recommended.pools.managed)}.`);
      continue;
    }
    const d = e.demand[pool];
    out.push(
      `${poolLabel[pool]}: observed peak ${mib(d.observedPeak)}, predicted p50 ${mib(d.p50)} / p95 ${mib(d.p95)} -> ${mib(plan.recommended.pools[pool])} (now ${mib(plan.current.pools[pool])}).`,
    );
  }
  out.push(
    `Network: the topology needs ${mib(e.networkNeed)} of buffers per TaskManager${e.networkFormula ? ` (${e.networkFormula})` : ''} -> ${mib(plan.recommended.pools.network)} (now ${mib(plan.current.pools.network)}).`,
  );
  if (!plan.change) out.push('The current shape is kept: the saving would not pay for restarting the job.');
  if (plan.recommended.taskManagers !== plan.current.taskManagers) {
    out.push(`TaskManagers: ${plan.current.taskManagers} -> ${plan.recommended.taskManagers} (${plan.recommended.slotsPerTaskManager} slot(s) each).`);
  }
  return out;
}

function gcReasons(ratio: number | undefined): string[] {
  if (ratio === undefined) return [];
  if (ratio > 0.1) return [`GC takes ${pct(ratio)} of wall time: the heap is under pressure, so it is not shrunk below its p95.`];
  return [`GC takes ${pct(ratio)} of wall time: the heap is not under pressure.`];
}

function oomReason(facts: JobFacts): string {
  const ooms = facts.outOfMemoryErrors;
  if (ooms.length === 0) return "No OutOfMemoryError in the job's exception history.";
  const kinds = [...new Set(ooms.map((o) => o.kind))].join(', ');
  const latest = ooms.reduce((a, b) => (b.at > a.at ? b : a));
  return `${ooms.length} OutOfMemoryError(s) (${kinds}) in the exception history, the latest at ${new Date(latest.at).toISOString()}: "${latest.message}". The observed peaks include the failing runs, and no pool is sized below them.`;
}

function budgetReasons(plan: JobPlan, budgets: readonly BudgetReport[]): string[] {
  const out = plan.belowP95.map(
    (s) => `Budget pressure: ${poolLabel[s.pool].toLowerCase()} is ${mib(s.size)}, ${mib(s.shortBy)} below its p95 (${mib(s.p95)}), still at or above the observed peak.`,
  );
  for (const b of budgets.filter((b) => !b.feasible)) {
    out.push(`Budget '${b.name}' (${budgetSize(b.total)}) cannot hold the fleet's smallest safe shapes (${budgetSize(b.minimalFeasible)}): this plan assumes that minimum.`);
  }
  return out;
}
