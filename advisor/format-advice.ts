import { POOL_NAMES } from '../optimizer/types.ts';
import type { Recommendation } from './recommendation.ts';

const MiB = 1024 * 1024;

/** What the risk number means, in words: it is a forecast, from the quantiles of whatever forecast answered, not a measurement. */
export function riskSentence(risk: Recommendation['risk']): string {
  const horizon = risk.horizonHours === undefined ? 'the forecast horizon' : `the next ${risk.horizonHours} h`;
  const from = risk.forecast === 'rule' ? "the conservative rule's p50/p95 (too little evidence for the model), read nominally" : "the model's calibrated quantiles";
  return `${(risk.exceedProbability * 100).toFixed(1)}% probability that some pool needs more than it gets over ${horizon}, from ${from}`;
}
const mib = (bytes: number | undefined) => (bytes === undefined ? '-' : `${Math.round(bytes / MiB)}m`);

/**
 * `fma advise` for a person: per pool current vs recommended with the forecast and the observed
 * peak, then the saving, the risk and the reasons with their evidence. A dry run: it only reads;
 * `patchDirectory` is where --export wrote the job's patches.
 */
export function formatAdvice(rec: Recommendation, patchDirectory?: string): string {
  const header = ['pool', 'current', 'recommended', 'p50', 'p95', 'observed peak'];
  const rows = POOL_NAMES.map((p) => [
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
  const share = rec.sessionCluster ? " (this job's share of the cluster, by slots)" : '';
  const saving = rec.saving.total >= 0 ? `saves ${mib(rec.saving.total)}${share}` : `needs ${mib(-rec.saving.total)} more${share}`;
  const where = rec.sessionCluster
    ? `session cluster ${rec.cluster}, whose ${rec.taskManagers} TaskManager(s) it shares with ${rec.sessionCluster.jobs.length - 1} other job(s); the shape is the cluster's`
    : `${rec.cluster}: ${rec.taskManagers} TaskManager(s)`;
  const out = [
    `Job ${rec.jobName ?? rec.jobId} (${rec.jobId}) on ${where}, per TaskManager:`,
    '',
    line(header),
    ...rows.map(line),
    '',
    `Change: ${mib(rec.current.processSize)} -> ${mib(rec.recommended.processSize)} per TaskManager, ${saving} in total.`,
    `Risk: ${rec.risk.level}: ${riskSentence(rec.risk)}.`,
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
  out.push('', `Nothing was changed (dry run). ${patchDirectory ? `Patches: ${patchDirectory}` : 'Write patches with --export DIR.'}`);
  return `${out.join('\n')}\n`;
}
