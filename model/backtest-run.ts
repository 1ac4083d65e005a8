import { defaultWindows, type DecisionWindows, type JobHistory } from './job-history.ts';
import type { DemandModel } from './model-dir.ts';
import { modelPolicy, operatorPolicy, oraclePolicy, vpaPolicy } from './backtest/policies.ts';
import { runBacktest, type PolicyResult } from './backtest/walk-forward.ts';

/** How a compared model's row is named: by its kind. */
const kindLabel: Record<DemandModel['meta']['kind'], string> = { linear: 'linear model (p95)', mlp: 'network ensemble (p95)' };

/**
 * The backtest every report quotes: ours, a model to compare it with (by default the shipped one
 * of the other kind), the operator's rule, VPA, and the oracle.
 */
export function standardBacktest(histories: ReadonlyArray<Required<JobHistory>>, ours: DemandModel, compared: DemandModel, windows: DecisionWindows = defaultWindows): PolicyResult[] {
  const policies = [
    modelPolicy('fma model (p95)', ours),
    modelPolicy(kindLabel[compared.meta.kind], compared),
    operatorPolicy,
    vpaPolicy,
    oraclePolicy(windows.horizonHours),
  ];
  return runBacktest(histories, policies, windows, { ewmaAlpha: ours.meta.ewmaAlpha });
}

/** The backtest as a plain-text table for people. */
export function formatBacktest(results: readonly PolicyResult[]): string {
  const header = ['policy', 'decisions', 'memory saved', 'under-provisioned pool-h', 'OOMs', 'GC>target h'];
  const rows = results.map((r) => [
    r.policy,
    String(r.decisions),
    // + 0 turns the -0 of a saving that rounds to nothing into 0 ("-0.0%" otherwise).
    `${(Math.round(r.savedFraction * 1000) / 10 + 0).toFixed(1)}%`,
    r.underProvisionedPoolHours.toFixed(1),
    String(r.ooms),
    r.gcAboveTargetHours.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
