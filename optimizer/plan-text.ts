import type { FleetPlan, JobPlan } from './types.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * A budget as a size `--budget` accepts (Flink's syntax takes whole units only), never below the
 * bytes: a smallest budget that fits, rounded down, would not fit. Whole GiB as "Ng", else whole
 * MiB rounded up.
 */
export function budgetSize(bytes: number): string {
  return bytes % GiB === 0 ? `${bytes / GiB}g` : `${Math.ceil(bytes / MiB)}m`;
}

/** The one sentence advise, nightly and optimize use for a budget the fleet cannot fit in. */
export function budgetNotMet(b: { name: string; total: number; minimalFeasible: number }): string {
  return `budget ${b.name} (${budgetSize(b.total)}) cannot be met: the smallest budget that fits is ${budgetSize(b.minimalFeasible)} (${(b.minimalFeasible / GiB).toFixed(1)} GiB); this plan assumes it`;
}

/** "1.5g", "704m": a size for a person to read, not for Flink. */
export function formatSize(bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(bytes % GiB === 0 ? 0 : 1)}g`;
  return `${(bytes / MiB).toFixed(bytes % MiB === 0 ? 0 : 1)}m`;
}

function jobRow(job: JobPlan): string[] {
  const { current: c, recommended: r } = job;
  const below = job.belowP95.map((s) => `${s.pool} -${formatSize(s.shortBy)}`).join(', ');
  return [
    job.id,
    `${c.taskManagers} -> ${r.taskManagers}`,
    `${formatSize(c.processSize)} -> ${formatSize(r.processSize)}`,
    `${formatSize(c.memory)} -> ${formatSize(r.memory)}`,
    job.change ? 'restart' : 'keep',
    below || '-',
  ];
}

/** The plan as a table per job, then one line per budget and one for the solver. */
export function formatPlan(plan: FleetPlan): string {
  const header = ['job', 'TMs', 'process per TM', 'job total', 'action', 'below p95'];
  const rows = [header, ...plan.jobs.map(jobRow)];
  const widths = header.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  lines.push('', `fleet: ${formatSize(plan.totals.before)} -> ${formatSize(plan.totals.after)}`);
  for (const b of plan.budgets) {
    const verdict = b.feasible
      ? 'fits'
      : `does NOT fit: the smallest budget that fits is ${budgetSize(b.minimalFeasible)} (the plan above assumes it)`;
    lines.push(`budget ${b.name} (${formatSize(b.total)}, ${b.jobs} job${b.jobs === 1 ? '' : 's'}): ${formatSize(b.before)} -> ${formatSize(b.after)}, ${verdict}`);
  }
  for (const c of plan.sessionClusters) {
    const { current: cur, recommended: rec } = c;
    lines.push(
      `session cluster ${c.name} (${c.jobs.join(', ')}): ${cur.taskManagers} x ${formatSize(cur.processSize)} -> ${rec.taskManagers} x ${formatSize(rec.processSize)}, ${c.change ? 'restart' : 'keep'} (job totals above are shares by slots)`,
    );
  }
  for (const job of plan.jobs.filter((j) => j.recommended.slotSharingGroups && j.change)) {
    lines.push(`${job.id}: slot-sharing group profiles to set in the job's code (not config keys):`);
    for (const g of job.recommended.slotSharingGroups!) lines.push(`  ${g.code}`);
  }
  if (plan.belowP95.length > 0) lines.push(`below p95: ${plan.belowP95.join(', ')}`);
  const s = plan.solver;
  const gap = s.gap === undefined ? '' : `, gap ${(s.gap * 100).toFixed(3)}%`;
  lines.push(`solver: ${s.solver} ${s.status}${gap}, ${s.variables} variables, ${s.seconds.toFixed(2)} s`);
  return lines.join('\n');
}
