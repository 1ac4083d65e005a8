const GiB = 1 << 30;
/** Node spacing of the GC counters: the day cycle is smooth at this scale, and a fresh TaskManager costs one rate per hour of uptime. */
const NODE_MS = 3_600_000;

/** Garbage-collector activity of G1 for a live set and allocation rate in a heap of `heapMax` bytes. */
export interface GcRates {
  /** Young generation size G1 settles on: what is left above the live set, within G1's 5-60% bounds. */
  youngGen: number;
  youngPerSecond: number;
  youngPauseMs: number;
  oldPerSecond: number;
  oldPauseMs: number;
  /** Share of wall time spent in GC pauses (0..MAX_GC_TIME_RATIO): young and old pauses together. */
  timeRatio: number;
}

/**
 * At most this share of wall time goes to GC pauses. Past it the mutator hardly runs, so it
 * allocates less and collections come less often: both rates are throttled by the same factor,
 * pauses keep their length, and GC time never outruns the wall clock (a JVM this deep in GC is
 * near the live-set limit where the OOM check kills it).
 */
export const MAX_GC_TIME_RATIO = 0.98;

export function gcRates(live: number, allocationPerSecond: number, heapMax: number): GcRates {
  const occupancy = Math.min(1, live / heapMax);
  const youngGen = Math.min(0.6 * heapMax, Math.max(0.02 * heapMax, 0.5 * (heapMax - live)));
  // Copying survivors costs more as the heap fills and objects stay alive longer.
  const youngPauseMs = 3 + 20 * (youngGen / GiB) + 60 * occupancy ** 4;
  // Past ~80% occupancy the concurrent cycle cannot keep up: full collections start.
  const pressure = Math.max(0, (occupancy - 0.8) / 0.2);
  const oldPerYoung = 0.3 * pressure ** 2;
  const oldPauseMs = 50 + 700 * (live / GiB);
  const wantedYoungPerSecond = allocationPerSecond / youngGen;
  const wantedRatio = (wantedYoungPerSecond * (youngPauseMs + oldPerYoung * oldPauseMs)) / 1000;
  const youngPerSecond = wantedRatio > MAX_GC_TIME_RATIO ? (wantedYoungPerSecond * MAX_GC_TIME_RATIO) / wantedRatio : wantedYoungPerSecond;
  const oldPerSecond = youngPerSecond * oldPerYoung;
  const timeRatio = (youngPerSecond * youngPauseMs + oldPerSecond * oldPauseMs) / 1000;
  return { youngGen, youngPerSecond, youngPauseMs, oldPerSecond, oldPauseMs, timeRatio };
}

export interface GcTotals {
  youngCount: number;
  youngTimeMs: number;
  oldCount: number;
  oldTimeMs: number;
}

/** How fast each cumulative counter grows, per second. */
type GcFlow = GcTotals;

function flowOf(r: GcRates): GcFlow {
  return { youngCount: r.youngPerSecond, youngTimeMs: r.youngPerSecond * r.youngPauseMs, oldCount: r.oldPerSecond, oldTimeMs: r.oldPerSecond * r.oldPauseMs };
}

const ZERO: GcTotals = { youngCount: 0, youngTimeMs: 0, oldCount: 0, oldTimeMs: 0 };

/**
 * Cumulative GC counters of one JVM since it started: the rates are taken at hourly nodes from the
 * start and interpolated linearly between them, so the counters are the exact integral of that
 * piecewise-linear curve (trapezoids for whole hours, a closed form inside the current one): they
 * only grow, have no jumps, and their slope follows the load within the hour. The rates are the
 * throttled ones of `gcRates`, so GC time grows by at most MAX_GC_TIME_RATIO of wall time (a
 * linear interpolation between two nodes under the cap stays under it). The memo holds one
 * node (totals and rates there, rates at the next); it is advanced in the same order whatever is
 * asked, so results depend only on t and memory stays constant however long the simulation runs.
 */
export class GcIntegrator {
  private node = 0;
  private totals: GcTotals = ZERO;
  private left: GcFlow | undefined;
  private right: GcFlow | undefined;

  constructor(
    private readonly start: number,
    private readonly ratesAt: (t: number) => GcRates,
  ) {}

  totalsAt(t: number): GcTotals {
    if (t <= this.start) return ZERO;
    const target = Math.floor((t - this.start) / NODE_MS);
    if (target < this.node || !this.left) {
      this.node = 0;
      this.totals = ZERO;
      this.left = flowOf(this.ratesAt(this.start));
      this.right = undefined;
    }
    while (this.node < target) {
      const right = this.right ?? this.flowAt(this.node + 1);
      this.totals = integrate(this.totals, this.left, right, NODE_MS);
      this.left = right;
      this.right = undefined;
      this.node++;
    }
    this.right ??= this.flowAt(this.node + 1);
    return integrate(this.totals, this.left, this.right, t - (this.start + this.node * NODE_MS));
  }

  private flowAt(node: number): GcFlow {
    return flowOf(this.ratesAt(this.start + node * NODE_MS));
  }
}

/** `totals` plus the integral over the first `ms` of a node interval whose flow goes linearly from `a` to `b`. */
function integrate(totals: GcTotals, a: GcFlow, b: GcFlow, ms: number): GcTotals {
  const s = ms / 1000;
  const k = (s * s) / (2 * (NODE_MS / 1000));
  return {
    youngCount: totals.youngCount + a.youngCount * s + (b.youngCount - a.youngCount) * k,
    youngTimeMs: totals.youngTimeMs + a.youngTimeMs * s + (b.youngTimeMs - a.youngTimeMs) * k,
    oldCount: totals.oldCount + a.oldCount * s + (b.oldCount - a.oldCount) * k,
    oldTimeMs: totals.oldTimeMs + a.oldTimeMs * s + (b.oldTimeMs - a.oldTimeMs) * k,
  };
}
