import { TASK_MANAGER_POOLS, type Recommendation } from './recommendation.ts';

const MiB = 1024 * 1024;
const mib = (bytes: number | undefined) => (bytes === undefined ? '-' : `${Math.round(bytes / MiB)}m`);

/**
 * `fma advise` for a person: per pool current vs recommended with the forecast and the observed
 * peak, then the saving, the risk and the reasons with their evidence. A dry run: it only reads.
 */
export function formatAdvice(rec: Recommendation): string {
  const header = ['pool', 'current', 'recommended', 'p50', 'p95', 'observed peak'];
  const rows = TASK_MANAGER_POOLS.map((p) => [
    p,
    mib(rec.current.pools[p]),
    mib(rec.recommended.pools[p]),
    mib(rec.predicted[p].p50),
    mib(rec.predicted[p].p95),
    mib(rec.observedPeaks[p]),
  ]);
  rows.push(['process', mib(rec.current.processSize), mib(rec.recommended.processSize), '', '', '']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const saving = rec.saving.total >= 0 ? `saves ${mib(rec.saving.total)}` : `needs ${mib(-rec.saving.total)} more`;
  const out = [
    `Job ${rec.jobName ?? rec.jobId} (${rec.jobId}) on ${rec.cluster}: ${rec.taskManagers} TaskManager(s), per TaskManager:`,
    '',
    line(header),
    ...rows.map(line),
    '',
    `Change: ${mib(rec.current.processSize)} -> ${mib(rec.recommended.processSize)} per TaskManager, ${saving} in total.`,
    `Risk: ${rec.risk.level} (${(rec.risk.exceedProbability * 100).toFixed(1)}% chance that some pool runs short).`,
  ];
  const evidence = [
    rec.evidence.gcTimeRatio === undefined ? undefined : `GC time ratio ${(rec.evidence.gcTimeRatio * 100).toFixed(1)}%`,
    `${rec.evidence.outOfMemoryErrors.length} OutOfMemoryError(s) in the exception history`,
    rec.evidence.networkFormula === undefined ? undefined : `network: ${rec.evidence.networkFormula}`,
  ].filter((e) => e !== undefined);
  out.push('', 'Why:', ...rec.reasons.map((r) => `  - ${r}`), '', 'Evidence:', ...evidence.map((e) => `  - ${e}`));
  if (rec.jobManager) {
    out.push('', `JobManager: ${mib(rec.jobManager.current.processSize)} -> ${mib(rec.jobManager.recommended.processSize)}`,
      ...rec.jobManager.reasons.map((r) => `  - ${r}`));
  }
  out.push('', 'Options to set:', ...Object.entries({ ...rec.recommended.flinkConfig, ...rec.jobManager?.recommended.flinkConfig }).map(([k, v]) => `  ${k}: ${v}`));
  out.push('', 'Nothing was changed (dry run). Write patches with --export DIR.');
  return `${out.join('\n')}\n`;
}
