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
