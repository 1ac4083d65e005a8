
const GiB = 1 << 30;
/** Integration step of the GC counters: load changes slowly against it, and fresh TaskManagers stay cheap. */
const STEP_MS = 30 * 60_000;

/** Garbage-collector activity of G1 for a live set and allocation rate in a heap of `heapMax` bytes. */
export interface GcRates {
  /** Young generation size G1 settles on: what is left above the live set, within G1's 5-60% bounds. */
  youngGen: number;
  youngPerSecond: number;
  youngPauseMs: number;
  oldPerSecond: number;
  oldPauseMs: number;
  /** Share of wall time spent in GC pauses (0..1). */
  timeRatio: number;
}

export function gcRates(live: number, allocationPerSecond: number, heapMax: number): GcRates {
  const occupancy = Math.min(1, live / heapMax);
  const youngGen = Math.min(0.6 * heapMax, Math.max(0.02 * heapMax, 0.5 * (heapMax - live)));
  const youngPerSecond = allocationPerSecond / youngGen;
  // Copying survivors costs more as the heap fills and objects stay alive longer.
  const youngPauseMs = 3 + 20 * (youngGen / GiB) + 60 * occupancy ** 4;
  // Past ~80% occupancy the concurrent cycle cannot keep up: full collections start.
  const pressure = Math.max(0, (occupancy - 0.8) / 0.2);
  const oldPerSecond = youngPerSecond * 0.3 * pressure ** 2;
  const oldPauseMs = 50 + 700 * (live / GiB);
  const timeRatio = Math.min(0.98, (youngPerSecond * youngPauseMs + oldPerSecond * oldPauseMs) / 1000);
  return { youngGen, youngPerSecond, youngPauseMs, oldPerSecond, oldPauseMs, timeRatio };
}

export interface GcTotals {
  youngCount: number;
  youngTimeMs: number;
  oldCount: number;
  oldTimeMs: number;
}

/**
 * Cumulative GC counters of one JVM since it started: the rates are integrated over 30-minute
 * steps (evaluated at each step's middle) plus the partial step up to t. Only the last position
 * is remembered, so memory stays constant however long the simulation runs, and the sum is done
 * in the same order whether or not the memo is used: results depend only on t.
 */
export class GcIntegrator {
  private step = 0;
  private totals: GcTotals = { youngCount: 0, youngTimeMs: 0, oldCount: 0, oldTimeMs: 0 };

  constructor(
    private readonly start: number,
    private readonly ratesAt: (t: number) => GcRates,
  ) {}

  totalsAt(t: number): GcTotals {
    if (t <= this.start) return { youngCount: 0, youngTimeMs: 0, oldCount: 0, oldTimeMs: 0 };
    const target = Math.floor((t - this.start) / STEP_MS);
    if (target < this.step) {
      this.step = 0;
      this.totals = { youngCount: 0, youngTimeMs: 0, oldCount: 0, oldTimeMs: 0 };
    }
    while (this.step < target) {
      this.totals = advance(this.totals, this.ratesAt(this.start + (this.step + 0.5) * STEP_MS), STEP_MS);
      this.step++;
    }
    const partial = t - (this.start + target * STEP_MS);
    return advance(this.totals, this.ratesAt(this.start + (target + 0.5) * STEP_MS), partial);
  }
}

function advance(totals: GcTotals, rates: GcRates, ms: number): GcTotals {
  const seconds = ms / 1000;
  const young = rates.youngPerSecond * seconds;
  const old = rates.oldPerSecond * seconds;
  return {
    youngCount: totals.youngCount + young,
    youngTimeMs: totals.youngTimeMs + young * rates.youngPauseMs,
    oldCount: totals.oldCount + old,
    oldTimeMs: totals.oldTimeMs + old * rates.oldPauseMs,
  };
}
