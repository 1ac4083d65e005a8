import type { PredictedPool } from '../../features/job-series.ts';
import { operatorRecommendation } from '../baselines/operator-rule.ts';
import { vpaRecommendation } from '../baselines/vpa-rule.ts';
import { predictDemand } from '../demand-model.ts';
import type { DemandModel } from '../model-dir.ts';
import { peakNeed } from './truth-series.ts';
import type { Policy } from './walk-forward.ts';

/** Our model: its p95 per pool (the conservative rule where the model does not trust itself). */
export function modelPolicy(name: string, model: DemandModel): Policy {
  return {
    name,
    recommend: (decisions) =>
      predictDemand(model, decisions.map((d) => d.features)).map((p) => ({
        heap: p.pools.heap.p95,
        managed: p.pools.managed.p95,
        metaspace: p.pools.metaspace.p95,
        direct: p.pools.direct.p95,
      })),
  };
}

export const operatorPolicy: Policy = { name: 'flink-operator (avg x1.2)', recommend: (ds) => ds.map((d) => operatorRecommendation(d.history)) };
export const vpaPolicy: Policy = { name: 'vpa (p90 daily peaks +15%)', recommend: (ds) => ds.map((d) => vpaRecommendation(d.history)) };

/** Knows the future: the true peak need over the horizon. The floor no policy can beat. */
export function oraclePolicy(horizonHours: number): Policy {
  return {
    name: 'oracle (true future peak)',
    recommend: (ds): Array<Record<PredictedPool, number>> => ds.map((d) => peakNeed(d.future, d.t, d.t + horizonHours * 3_600_000)),
  };
}
